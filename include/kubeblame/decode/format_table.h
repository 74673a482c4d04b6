// The input formats as tables, the one place a format is listed: the decoders (name, the record
// keys that identify one of their records, a factory), the --input-format values, and the names
// records are counted under in every report (input.formats). Adding a format is a decoder file,
// rows here and its tests (docs/design.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/format_hint.h"

namespace kubeblame::decode {

class ParseContext;

// The decoders, by what they read.
enum class DecoderKind : std::uint8_t {
  kAuditEvent,   // raw audit.k8s.io Events
  kLaRow,        // Log Analytics rows (AKSAudit, AzureDiagnostics, AKSControlPlane)
  kAzureRecord,  // diagnostic-settings records (Storage, Event Hub)
  kLogText,      // plain log text (kube-apiserver klog lines and the like)
  kCloudWatch,   // EKS audit events in CloudWatch Logs exports (cloudwatch_decoder.h)
  kGkeEntry,     // GKE Cloud Audit Logs LogEntry records
  kUnknown,
  kCount,
};
inline constexpr std::size_t kDecoderCount = static_cast<std::size_t>(DecoderKind::kUnknown);

struct DecoderRow {
  DecoderKind kind;
  std::string_view name;                   // --stats: "audit-event"
  std::span<const std::string_view> keys;  // JSON keys that only this decoder's records carry
  std::unique_ptr<Decoder> (*make)(ParseContext& context);  // one per worker
};

// Indexed by DecoderKind (kUnknown excluded).
std::span<const DecoderRow> decoder_table();
std::string_view decoder_kind_name(DecoderKind kind);


struct HintRow {
  FormatHint hint;
  std::string_view name;  // the --input-format value
  DecoderKind decoder;    // the decoder it forces (kUnknown: detect)
};

std::span<const HintRow> hint_table();
std::optional<FormatHint> parse_format_hint(std::string_view name);
const HintRow& hint_row(FormatHint hint);
// "auto, audit, log-analytics, ..." for help and error messages.
std::string format_hint_names();

}  // namespace kubeblame::decode
