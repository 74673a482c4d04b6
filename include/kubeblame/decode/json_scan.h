// Finding where a JSON value ends, 64 bytes at a time: the framer's fast path through the inside
// of a record (docs/design.md, "Framing big JSON documents").
//
// A block's quotes, backslashes, brackets and line breaks become bit masks; escaped quotes are
// removed with carry arithmetic over backslash runs, and a prefix XOR of the remaining quotes
// marks the bytes inside strings, so brackets in strings are ignored without looking at any byte
// twice. The state carried from block to block (and buffer to buffer) is a few integers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kubeblame::decode {

struct ValueScan {
  int depth = 0;                 // open brackets not yet closed (> 0 while scanning)
  std::uint64_t in_string = 0;   // all ones when the previous block ended inside a string
  std::uint64_t escaped = 0;     // 1 when the previous block ended with an unmatched backslash
  std::uint64_t newlines = 0;    // line breaks seen (added to)
};

// Scans data[0, size) for the bracket that brings scan.depth to 0. Returns its offset (the
// closing bracket itself), or `size` when the value goes on past `size`; the state then carries
// into the next call. Reads data[0, size) only.
//
// When `out` is not null, the scanned bytes are also copied to it, with line breaks ('\n' and
// '\r') turned into spaces, from the same loads: out[0, returned offset) is then data's bytes
// flattened. Whole 64-byte blocks are written, so `out` must have room for kScanOutSlack bytes
// more than `size`; the bytes past the returned offset are scratch.
inline constexpr std::size_t kScanOutSlack = 64;
std::size_t scan_value_end(const char* data, std::size_t size, ValueScan& scan,
                           char* out = nullptr);

}  // namespace kubeblame::decode
