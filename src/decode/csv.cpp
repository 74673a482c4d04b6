// CSV splitting. Cells are found without copying: unquoted cells and quoted cells without
// doubled quotes are views into the record, and a cell with "" escapes is unescaped only when
// its text is asked for (csv_cell_text), so the cells a decoder ignores cost no copy.
#include "kubeblame/decode/csv.h"

#include <cstring>
#include <string>

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

}  // namespace

bool split_csv_cells(std::string_view record, std::vector<CsvCell>& cells) {
  cells.clear();
  while (!record.empty() && (record.back() == '\n' || record.back() == '\r')) {
    record.remove_suffix(1);
  }
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
