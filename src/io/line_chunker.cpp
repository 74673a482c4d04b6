// Line chunking. The reader fills a recycled buffer, cuts after the last complete line and
// carries the partial tail over to the next chunk. A line that does not fit doubles the buffer
// until it fits or passes max_line; then the rest of that line is read and thrown away, and an
// empty placeholder line marks the spot so the record is still counted (as too long).
#include "kubeblame/io/line_chunker.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kubeblame/io/prefix_xor.h"

namespace kubeblame::io {

namespace {

constexpr std::size_t kBlock = 64;

// Bit i of the result is set when byte i of the 64-byte block at p is `c`.
std::uint64_t block_mask(const char* p, char c) {
  std::uint64_t mask = 0;
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(c);
  for (std::size_t i = 0; i < 4; ++i) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, needle)));
    mask |= static_cast<std::uint64_t>(bits & 0xFFFFU) << (16 * i);
  }
#else
  for (std::size_t i = 0; i < kBlock; ++i) {
    if (p[i] == c) mask |= std::uint64_t{1} << i;
  }
#endif
  return mask;
}

}  // namespace

// CSV records in data[0, size), 64 bytes at a time: every quote toggles the quoted state (a
// doubled "" toggles twice), so a prefix XOR of the quote mask marks the bytes inside quotes and
// the newlines outside them end records. Appends the record ends' offsets to `record_ends` when
// given; `newlines` gets every newline before the cut (inside quotes too).
LineChunker::QuotedScan LineChunker::scan_quoted(const char* data, std::size_t size,
                                                 std::vector<std::size_t>* record_ends) {
  QuotedScan scan;
  std::uint64_t in_quotes = 0;  // all ones when the previous block ended inside quotes
  std::uint64_t newlines = 0;
  char tail[kBlock];
  for (std::size_t at = 0; at < size; at += kBlock) {
    const char* block = data + at;
    if (size - at < kBlock) {  // the tail, in a block of spaces
      std::memset(tail, ' ', kBlock);
      std::memcpy(tail, data + at, size - at);
      block = tail;
    }
    std::uint64_t breaks = block_mask(block, '\n');
    std::uint64_t quoted = prefix_xor(block_mask(block, '"')) ^ in_quotes;
    in_quotes = static_cast<std::uint64_t>(static_cast<std::int64_t>(quoted) >> 63);
    std::uint64_t ends = breaks & ~quoted;
    for (std::uint64_t rest = ends; rest != 0; rest &= rest - 1) {
      std::uint64_t bit = rest & (~rest + 1);
      scan.cut = at + static_cast<std::size_t>(__builtin_ctzll(rest)) + 1;
      scan.newlines =
          newlines + static_cast<std::uint64_t>(__builtin_popcountll(breaks & (bit - 1))) + 1;
      if (record_ends != nullptr) record_ends->push_back(scan.cut - 1);
    }
    newlines += static_cast<std::uint64_t>(__builtin_popcountll(breaks));
  }
  return scan;
}

LineChunker::LineChunker(ByteSource& source, ChunkerOptions options)
    : source_(source), options_(options) {
  options_.chunk_size = std::max<std::size_t>(options_.chunk_size, 1);
  options_.max_line = std::max<std::size_t>(options_.max_line, 1);
  // A buffer never bigger than max_line cannot hold a whole line that is too long.
  options_.chunk_size = std::min(options_.chunk_size, options_.max_line);
}

// Reads the bytes carried over from earlier reads first, then the source.
std::size_t LineChunker::read_input(char* buffer, std::size_t capacity) {
  if (has_carry()) {
    std::size_t n = std::min(capacity, carry_.size() - carry_pos_);
    std::memcpy(buffer, carry_.data() + carry_pos_, n);
    carry_pos_ += n;
    return n;
  }
  carry_.clear();
  carry_pos_ = 0;
  if (eof_) return 0;
  std::size_t n = 0;
  try {
    n = source_.read(buffer, capacity);
  } catch (const IoError& error) {
    // Deliver the lines read so far (a cut last line is counted as a record), then report.
    error_ = error.what();
    n = 0;
  }
  if (n == 0) eof_ = true;
  return n;
}

// Puts bytes that were read but not used back in front of the carry.
void LineChunker::unread(const char* data, std::size_t size) {
  carry_.erase(carry_.begin(), carry_.begin() + static_cast<std::ptrdiff_t>(carry_pos_));
  carry_.insert(carry_.begin(), data, data + size);
  carry_pos_ = 0;
}

std::size_t LineChunker::fill(Chunk& chunk, std::size_t used) {
  while (used < chunk.capacity) {
    std::size_t n = read_input(chunk.data.get() + used, chunk.capacity - used);
    if (n == 0) break;
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
  return scan_quoted(data, size, nullptr).cut;
}

std::uint64_t LineChunker::count_lines(const char* data, std::size_t size,
                                       std::vector<std::size_t>* newlines) const {
  std::uint64_t lines = 0;
  const char* end = data + size;
  for (const char* p = data; p < end;) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (!nl) break;
    ++lines;
    p = static_cast<const char*>(nl) + 1;
    if (newlines) newlines->push_back(static_cast<std::size_t>(p - 1 - data));
  }
  return lines;
}

// Reads and drops input up to and including the newline that ends the record whose first
// `size` bytes are at `head` (quote-aware: the first newline outside quotes); keeps what follows
// as carry. Newlines dropped inside quotes are added to `inner_newlines`.
bool LineChunker::discard_long_line(const char* head, std::size_t size,
                                    std::uint64_t& inner_newlines) {
  bool in_quotes = false;
  if (options_.quote_aware) {
    for (std::size_t i = 0; i < size; ++i) {
      if (head[i] == '"') in_quotes = !in_quotes;
      else if (head[i] == '\n') ++inner_newlines;
    }
  }
  std::vector<char> scratch(std::size_t{64} * 1024);
  for (;;) {
    std::size_t n = read_input(scratch.data(), scratch.size());
    if (n == 0) return false;
    if (!options_.quote_aware) {
      const void* nl = std::memchr(scratch.data(), '\n', n);
      if (!nl) continue;
      std::size_t after = static_cast<std::size_t>(static_cast<const char*>(nl) - scratch.data()) + 1;
      unread(scratch.data() + after, n - after);
      return true;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (scratch[i] == '"') {
        in_quotes = !in_quotes;
      } else if (scratch[i] == '\n') {
        if (!in_quotes) {
          unread(scratch.data() + i + 1, n - i - 1);
          return true;
        }
        ++inner_newlines;
      }
    }
  }
}

bool LineChunker::next(Chunk& chunk) {
  chunk.clear_metadata();
  if (eof_ && !has_carry()) {
    if (error_) {
      std::string message = std::move(*error_);
      error_.reset();
      throw IoError(std::move(message));
    }
    return false;
  }
  chunk.slack = options_.slack;
  if (chunk.capacity > 4 * options_.chunk_size || chunk.capacity > options_.max_line) {
    chunk.shrink(options_.chunk_size);
  }
  chunk.reserve(options_.chunk_size, 0);
  std::size_t used = 0;

  for (;;) {
    used = fill(chunk, used);
    std::size_t cut = find_cut(chunk.data.get(), used);
    if (cut > 0) {
      unread(chunk.data.get() + cut, used - cut);
      chunk.size = cut;
      break;
    }
    if (eof_ && !has_carry()) {
      chunk.size = used;  // the final line, without a newline
      break;
    }
    if (used >= options_.max_line) {
      // Too long: drop it and leave an empty placeholder record in its place.
      std::uint64_t inner_newlines = 0;
      bool more = discard_long_line(chunk.data.get(), used, inner_newlines);
      chunk.data[0] = '\n';
      chunk.size = 1;
      chunk.dropped_records.push_back(0);
      chunk.first_line = next_line_;
      next_line_ += inner_newlines + (more ? 1 : 0);
      return true;
    }
    chunk.reserve(std::min(chunk.capacity * 2, options_.max_line), used);
  }
  std::memset(chunk.data.get() + chunk.size, ' ', chunk.slack);
  chunk.first_line = next_line_;
  if (options_.quote_aware) {
    // The record ends go with the chunk, so that workers need not find them again; a final
    // record without its newline (or one whose quote never closes) ends at the chunk's end.
    QuotedScan scan = scan_quoted(chunk.data.get(), chunk.size, &chunk.newlines);
    next_line_ +=
        scan.newlines + count_lines(chunk.data.get() + scan.cut, chunk.size - scan.cut, nullptr);
  } else {
    next_line_ += count_lines(chunk.data.get(), chunk.size, &chunk.newlines);
  }
  return chunk.size > 0;
}

}  // namespace kubeblame::io
