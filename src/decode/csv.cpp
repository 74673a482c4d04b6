// CSV splitting. Cells are found without copying: unquoted cells and quoted cells without
// doubled quotes are views into the record, and a cell with "" escapes is unescaped only when
// its text is asked for (csv_cell_text), so the cells a decoder ignores cost no copy.
#include "kubeblame/decode/csv.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kubeblame/io/prefix_xor.h"

namespace kubeblame::decode {
namespace {

// The quoted cell starting after the opening quote at `pos`; moves `pos` past the closing quote.
bool quoted_cell(std::string_view record, std::size_t& pos, CsvCell& cell) {
  std::size_t start = pos;
  for (;;) {
    std::size_t quote = record.find('"', pos);
    if (quote == std::string_view::npos) return false;
    if (quote + 1 < record.size() && record[quote + 1] == '"') {
      cell.doubled = true;
      pos = quote + 2;
      continue;
    }
    cell.raw = record.substr(start, quote - start);
    pos = quote + 1;
    return pos >= record.size() || record[pos] == ',';
  }
}

// The byte-walking split: the reference, and the fallback for whatever the block scan does not
// vouch for.
bool split_slow(std::string_view record, std::vector<CsvCell>& cells) {
  cells.clear();
  std::size_t pos = 0;
  for (;;) {
    CsvCell cell;
    if (pos < record.size() && record[pos] == '"') {
      ++pos;
      if (!quoted_cell(record, pos, cell)) return false;
    } else {
      std::size_t comma = record.find(',', pos);
      std::size_t end = comma == std::string_view::npos ? record.size() : comma;
      cell.raw = record.substr(pos, end - pos);
      pos = end;
    }
    cells.push_back(cell);
    if (pos >= record.size()) return true;
    ++pos;  // the comma
    if (pos == record.size()) {
      cells.emplace_back();
      return true;
    }
  }
}

constexpr std::size_t kBlock = 64;

struct Masks {
  std::uint64_t quote = 0;
  std::uint64_t comma = 0;
};

// Quote and comma bits of the 64 bytes at p.
Masks block_masks(const char* p) {
  Masks m;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i comma = _mm_set1_epi8(',');
  for (std::size_t i = 0; i < 4; ++i) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    auto q = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)));
    auto c = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
    m.quote |= static_cast<std::uint64_t>(q & 0xFFFFU) << (16 * i);
    m.comma |= static_cast<std::uint64_t>(c & 0xFFFFU) << (16 * i);
  }
#else
  for (std::size_t i = 0; i < kBlock; ++i) {
    if (p[i] == '"') m.quote |= std::uint64_t{1} << i;
    if (p[i] == ',') m.comma |= std::uint64_t{1} << i;
  }
#endif
  return m;
}

// Bits [from, to) of a block.
std::uint64_t bit_range(unsigned from, unsigned to) {
  if (from >= 64) return 0;  // a separator in the block's last byte: nothing after it
  std::uint64_t below_to = to >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << to) - 1;
  std::uint64_t below_from = (std::uint64_t{1} << from) - 1;
  return below_to & ~below_from;
}

// What the block scan saw of the cell being read.
struct CellScan {
  std::size_t start = 0;
  std::uint64_t quotes = 0;  // quotes in the cell, counted up to 3
  bool stray = false;        // a byte outside quotes that is neither a quote nor a comma
};

// Closes the cell [scan.start, end): false when it is not a shape the scan can vouch for (a
// quote in an unquoted cell, text after a closing quote): the byte walk then decides.
bool close_cell(std::string_view record, const CellScan& scan, std::size_t end,
                std::vector<CsvCell>& cells) {
  CsvCell cell;
  if (scan.start < end && record[scan.start] == '"') {
    if (scan.stray || end - scan.start < 2 || record[end - 1] != '"') return false;
    cell.raw = record.substr(scan.start + 1, end - scan.start - 2);
    cell.doubled = scan.quotes > 2;
  } else {
    if (scan.quotes != 0) return false;
    cell.raw = record.substr(scan.start, end - scan.start);
  }
  cells.push_back(cell);
  return true;
}

// Adds the block's bits [from, to) to the cell.
void scan_part(CellScan& scan, std::uint64_t quote, std::uint64_t stray, unsigned from,
               unsigned to) {
  std::uint64_t range = bit_range(from, to);
  // Quotes counted up to 3, all the cell's shape needs, without a popcount (a libgcc call on
  // baseline x86-64).
  std::uint64_t x = quote & range;
  for (int i = 0; i < 3 && x != 0 && scan.quotes < 3; ++i) {
    ++scan.quotes;
    x &= x - 1;
  }
  scan.stray = scan.stray || (stray & range) != 0;
}

// The split 64 bytes at a time: commas outside quotes end cells (a "" pair leaves the quote
// state as it was, so the state is a prefix XOR of the quote bits, as in the line chunker).
// False when anything is unusual; the byte walk then decides.
bool split_fast(std::string_view record, std::vector<CsvCell>& cells) {
  cells.clear();
  CellScan scan;
  std::uint64_t carry = 0;  // all ones while inside quotes
  char tail[kBlock];
  for (std::size_t base = 0; base < record.size(); base += kBlock) {
    std::size_t size = std::min(kBlock, record.size() - base);
    const char* p = record.data() + base;
    if (size < kBlock) {
      std::memset(tail, ' ', kBlock);
      std::memcpy(tail, p, size);
      p = tail;
    }
    Masks m = block_masks(p);
    std::uint64_t inside = io::prefix_xor(m.quote) ^ carry;
    carry = static_cast<std::uint64_t>(-static_cast<std::int64_t>(inside >> 63));
    std::uint64_t valid = bit_range(0, static_cast<unsigned>(size));
    std::uint64_t separators = m.comma & ~inside & valid;
    std::uint64_t stray = ~inside & ~m.quote & ~m.comma & valid;
    unsigned from = 0;
    while (separators != 0) {
      auto at = static_cast<unsigned>(__builtin_ctzll(separators));
      scan_part(scan, m.quote, stray, from, at);
      if (!close_cell(record, scan, base + at, cells)) return false;
      scan = CellScan{base + at + 1};
      from = at + 1;
      separators &= separators - 1;
    }
    scan_part(scan, m.quote, stray, from, static_cast<unsigned>(size));
  }
  return carry == 0 && close_cell(record, scan, record.size(), cells);
}

}  // namespace

bool split_csv_cells(std::string_view record, std::vector<CsvCell>& cells) {
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) {
    record.remove_suffix(1);
  }
  return split_fast(record, cells) || split_slow(record, cells);
}

std::string_view csv_cell_text(const CsvCell& cell, StringArena& arena) {
  if (!cell.doubled) return cell.raw;
  thread_local std::string unescaped;  // reused: no allocation per cell
  unescaped.clear();
  std::string_view rest = cell.raw;
  // Runs up to and including each quote are copied whole; the second quote of the pair is skipped.
  while (!rest.empty()) {
    const void* found = std::memchr(rest.data(), '"', rest.size());
    std::size_t run = found == nullptr ? rest.size()
                                       : static_cast<std::size_t>(static_cast<const char*>(found) - rest.data()) + 1;
    unescaped.append(rest.data(), run);
    rest.remove_prefix(run);
    if (found != nullptr && !rest.empty()) rest.remove_prefix(1);
  }
  return arena.keep(unescaped);
}

bool split_csv_record(std::string_view record, std::vector<std::string_view>& cells,
                      StringArena& arena) {
  thread_local std::vector<CsvCell> raw;
  if (!split_csv_cells(record, raw)) return false;
  cells.clear();
  for (const CsvCell& cell : raw) cells.push_back(csv_cell_text(cell, arena));
  return true;
}

}  // namespace kubeblame::decode
