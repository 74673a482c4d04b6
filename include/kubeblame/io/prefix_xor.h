// The carry-less prefix sum behind both 64-byte block scans (io/line_chunker.cpp for quoted CSV
// records, decode/json_scan.cpp for JSON strings): which bytes of a block are inside quotes.
#pragma once

#include <cstdint>

namespace kubeblame::io {

// Bit i set when an odd number of bits at or below i are set. Always inlined, so that a caller
// built for a wider target (json_scan's POPCNT entry point) keeps it in its own code.
[[gnu::always_inline]] inline std::uint64_t prefix_xor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

}  // namespace kubeblame::io
