// Stable names for skip reasons and formats (they appear in every report and the JSON contract).
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
    case SkipReason::kCount: break;
  }
  return "unknown";
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::kAuditJsonLines: return "audit-jsonl";
    case Format::kAuditJsonArray: return "audit-json-array";
    case Format::kAuditEventList: return "audit-eventlist";
    case Format::kAksAuditAzJson: return "aksaudit-az-json";
    case Format::kAksAuditRest: return "aksaudit-rest";
    case Format::kAksAuditCsv: return "aksaudit-csv";
    case Format::kDiagnosticsAzJson: return "azurediagnostics-az-json";
    case Format::kDiagnosticsRest: return "azurediagnostics-rest";
    case Format::kDiagnosticsCsv: return "azurediagnostics-csv";
    case Format::kAzureStorage: return "azure-storage";
    case Format::kAzureEventHub: return "azure-eventhub";
    case Format::kControlPlaneAzJson: return "akscontrolplane-az-json";
    case Format::kControlPlaneRest: return "akscontrolplane-rest";
    case Format::kControlPlaneCsv: return "akscontrolplane-csv";
    case Format::kLogText: return "log-text";
    case Format::kUnknown: return "unknown";
    case Format::kCount: break;
  }
  return "unknown";
}

}  // namespace kubeblame::decode
