// `kubeblame errors` as markdown for a ticket: a table of signatures, then each signature with
// its verbatim example and top callers, then the input summary. Every input string is escaped.
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_errors.h"

namespace kubeblame::report {

namespace {

std::string time_cell(const std::optional<model::TimeNs>& time) {
  return time ? format_time_short(*time) : "-";
}

}  // namespace

std::string render_errors_markdown(const ErrorsReport& report) {
  std::string out = "### kubeblame errors (log levels " + escape_markdown(report.levels) + ")\n\n";
  out += render_errors_markdown_body(report);
  out += "\n- " + escape_markdown(errors_totals_line(report)) + '\n';
  for (const std::string& line : summary_lines(report.input)) {
    out += "- " + escape_markdown(line) + '\n';
  }
  return out;
}

std::string render_errors_markdown_body(const ErrorsReport& report) {
  std::string out = "| count | source | code/level | first | last | signature |\n";
  out += "| ---: | --- | --- | --- | --- | --- |\n";
  for (const ErrorRow& row : report.rows) {
    out += "| " + format_count(row.count) + " | " + escape_markdown(error_source_label(row)) +
           " | " + escape_markdown(error_code_or_level(row)) + " | " + time_cell(row.first) +
           " | " + time_cell(row.last) + " | " + escape_markdown(row.signature) + " |\n";
  }
  if (report.other_rows > 0) {
    out += "| " + format_count(report.other_count) + " | | | | | *(other: " + plural(report.other_rows, "signature") +
           ")* |\n";
  }
  if (report.rows.empty() && report.other_rows == 0) out += "\n*No errors.*\n";
  if (!report.rows.empty()) {
    out += "\n#### Examples\n\n";
    for (std::size_t i = 0; i < report.rows.size(); ++i) {
      const ErrorRow& row = report.rows[i];
      out += std::to_string(i + 1) + ". " + escape_markdown(row.signature) + '\n';
      out += "   - example: " + escape_markdown(row.example) + '\n';
      if (!row.callers.empty()) {
        out += "   - callers: " + escape_markdown(error_callers_text(row)) + '\n';
      }
    }
  }
  return out;
}

}  // namespace kubeblame::report
