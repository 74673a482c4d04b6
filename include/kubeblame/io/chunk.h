// A chunk: a reusable buffer holding whole input lines (or framed records), plus where they came
// from. The buffer always has `slack` readable bytes after `size` for simdjson's padding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

namespace kubeblame::io {

struct Chunk {
  std::unique_ptr<char[]> data;
  std::size_t capacity = 0;  // usable bytes, not counting the slack
  std::size_t slack = 0;
  std::size_t size = 0;
  std::uint32_t input_index = 0;
  std::uint64_t first_line = 1;  // 1-based line number of the first line in this chunk
  // Framed documents (pretty-printed JSON, CSV with multi-line cells): the input line on which
  // each record starts. Empty for plain line chunks, where lines count up from first_line.
  std::vector<std::uint64_t> record_lines;
  // Indexes of records (lines) that were too long and were replaced by an empty line.
  std::vector<std::uint32_t> dropped_records;
  // Plain line chunks: the offset of every '\n' in data[0, size), found while counting lines so
  // that workers need not search for them again; quote-aware (CSV) chunks: the offset of every
  // '\n' that ends a record (outside quotes). Empty for framed chunks.
  std::vector<std::size_t> newlines;

  // Grows the buffer to hold at least `bytes` (plus slack), keeping the first `keep` bytes.
  void reserve(std::size_t bytes, std::size_t keep) {
    if (bytes <= capacity) return;
    auto grown = std::make_unique<char[]>(bytes + slack);
    if (keep > 0) std::memcpy(grown.get(), data.get(), keep);
    data = std::move(grown);
    capacity = bytes;
  }
  // Drops an oversized buffer back to `bytes`.
  void shrink(std::size_t bytes) {
    if (capacity <= bytes) return;
    data = std::make_unique<char[]>(bytes + slack);
    capacity = bytes;
  }
  void clear_metadata() {
    size = 0;
    record_lines.clear();
    dropped_records.clear();
    newlines.clear();
  }
};

}  // namespace kubeblame::io
