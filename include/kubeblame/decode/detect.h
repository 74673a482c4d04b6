// Format detection: once per input from its first bytes (how records are framed and which
// decoder reads them), and per record when a record does not fit its input's decoder.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "kubeblame/decode/format_table.h"
#include "kubeblame/decode/record.h"

namespace kubeblame::decode {

enum class Framing : std::uint8_t {
  kLines,         // one record per line
  kJsonDocument,  // JSON spread over lines or holding a batch: the JSON framer cuts records
  kCsv,           // CSV rows; quoted cells may span lines
};

struct InputPlan {
  Framing framing = Framing::kLines;
  DecoderKind decoder = DecoderKind::kUnknown;
  std::size_t skip_bytes = 0;      // a BOM, and the CSV header, consumed before framing
  std::uint64_t first_line = 1;    // the line number of the first byte after skip_bytes
  std::shared_ptr<const InputContext> context;  // for line and CSV framing
  // JSON framing: a top-level array is one record with this container (a bare get-query-results
  // row), instead of an array of records.
  std::optional<Container> top_array_container;
};

// Decides from the first bytes of an input (`head`; `complete` when it is the whole input).
InputPlan detect_input(std::string_view head, bool complete, FormatHint hint = FormatHint::kAuto);

// Whether `text` (an input's first bytes) is binary: a NUL byte, or more than one control
// character in 20 among the first 4 KiB.
bool looks_binary(std::string_view text);

// Guesses the decoder for one record from the first keys it contains.
DecoderKind detect_record(std::string_view record);

}  // namespace kubeblame::decode
