// `kubeblame errors` in the terminal: one aligned line per signature (count, source, codes or
// level, first, last, the signature cut to kSignatureWidth columns), then an indented example
// and the top callers under it, then the input summary. Everything from the input is escaped.
#include "kubeblame/report/render_errors.h"

#include <algorithm>
#include <array>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/style.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kSignatureWidth = 100;
constexpr std::size_t kSourceWidth = 24;
constexpr std::size_t kDetailWidth = 120;  // example and callers lines, after the indent
constexpr std::size_t kColumns = 6;

using Cells = std::array<std::string, kColumns>;

void pad_to(std::string& out, std::string_view cell, std::size_t width, bool right) {
  std::size_t w = display_width(cell);
  if (right) out.append(width > w ? width - w : 0, ' ');
  out.append(cell);
  if (!right) out.append(width > w ? width - w : 0, ' ');
}

std::string time_cell(const std::optional<model::TimeNs>& time) {
  return time ? format_time_short(*time) : "-";
}

std::string line_of(const Cells& cells, const std::array<std::size_t, kColumns>& widths) {
  std::string line;
  for (std::size_t c = 0; c < kColumns; ++c) {
    if (c > 0) line += "  ";
    pad_to(line, cells[c], widths[c], c == 0);
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
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
  return "errors " + format_count(report.total) + " \xC2\xB7 " + format_count(signatures) +
         (signatures == 1 ? " signature" : " signatures") + " \xC2\xB7 log levels " +
         report.levels;
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
  Style style(options.color);
  for (const std::string& line : footer) out += style.footer(line) + '\n';
  return out;
}

std::string render_errors_table_body(const ErrorsReport& report, const RenderOptions& options) {
  std::vector<Cells> cells;
  cells.push_back({"COUNT", "SOURCE", "CODE/LEVEL", "FIRST", "LAST", "SIGNATURE"});
  for (const ErrorRow& row : report.rows) {
    cells.push_back({format_count(row.count),
                     truncate_display(escape_terminal(error_source_label(row)), kSourceWidth),
                     escape_terminal(error_code_or_level(row)), time_cell(row.first),
                     time_cell(row.last),
                     truncate_display(escape_terminal(row.signature), kSignatureWidth)});
  }
  if (report.other_rows > 0) {
    cells.push_back({format_count(report.other_count), "", "", "", "",
                     "(other: " + format_count(report.other_rows) +
                         (report.other_rows == 1 ? " signature)" : " signatures)")});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const Cells& row : cells) {
    for (std::size_t c = 0; c < kColumns; ++c) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  const std::string indent(widths[0] + 2, ' ');
  Style style(options.color);
  std::string out;
  for (std::size_t r = 0; r < cells.size(); ++r) {
    std::string line = line_of(cells[r], widths);
    if (r == 0) {
      line = style.header(line);
    } else if (options.color) {
      // The count (right-aligned ASCII digits, first column) in red.
      std::size_t pad = widths[0] - cells[r][0].size();
      line = line.substr(0, pad) + style.error_count(cells[r][0]) + line.substr(pad + cells[r][0].size());
    }
    out += line;
    out += '\n';
    if (r == 0 || r > report.rows.size()) continue;
    const ErrorRow& row = report.rows[r - 1];
    out += indent + "example: " + truncate_display(escape_terminal(row.example), kDetailWidth);
    out += '\n';
    if (!row.callers.empty()) {
      out += indent + "callers: " +
             truncate_display(escape_terminal(error_callers_text(row)), kDetailWidth);
      out += '\n';
    }
  }
  if (report.rows.empty() && report.other_rows == 0) out += "(no errors)\n";
  return out;
}

}  // namespace kubeblame::report
