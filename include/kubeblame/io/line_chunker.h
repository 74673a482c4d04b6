// Cuts a byte stream into chunks of whole lines without ever holding the whole input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/chunk.h"

namespace kubeblame::io {

struct ChunkerOptions {
  std::size_t chunk_size = 1 << 20;      // target bytes per chunk
  std::size_t slack = 64;                // readable bytes after the data (simdjson padding)
  std::size_t max_line = 128ull << 20;   // longer lines are dropped and reported as too long
  bool quote_aware = false;              // CSV: a newline inside "..." does not end a record
};

// Each chunk holds whole lines; a line longer than the chunk grows the buffer up to max_line.
// The last line may lack its newline. Quote-aware mode keeps RFC 4180 quoted cells together.
class LineChunker {
 public:
  LineChunker(ByteSource& source, ChunkerOptions options);

  // Fills `chunk` with the next whole lines. Returns false when the input is exhausted. A read
  // error ends the input: the lines before it are still returned, and the IoError is thrown
  // by the call that would have returned false.
  bool next(Chunk& chunk);

 private:
  std::size_t fill(Chunk& chunk, std::size_t used);
  std::size_t read_input(char* buffer, std::size_t capacity);
  void unread(const char* data, std::size_t size);
  bool has_carry() const { return carry_pos_ < carry_.size(); }
  std::size_t find_cut(const char* data, std::size_t size) const;
  struct QuotedScan {
    std::size_t cut = 0;         // after the last newline outside quotes (0: none)
    std::uint64_t newlines = 0;  // newlines before the cut, inside quotes or not
  };
  static QuotedScan scan_quoted(const char* data, std::size_t size,
                                std::vector<std::size_t>* record_ends);
  bool discard_long_line(const char* head, std::size_t size, std::uint64_t& inner_newlines);
  // Newlines in data[0, size); their offsets are appended to `newlines` when given.
  std::uint64_t count_lines(const char* data, std::size_t size,
                            std::vector<std::size_t>* newlines) const;

  ByteSource& source_;
  ChunkerOptions options_;
  std::vector<char> carry_;  // bytes read but not yet used, from carry_pos_ on
  std::size_t carry_pos_ = 0;
  bool eof_ = false;
  std::optional<std::string> error_;  // a read error, thrown once the data before it is out
  std::uint64_t next_line_ = 1;
};

}  // namespace kubeblame::io
