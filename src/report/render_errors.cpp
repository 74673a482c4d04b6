// `kubeblame errors` in the terminal: one aligned line per signature (count, source, codes or
// level, first, last, the signature), then an indented example and the top callers under it,
// then the input summary. Fitted to the terminal width: the signature is cut at the end, or
// on a narrow terminal wrapped on its own lines under its row; example and callers are cut.
// Everything from the input is escaped.
#include "kubeblame/report/render_errors.h"

#include <algorithm>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/terminal_table.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kMinSignatureWidth = 30;
constexpr std::size_t kMinDetailWidth = 20;

std::string time_cell(const std::optional<model::TimeNs>& time) {
  return time ? format_time_short(*time) : "-";
}

// COUNT, SOURCE, CODE/LEVEL, FIRST, LAST, SIGNATURE. The signature gives way first (cut at the
// end), then source and codes; counts and times never.
TerminalTable errors_table(const ErrorsReport& report) {
  TerminalTable table;
  table.columns = {{true, Shorten::kNever, 0, 0},    {false, Shorten::kMiddle, 8, 1},
                   {false, Shorten::kEnd, 10, 1},    {false, Shorten::kNever, 0, 0},
                   {false, Shorten::kNever, 0, 0},   {false, Shorten::kEnd, kMinSignatureWidth, 0}};
  table.rows.push_back({"COUNT", "SOURCE", "CODE/LEVEL", "FIRST", "LAST", "SIGNATURE"});
  for (const ErrorRow& row : report.rows) {
    table.rows.push_back({format_count(row.count), escape_terminal(error_source_label(row)),
                          escape_terminal(error_code_or_level(row)), time_cell(row.first), time_cell(row.last),
                          escape_terminal(row.signature)});
  }
  if (report.other_rows > 0) {
    table.rows.push_back({format_count(report.other_count), "", "", "", "",
                          "(other: " + plural(report.other_rows, "signature") + ")"});
  }
  return table;
}

// When even the narrowest signature column leaves the table too wide, the signature moves out
// of it: onto its own lines under its row, wrapped.
std::vector<std::string> stack_signatures(TerminalTable& table) {
  std::vector<std::string> signatures;
  for (auto& row : table.rows) {
    signatures.push_back(std::move(row.back()));
    row.pop_back();
  }
  table.columns.pop_back();
  return signatures;
}

void detail_line(std::string& out, const std::string& indent, std::string_view label, const std::string& text,
                 std::size_t width) {
  std::size_t used = indent.size() + label.size();
  std::string cell = width == 0 ? text : shorten_end(text, std::max(width > used ? width - used : 0, kMinDetailWidth));
  out += indent + std::string(label) + cell + '\n';
}

}  // namespace

std::string error_code_or_level(const ErrorRow& row) {
  if (row.source != "audit") return row.level;
  std::string out;
  for (const auto& [code, count] : row.codes) {
    if (!out.empty()) out += ',';
    out += code;
  }
  return out;
}

std::string error_source_label(const ErrorRow& row) {
  if (row.source == "audit" || row.component.empty()) return row.source;
  return row.component;
}

std::string error_callers_text(const ErrorRow& row) {
  std::string out;
  for (const ErrorCaller& caller : row.callers) {
    if (!out.empty()) out += ", ";
    out += caller.agent + " (" + caller.user;
    // Impersonation (kubectl --as): who acted as whom, like top's user and impersonated_user.
    if (caller.impersonates) out += " as " + caller.impersonated_user;
    out += ") \xC3\x97" + format_count(caller.count);
  }
  return out;
}

std::string errors_totals_line(const ErrorsReport& report) {
  std::uint64_t signatures = report.rows.size() + report.other_rows;
  return "errors " + format_count(report.total) + " \xC2\xB7 " + plural(signatures, "signature") +
         " \xC2\xB7 log levels " + report.levels;
}

std::string render_errors(const ErrorsReport& report, OutputFormat format,
                          const RenderOptions& options) {
  switch (format) {
    case OutputFormat::kTable: return render_errors_table(report, options);
    case OutputFormat::kMarkdown: return render_errors_markdown(report);
    case OutputFormat::kJson: return render_errors_json(report);
    case OutputFormat::kCsv: return render_errors_csv(report);
    case OutputFormat::kHtml: break;  // report only
  }
  return {};
}

std::string render_errors_table(const ErrorsReport& report, const RenderOptions& options) {
  std::string out = render_errors_table_body(report, options);
  out += '\n';
  std::vector<std::string> footer = summary_lines(report.input);
  footer.insert(footer.begin(), errors_totals_line(report));
  append_footer(out, footer, options);
  return out;
}

std::string render_errors_table_body(const ErrorsReport& report, const RenderOptions& options) {
  TerminalTable table = errors_table(report);
  std::vector<std::size_t> widths = table_widths(table, options.width);
  std::vector<std::string> signatures;
  if (options.width > 0 && row_width(widths, 2) > options.width) {
    signatures = stack_signatures(table);
    widths = table_widths(table, options.width);
  }
  const std::string indent(widths[0] + 2, ' ');
  Style style(options.color);
  CellStyle count_style = [&](std::size_t column, const std::string& cell) {
    return column == 0 ? style.error_count(cell) : cell;
  };
  std::string out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string line = table_line(table, r, widths, count_style);
    out += (r == 0 ? style.header(line) : line) + '\n';
    if (r == 0) continue;
    if (!signatures.empty()) {
      std::size_t room = std::max(options.width > indent.size() ? options.width - indent.size() : 0, kMinDetailWidth);
      for (const std::string& part : wrap_words(signatures[r], room, 2)) out += indent + part + '\n';
    }
    if (r > report.rows.size()) continue;
    const ErrorRow& row = report.rows[r - 1];
    detail_line(out, indent, "example: ", escape_terminal(row.example), options.width);
    if (!row.callers.empty()) {
      detail_line(out, indent, "callers: ", escape_terminal(error_callers_text(row)), options.width);
    }
  }
  if (report.rows.empty() && report.other_rows == 0) out += "(no errors)\n";
  return out;
}

}  // namespace kubeblame::report
