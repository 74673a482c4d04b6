// Per-worker parsing state shared by the decoders: simdjson parsers, a padded scratch buffer
// for JSON embedded in strings, and an arena for strings that must outlive a parser's buffer.
// Nothing here allocates per event once warmed up.
#pragma once

#include <simdjson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/decode/record.h"

namespace kubeblame::decode {

// Bump allocator for short-lived strings; reset() once per record keeps its first block.
class StringArena {
 public:
  std::string_view keep(std::string_view text);
  void reset();

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::size_t> sizes_;
  std::size_t current_ = 0;  // block being filled
  std::size_t used_ = 0;     // bytes used in that block
};

// Maps a simdjson failure to the skip reason a person would understand.
SkipReason skip_reason_for(simdjson::error_code error);

// Replaces invalid UTF-8 sequences with U+FFFD. Returns false when the text was already valid.
bool repair_utf8(std::string_view text, std::string& out);

class ParseContext {
 public:
  // Starts iterating a record with the main parser. Invalid UTF-8 is repaired (U+FFFD) and the
  // record parsed again from a private copy rather than rejected.
  simdjson::simdjson_result<simdjson::ondemand::document> parse(const Record& record);

  // Parses JSON text embedded in a string value (AKS dynamic columns, log_s, properties.log)
  // with the inner parser, from a padded copy (UTF-8 checked by the parse itself; invalid text
  // is repaired, as in parse()).
  simdjson::simdjson_result<simdjson::ondemand::document> parse_inner(std::string_view text);

  StringArena& arena() { return arena_; }

  // Whether the command reads request bodies (analyze::Analyzer::reads_bodies). When it does not,
  // a body sent as JSON text is not unescaped: only its "skipped-too-big-size-object" marker is
  // kept. True unless the pipeline says otherwise.
  bool reads_bodies() const { return reads_bodies_; }
  void set_reads_bodies(bool reads) { reads_bodies_ = reads; }

 private:
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::parser inner_parser_;
  std::string repaired_;
  std::string inner_text_;
  StringArena arena_;
  bool reads_bodies_ = true;
};

// Reads an object key without unescaping (audit keys never contain escapes).
// Keys are short and of every length, so a byte loop mispredicts its exit on nearly every key;
// one 16-byte compare finds the closing quote of most keys without a loop. It may read 15 bytes
// past the quote: the record has SIMDJSON_PADDING readable bytes after its end.
inline std::string_view key_of(simdjson::ondemand::field& field) {
  const char* start = field.key().raw();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  for (std::size_t offset = 0;; offset += 16) {
    __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(start + offset));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, quote)));
    if (mask != 0) return {start, offset + static_cast<std::size_t>(__builtin_ctz(mask))};
  }
#else
  const char* end = start;
  while (*end != '"') ++end;
  return {start, static_cast<std::size_t>(end - start)};
#endif
}

// Reads a scalar as text: strings unescaped, numbers and booleans as written, null as empty.
// Objects and arrays are not text and leave `out` empty. Returns only real parse errors.
simdjson::error_code read_text(simdjson::ondemand::value& value, std::string_view& out);

// Strips the whitespace simdjson leaves after raw scalar tokens.
std::string_view trim(std::string_view text);

}  // namespace kubeblame::decode
