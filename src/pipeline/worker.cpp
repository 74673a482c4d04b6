// Record splitting and routing. A record goes to the decoder its input was detected as; if that
// decoder says the record is not its format (mixed inputs), the record's own keys pick another.
#include "kubeblame/pipeline/worker.h"

#include <algorithm>
#include <cstring>

#include "kubeblame/decode/detect.h"

namespace kubeblame::pipeline {

namespace {

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// End of the record starting at `p`: the next newline, outside quotes when quote-aware.
const char* record_end(const char* p, const char* end, bool quote_aware) {
  if (!quote_aware) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    return nl ? static_cast<const char*>(nl) : end;
  }
  bool in_quotes = false;
  for (; p < end; ++p) {
    if (*p == '"') in_quotes = !in_quotes;
    else if (*p == '\n' && !in_quotes) return p;
  }
  return end;
}

}  // namespace

RecordRouter::RecordRouter(bool reads_bodies) {
  parse_context_.set_reads_bodies(reads_bodies);
  for (const decode::DecoderRow& row : decode::decoder_table()) {
    decoders_[static_cast<std::size_t>(row.kind)] = row.make(parse_context_);
  }
}

decode::Decoder* RecordRouter::decoder_for(decode::DecoderKind kind) const {
  auto index = static_cast<std::size_t>(kind);
  return index < decoders_.size() ? decoders_[index].get() : nullptr;
}

void RecordRouter::route(const decode::Record& record, decode::DecoderKind kind,
                         analyze::Shard& shard) {
  decode::Decoder* primary = decoder_for(kind);
  if (primary == nullptr) {
    shard.on_skip(decode::SkipReason::kUnknownFormat, decode::Format::kUnknown);
    return;
  }
  if (primary->decode(record, shard)) return;
  std::string_view text(record.data, record.size);
  std::size_t start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos || (text[start] != '{' && text[start] != '[')) {
    // Text in a JSON input: not JSON at all, so malformed rather than "not an audit event".
    shard.on_skip(decode::SkipReason::kMalformedJson, decode::Format::kUnknown);
    return;
  }
  decode::DecoderKind other = decode::detect_record(text);
  decode::Decoder* fallback = decoder_for(other);
  if (fallback != nullptr && fallback != primary && fallback->decode(record, shard)) return;
  shard.on_skip(decode::SkipReason::kNotAudit, decode::Format::kUnknown);
}

void RecordRouter::process(const WorkItem& item, analyze::Shard& shard) {
  const io::Chunk& chunk = item.chunk;
  const char* p = chunk.data.get();
  const char* end = p + chunk.size;
  const char* padded_end = end + chunk.slack;
  std::uint64_t line = chunk.first_line;
  std::uint32_t index = 0;
  std::size_t next_dropped = 0;
  // Plain line chunks come with their newline offsets (found by the reader while counting).
  const std::vector<std::size_t>& newlines = chunk.newlines;
  std::size_t next_newline = 0;
  while (p < end) {
    const char* stop = nullptr;
    if (!newlines.empty()) {
      stop = next_newline < newlines.size() ? chunk.data.get() + newlines[next_newline++] : end;
    } else {
      stop = record_end(p, end, item.quote_aware);
    }
    std::string_view text(p, static_cast<std::size_t>(stop - p));
    std::uint64_t record_line = chunk.record_lines.empty() ? line : chunk.record_lines[index];
    shard.set_position(chunk.input_index, record_line);
    if (next_dropped < chunk.dropped_records.size() && chunk.dropped_records[next_dropped] == index) {
      ++next_dropped;
      shard.on_skip(decode::SkipReason::kTooLong, decode::Format::kUnknown);
    } else if (is_blank(text)) {
      shard.on_skip(decode::SkipReason::kBlank, decode::Format::kUnknown);
    } else {
      while (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      decode::Record record{text.data(), text.size(), static_cast<std::size_t>(padded_end - p),
                            item.context.get()};
      route(record, item.decoder, shard);
    }
    if (item.quote_aware) line += static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
    ++line;
    ++index;
    p = stop < end ? stop + 1 : end;
  }
}

}  // namespace kubeblame::pipeline
