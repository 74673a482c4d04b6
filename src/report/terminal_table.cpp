// Terminal table layout: natural widths, then fit_columns for the shrinkable columns, then
// each line shortened, padded and joined.
#include "kubeblame/report/terminal_table.h"

#include <algorithm>

#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

std::string shorten(std::string_view text, std::size_t width, Shorten how) {
  switch (how) {
    case Shorten::kEnd: return shorten_end(text, width);
    case Shorten::kMiddle: return shorten_middle(text, width);
    case Shorten::kStart: return shorten_start(text, width);
    case Shorten::kNever: break;
  }
  return std::string(text);
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

std::vector<std::size_t> table_widths(const TerminalTable& table, std::size_t width) {
  std::vector<FitColumn> fit(table.columns.size());
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.size() && c < fit.size(); ++c) {
      fit[c].width = std::max(fit[c].width, display_width(row[c]));
    }
  }
  for (std::size_t c = 0; c < fit.size(); ++c) {
    const TableColumn& column = table.columns[c];
    std::size_t header = table.rows.empty() || c >= table.rows[0].size() ? 0 : display_width(table.rows[0][c]);
    fit[c].min = column.shorten == Shorten::kNever ? fit[c].width : std::max(column.min, header);
    fit[c].rank = column.rank;
  }
  return fit_columns(fit, 2, width);
}

std::string table_line(const TerminalTable& table, std::size_t row, const std::vector<std::size_t>& widths,
                       const CellStyle& style) {
  const auto& cells = table.rows[row];
  std::string line;
  for (std::size_t c = 0; c < cells.size() && c < widths.size(); ++c) {
    if (c > 0) line += "  ";
    std::string cell = shorten(cells[c], widths[c], table.columns[c].shorten);
    std::size_t w = display_width(cell);
    std::size_t pad = widths[c] > w ? widths[c] - w : 0;
    if (table.columns[c].right) line.append(pad, ' ');
    line += row > 0 && style ? style(c, cell) : cell;
    if (!table.columns[c].right) line.append(pad, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace kubeblame::report
