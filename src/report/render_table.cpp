// Terminal table: key columns left-aligned and escaped, metrics right-aligned with thousands
// separators, then the input summary. Fitted to the terminal: key columns give way (the
// widest first, shortened in the middle), metrics never.
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/table_columns.h"
#include "kubeblame/report/terminal_table.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kMinKeyWidth = 21;  // "argocd-app…controller"

void metric_cells(const std::vector<MetricColumn>& columns, const RowMetrics& metrics,
                  std::vector<std::string>& row) {
  for (const MetricColumn& column : columns) row.push_back(column.human(metrics));
}

// Header, rows and (other); the (other) label sits in the first key column, never shortened.
TerminalTable top_table(const TopReport& report) {
  const std::vector<MetricColumn> columns = select_metric_columns(report.columns);
  TerminalTable table;
  std::vector<std::string> header;
  for (const std::string& dim : report.by) {
    header.push_back(upper(dim));
    table.columns.push_back({false, Shorten::kMiddle, kMinKeyWidth, 0});
  }
  for (const MetricColumn& column : columns) {
    header.push_back(upper(column.table_header));
    table.columns.push_back({true, Shorten::kNever, 0, 0});
  }
  table.rows.push_back(std::move(header));
  for (const Row& r : report.rows) {
    std::vector<std::string> row;
    for (const std::string& k : r.key) row.push_back(escape_terminal(k));
    metric_cells(columns, r.metrics, row);
    table.rows.push_back(std::move(row));
  }
  if (report.other) {
    std::vector<std::string> row;
    row.push_back("(other: " + plural(report.other->groups, "group") + ")");
    for (std::size_t i = 1; i < report.by.size(); ++i) row.emplace_back();
    metric_cells(columns, report.other->metrics, row);
    if (!report.by.empty()) table.columns[0].min = std::max(kMinKeyWidth, display_width(row[0]));
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace

std::string render_top_table(const TopReport& report, const RenderOptions& options) {
  std::string out = render_top_table_body(report, options);
  out += '\n';
  append_footer(out, summary_lines(report.input), options);
  return out;
}

std::string render_top_table_body(const TopReport& report, const RenderOptions& options) {
  TerminalTable table = top_table(report);
  std::vector<std::size_t> widths = table_widths(table, options.width);
  Style style(options.color);
  const std::vector<MetricColumn> columns = select_metric_columns(report.columns);
  // Error counts, and 5xx in a `code` key column, in red.
  std::size_t errors_column = report.by.size();
  while (errors_column - report.by.size() < columns.size() &&
         columns[errors_column - report.by.size()].table_header != "errors") {
    ++errors_column;
  }
  CellStyle cell_style = [&](std::size_t column, const std::string& cell) {
    if (column == errors_column) return style.error_count(cell);
    if (column < report.by.size() && report.by[column] == "code") return style.status_code(cell);
    return cell;
  };
  std::string out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string line = table_line(table, r, widths, cell_style);
    out += (r == 0 ? style.header(line) : line) + '\n';
  }
  if (report.rows.empty()) out += "(no requests)\n";
  return out;
}

}  // namespace kubeblame::report
