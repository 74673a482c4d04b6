// Line chunking. The reader fills a recycled buffer, cuts after the last complete line and
// carries the partial tail over to the next chunk. A line that does not fit doubles the buffer
// until it fits or passes max_line; then the rest of that line is read and thrown away, and an
// empty placeholder line marks the spot so the record is still counted (as too long).
#include "kubeblame/io/line_chunker.h"

#include <algorithm>
#include <cstring>

namespace kubeblame::io {

LineChunker::LineChunker(ByteSource& source, ChunkerOptions options)
    : source_(source), options_(options) {
  options_.chunk_size = std::max<std::size_t>(options_.chunk_size, 1);
  options_.max_line = std::max<std::size_t>(options_.max_line, 1);
}

std::size_t LineChunker::fill(Chunk& chunk, std::size_t used) {
  while (used < chunk.capacity && !eof_) {
    std::size_t n = source_.read(chunk.data.get() + used, chunk.capacity - used);
    if (n == 0) eof_ = true;
    used += n;
  }
  return used;
}

// Returns the length of the prefix that ends with the last record-ending newline, or 0.
std::size_t LineChunker::find_cut(const char* data, std::size_t size) const {
  if (!options_.quote_aware) {
    const void* last = memrchr(data, '\n', size);
    return last ? static_cast<std::size_t>(static_cast<const char*>(last) - data) + 1 : 0;
  }
  bool in_quotes = false;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '"') {
      in_quotes = !in_quotes;
    } else if (data[i] == '\n' && !in_quotes) {
      cut = i + 1;
    }
  }
  return cut;
}

std::uint64_t LineChunker::count_lines(const char* data, std::size_t size) const {
  std::uint64_t lines = 0;
  const char* end = data + size;
  for (const char* p = data; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (!nl) break;
    ++lines;
    p = static_cast<const char*>(nl) + 1;
  }
  return lines;
}

// Reads and drops input up to and including the next newline; keeps what follows as carry.
bool LineChunker::discard_long_line() {
  std::vector<char> scratch(64 * 1024);
  for (;;) {
    std::size_t n = source_.read(scratch.data(), scratch.size());
    if (n == 0) {
      eof_ = true;
      return false;
    }
    const void* nl = std::memchr(scratch.data(), '\n', n);
    if (nl) {
      std::size_t after = static_cast<std::size_t>(static_cast<const char*>(nl) - scratch.data()) + 1;
      carry_.assign(scratch.data() + after, scratch.data() + n);
      return true;
    }
  }
}

bool LineChunker::next(Chunk& chunk) {
  chunk.clear_metadata();
  if (eof_ && carry_.empty()) return false;
  chunk.slack = options_.slack;
  if (chunk.capacity > 4 * options_.chunk_size && carry_.size() <= options_.chunk_size) {
    chunk.shrink(options_.chunk_size);
  }
  chunk.reserve(std::max(options_.chunk_size, carry_.size()), 0);
  std::size_t used = carry_.size();
  if (used > 0) std::memcpy(chunk.data.get(), carry_.data(), used);
  carry_.clear();

  for (;;) {
    used = fill(chunk, used);
    std::size_t cut = find_cut(chunk.data.get(), used);
    if (cut > 0) {
      carry_.assign(chunk.data.get() + cut, chunk.data.get() + used);
      chunk.size = cut;
      break;
    }
    if (eof_) {
      chunk.size = used;  // the final line, without a newline
      break;
    }
    if (used >= options_.max_line) {
      // Too long: drop it and leave an empty placeholder record in its place.
      bool more = discard_long_line();
      chunk.data[0] = '\n';
      chunk.size = 1;
      chunk.dropped_records.push_back(0);
      chunk.first_line = next_line_;
      next_line_ += more ? 1 : 0;
      return true;
    }
    chunk.reserve(std::min(chunk.capacity * 2, options_.max_line), used);
  }
  std::memset(chunk.data.get() + chunk.size, ' ', chunk.slack);
  chunk.first_line = next_line_;
  next_line_ += count_lines(chunk.data.get(), chunk.size);
  return chunk.size > 0;
}

}  // namespace kubeblame::io
