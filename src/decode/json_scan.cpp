// The 64-byte block scan behind scan_value_end (json_scan.h). The escape and in-string steps are
// the ones simdjson's stage 1 uses (Langdale and Lemire, "Parsing Gigabytes of JSON per Second",
// 2019), written with SSE2 and plain integer arithmetic so that they run on any x86-64.
#include "kubeblame/decode/json_scan.h"

#include <bit>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kubeblame/io/prefix_xor.h"

namespace kubeblame::decode {
namespace {

constexpr std::size_t kBlock = 64;

struct BlockMasks {
  std::uint64_t quote = 0;
  std::uint64_t backslash = 0;
  std::uint64_t open = 0;   // { and [
  std::uint64_t close = 0;  // } and ]
  std::uint64_t newline = 0;
};

// The helpers are always inlined into the two entry points at the end of the file, so that the
// one built for CPUs with POPCNT counts bits with that instruction (without it, each count is a
// libgcc call: 17% of the framer's time on an az -o json export).
#define KB_SCAN_INLINE [[gnu::always_inline]] inline

#if defined(__SSE2__)
KB_SCAN_INLINE std::uint64_t mask_of(const __m128i (&v)[4], char c) {
  const __m128i needle = _mm_set1_epi8(c);
  std::uint64_t out = 0;
  for (int i = 0; i < 4; ++i) {
    auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v[i], needle)));
    out |= static_cast<std::uint64_t>(bits & 0xFFFFU) << (16 * i);
  }
  return out;
}

// The block's bytes with '\n' and '\r' turned into spaces, stored to out[0, 64).
KB_SCAN_INLINE void store_flattened(const __m128i (&v)[4], char* out) {
  const __m128i newline = _mm_set1_epi8('\n');
  const __m128i carriage = _mm_set1_epi8('\r');
  const __m128i space = _mm_set1_epi8(' ');
  for (std::size_t i = 0; i < 4; ++i) {
    __m128i breaks = _mm_or_si128(_mm_cmpeq_epi8(v[i], newline), _mm_cmpeq_epi8(v[i], carriage));
    __m128i flat = _mm_or_si128(_mm_and_si128(breaks, space), _mm_andnot_si128(breaks, v[i]));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * i), flat);
  }
}

template <bool kWrite>
KB_SCAN_INLINE BlockMasks classify(const char* p, char* out) {
  __m128i v[4];
  for (std::size_t i = 0; i < 4; ++i) v[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
  if constexpr (kWrite) store_flattened(v, out);
  BlockMasks m;
  m.quote = mask_of(v, '"');
  m.backslash = mask_of(v, '\\');
  // '{' 0x7B and '[' 0x5B differ in one bit (0x20), as do '}' 0x7D and ']' 0x5D: OR-ing 0x20
  // folds each pair into one compare.
  __m128i folded[4];
  const __m128i bit = _mm_set1_epi8(0x20);
  for (int i = 0; i < 4; ++i) folded[i] = _mm_or_si128(v[i], bit);
  m.open = mask_of(folded, '{');
  m.close = mask_of(folded, '}');
  m.newline = mask_of(v, '\n');
  return m;
}
#else
template <bool kWrite>
KB_SCAN_INLINE BlockMasks classify(const char* p, char* out) {
  BlockMasks m;
  for (std::size_t i = 0; i < kBlock; ++i) {
    std::uint64_t bit = std::uint64_t{1} << i;
    if constexpr (kWrite) out[i] = p[i] == '\n' || p[i] == '\r' ? ' ' : p[i];
    switch (p[i]) {
      case '"': m.quote |= bit; break;
      case '\\': m.backslash |= bit; break;
      case '{': case '[': m.open |= bit; break;
      case '}': case ']': m.close |= bit; break;
      case '\n': m.newline |= bit; break;
      default: break;
    }
  }
  return m;
}
#endif

KB_SCAN_INLINE int bit_count(std::uint64_t x) { return __builtin_popcountll(x); }

// The bytes escaped by a backslash: the byte after each odd-length run of backslashes.
// `carry` is 1 when the previous block ended in such a run.
KB_SCAN_INLINE std::uint64_t find_escaped(std::uint64_t backslash, std::uint64_t& carry) {
  constexpr std::uint64_t kEven = 0x5555555555555555ULL;
  backslash &= ~carry;  // a backslash escaped by the previous block starts no run
  std::uint64_t follows_escape = (backslash << 1) | carry;
  std::uint64_t odd_starts = backslash & ~kEven & ~follows_escape;
  std::uint64_t sequences_on_even = 0;
  carry = __builtin_add_overflow(odd_starts, backslash, &sequences_on_even) ? 1 : 0;
  std::uint64_t invert = sequences_on_even << 1;
  return (kEven ^ invert) & follows_escape;
}

// One block: updates the state; returns the offset of the bracket that closes the value, or
// kBlock.
template <bool kWrite>
KB_SCAN_INLINE std::size_t scan_block(const char* p, ValueScan& scan, std::uint64_t valid,
                                      char* out) {
  BlockMasks m = classify<kWrite>(p, out);
  std::uint64_t escaped = find_escaped(m.backslash, scan.escaped);
  std::uint64_t quotes = m.quote & ~escaped;
  std::uint64_t in_string = io::prefix_xor(quotes) ^ scan.in_string;
  scan.in_string = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);
  std::uint64_t open = m.open & ~in_string & valid;
  std::uint64_t close = m.close & ~in_string & valid;
  // Fast: the block cannot close the value when fewer brackets close than are open.
  if (bit_count(close) < scan.depth) {
    scan.depth += bit_count(open) - bit_count(close);
    scan.newlines += static_cast<std::uint64_t>(bit_count(m.newline & valid));
    return kBlock;
  }
  std::uint64_t brackets = open | close;
  while (brackets != 0) {
    int at = std::countr_zero(brackets);
    std::uint64_t bit = std::uint64_t{1} << at;
    scan.depth += (open & bit) != 0 ? 1 : -1;
    if (scan.depth == 0) {
      scan.newlines += static_cast<std::uint64_t>(bit_count(m.newline & (bit - 1)));
      return static_cast<std::size_t>(at);
    }
    brackets &= brackets - 1;
  }
  scan.newlines += static_cast<std::uint64_t>(bit_count(m.newline & valid));
  return kBlock;
}

// The whole scan, `out` written when kWrite.
template <bool kWrite>
KB_SCAN_INLINE std::size_t scan_all(const char* data, std::size_t size, ValueScan& scan,
                                    char* out) {
  std::size_t i = 0;
  for (; i + kBlock <= size; i += kBlock) {
    std::size_t at =
        scan_block<kWrite>(data + i, scan, ~std::uint64_t{0}, kWrite ? out + i : nullptr);
    if (at != kBlock) return i + at;
  }
  if (i == size) return size;
  // The tail: copied into a block of spaces, whose masks are cut to the real bytes.
  char tail[kBlock];
  std::memset(tail, ' ', kBlock);
  std::memcpy(tail, data + i, size - i);
  std::uint64_t valid = (std::uint64_t{1} << (size - i)) - 1;
  std::uint64_t escaped_before = scan.escaped;
  std::size_t at = scan_block<kWrite>(tail, scan, valid, kWrite ? out + i : nullptr);
  if (at != kBlock) return i + at;
  // The in-string state after the tail's spaces is the state after its real bytes, but a run of
  // backslashes at its end would have escaped the first space: recount the escape from the
  // real bytes.
  for (std::size_t k = i; k < size; ++k) {
    escaped_before = escaped_before != 0 ? 0 : (data[k] == '\\' ? 1 : 0);
  }
  scan.escaped = escaped_before;
  return size;
}

std::size_t scan_portable(const char* data, std::size_t size, ValueScan& scan, char* out) {
  return out != nullptr ? scan_all<true>(data, size, scan, out)
                        : scan_all<false>(data, size, scan, out);
}

#if defined(__x86_64__)
[[gnu::target("popcnt")]] std::size_t scan_popcnt(const char* data, std::size_t size,
                                                  ValueScan& scan, char* out) {
  return out != nullptr ? scan_all<true>(data, size, scan, out)
                        : scan_all<false>(data, size, scan, out);
}

using ScanFunction = std::size_t (*)(const char*, std::size_t, ValueScan&, char*);
ScanFunction pick_scan() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("popcnt") ? scan_popcnt : scan_portable;
}
#endif

}  // namespace

std::size_t scan_value_end(const char* data, std::size_t size, ValueScan& scan, char* out) {
#if defined(__x86_64__)
  static const ScanFunction scan_function = pick_scan();
  return scan_function(data, size, scan, out);
#else
  return scan_portable(data, size, scan, out);
#endif
}

}  // namespace kubeblame::decode
