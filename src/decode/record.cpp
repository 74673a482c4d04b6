// Stable names for skip reasons (they appear in every report and the JSON contract).
#include "kubeblame/decode/record.h"

namespace kubeblame::decode {

std::string_view skip_reason_name(SkipReason reason) {
  switch (reason) {
    case SkipReason::kMalformedJson: return "malformed_json";
    case SkipReason::kTruncated: return "truncated";
    case SkipReason::kNotAudit: return "not_audit";
    case SkipReason::kUnknownFormat: return "unknown_format";
    case SkipReason::kTooLong: return "too_long";
    case SkipReason::kEmptyBatch: return "empty_batch";
    case SkipReason::kBlank: return "blank";
    case SkipReason::kControlMessage: return "control_message";
    case SkipReason::kResultVersion: return "kql_result_version";
    case SkipReason::kBadResultRow: return "kql_result_bad_row";
    case SkipReason::kCount: break;
  }
  return "unknown";
}

}  // namespace kubeblame::decode
