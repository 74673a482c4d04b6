// Terminal table: key columns left-aligned (escaped, cut at kMaxKeyWidth), metrics right-aligned
// with thousands separators, then the input summary.
#include <algorithm>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/table_columns.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kMaxKeyWidth = 56;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// `styled` is `cell` with escapes added: the padding follows the text's own width.
void pad_to(std::string& out, std::string_view cell, std::size_t width, bool right,
            std::string_view styled) {
  std::size_t w = display_width(cell);
  if (right) out.append(width > w ? width - w : 0, ' ');
  out.append(styled);
  if (!right) out.append(width > w ? width - w : 0, ' ');
}

}  // namespace

std::string render_top_table(const TopReport& report, const RenderOptions& options) {
  std::string out = render_top_table_body(report, options);
  out += '\n';
  Style style(options.color);
  for (const std::string& line : summary_lines(report.input)) out += style.footer(line) + '\n';
  return out;
}

std::string render_top_table_body(const TopReport& report, const RenderOptions& options) {
  std::vector<std::vector<std::string>> cells;  // header, rows, other
  Style style(options.color);
  std::vector<bool> right;
  std::vector<std::string> header;
  // How a body cell is styled: error counts, and 5xx in a `code` key column, in red.
  std::vector<std::string (Style::*)(std::string_view) const> cell_style;
  for (const std::string& dim : report.by) {
    header.push_back(upper(dim));
    right.push_back(false);
    cell_style.push_back(dim == "code" ? &Style::status_code : nullptr);
  }
  for (const MetricColumn& column : metric_columns()) {
    header.push_back(upper(column.table_header));
    right.push_back(true);
    cell_style.push_back(std::string_view(column.table_header) == "errors" ? &Style::error_count : nullptr);
  }
  cells.push_back(header);
  auto metric_cells = [&](const RowMetrics& m, std::vector<std::string>& row) {
    for (const MetricColumn& column : metric_columns()) row.push_back(column.human(m));
  };
  for (const Row& r : report.rows) {
    std::vector<std::string> row;
    for (const std::string& k : r.key) row.push_back(truncate_display(escape_terminal(k), kMaxKeyWidth));
    metric_cells(r.metrics, row);
    cells.push_back(std::move(row));
  }
  if (report.other) {
    std::vector<std::string> row;
    row.push_back("(other: " + format_count(report.other->groups) + " groups)");
    for (std::size_t i = 1; i < report.by.size(); ++i) row.emplace_back();
    metric_cells(report.other->metrics, row);
    cells.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : cells) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  // The (other) label may spill over the empty key cells next to it.
  std::string out;
  for (std::size_t r = 0; r < cells.size(); ++r) {
    const auto& row = cells[r];
    std::string line;
    bool header_row = r == 0;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line += "  ";
      auto styler = header_row ? nullptr : cell_style[c];
      pad_to(line, row[c], widths[c], right[c], styler ? (style.*styler)(row[c]) : row[c]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (header_row) line = style.header(line);
    out += line;
    out += '\n';
  }
  if (report.rows.empty()) out += "(no requests)\n";
  return out;
}

}  // namespace kubeblame::report
