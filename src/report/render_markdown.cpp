// Markdown: a GitHub/Azure DevOps table plus the input summary as a short list.
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render.h"
#include "kubeblame/report/table_columns.h"

namespace kubeblame::report {

std::string render_top_markdown(const TopReport& report) {
  std::string out = "### kubeblame top by ";
  for (std::size_t i = 0; i < report.by.size(); ++i) {
    if (i > 0) out += ", ";
    out += report.by[i];
  }
  out += " (sorted by " + report.sort + ")\n\n";
  out += render_top_markdown_body(report);
  out += '\n';
  for (const std::string& line : summary_lines(report.input)) out += "- " + escape_markdown(line) + '\n';
  return out;
}

std::string render_top_markdown_body(const TopReport& report) {
  const std::vector<MetricColumn> columns = select_metric_columns(report.columns);
  std::string out = "|";
  for (const std::string& dim : report.by) out += " " + dim + " |";
  for (const MetricColumn& column : columns) {
    out += " " + std::string(column.table_header) + " |";
  }
  out += "\n|";
  for (std::size_t i = 0; i < report.by.size(); ++i) out += " --- |";
  for (std::size_t i = 0; i < columns.size(); ++i) out += " ---: |";
  out += '\n';
  auto metrics = [&](const RowMetrics& m) {
    std::string cells;
    for (const MetricColumn& column : columns) cells += " " + column.human(m) + " |";
    return cells;
  };
  for (const Row& row : report.rows) {
    out += '|';
    for (const std::string& k : row.key) out += " " + escape_markdown(k) + " |";
    out += metrics(row.metrics) + '\n';
  }
  if (report.other) {
    out += "| *(other: " + plural(report.other->groups, "group") + ")* |";
    for (std::size_t i = 1; i < report.by.size(); ++i) out += " |";
    out += metrics(report.other->metrics) + '\n';
  }
  if (report.rows.empty()) out += "\n*No requests.*\n";
  return out;
}

}  // namespace kubeblame::report
