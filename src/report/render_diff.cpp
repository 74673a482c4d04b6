// `diff` for people: the terminal table (coloured changes on a TTY) and markdown for tickets.
// Both show the same cells: request counts and rates of each side, the change in requests/s
// (absolute and relative), the changes in errors/s and cost_s/s, and new/gone.
#include "kubeblame/report/render_diff.h"

#include <cmath>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/terminal_table.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kMinKeyWidth = 21;
constexpr const char* kMetricHeaders[] = {"req before",   "req after",     "rate before",
                                          "rate after",   "change/s",      "change",
                                          "err/s change", "cost/s change", "status"};
constexpr std::size_t kMetricColumns = std::size(kMetricHeaders);

std::string rate(double value) { return format_fixed(value, 3); }

// "+0.125", "-2.000", "0.000" (no sign on what rounds to zero).
std::string signed_fixed(double value, int decimals) {
  std::string digits = format_fixed(std::abs(value), decimals);
  bool zero = digits.find_first_not_of("0.,") == std::string::npos;
  return (zero ? "" : value > 0 ? "+" : "-") + digits;
}

std::string percent_cell(const std::optional<double>& percent) {
  return percent ? signed_fixed(*percent, 1) + "%" : "-";
}

std::string status_cell(DiffStatus status) {
  return status == DiffStatus::kBoth ? std::string() : std::string(diff_status_name(status));
}

// The cells after the key columns, in kMetricHeaders order.
std::vector<std::string> metric_cells(const DiffMetrics& before, const DiffMetrics& after,
                                      const DiffChange& change, const std::string& status) {
  return {format_count(before.metrics.requests),
          format_count(after.metrics.requests),
          rate(before.metrics.rate_per_s.value_or(0)),
          rate(after.metrics.rate_per_s.value_or(0)),
          signed_fixed(change.rate_per_s, 3),
          percent_cell(change.rate_pct),
          signed_fixed(change.errors_per_s, 3),
          change.cost_s_per_s ? signed_fixed(*change.cost_s_per_s, 3) : "-",
          status};
}

std::string sort_phrase(const DiffReport& report) {
  if (report.sort == "cost") return "change in cost_s/s";
  if (report.sort == "errors") return "change in errors/s";
  return "change in requests/s";
}

// "samples/incident/ · 2025-02-25 08:40:00Z → 2025-02-25 10:59:50Z (2h 19m) · 2,021 requests"
std::string window(const DiffSide& side) {
  std::string text = side.label == "-" ? "<stdin>" : side.label;
  if (side.input.first && side.input.last) {
    text += " · " + format_time_short(*side.input.first) + " → " +
            format_time_short(*side.input.last) + " (" +
            format_span(static_cast<double>(*side.input.last - *side.input.first) / 1e9) + ")";
  } else {
    text += " · no record times";
  }
  return text + " · " + plural(side.input.requests, "request");
}

// A side's input summary under its name; warnings keep their "warning: " start (and colour).
void side_lines(std::vector<std::string>& lines, std::string_view name, const DiffSide& side) {
  lines.push_back(std::string(name) + ": " +
                  escape_terminal(side.label == "-" ? "<stdin>" : side.label));
  for (const std::string& line : summary_lines(side.input)) {
    lines.push_back(line.rfind("warning: ", 0) == 0
                        ? "warning: " + std::string(name) + ": " + line.substr(9)
                        : "  " + line);
  }
}

TerminalTable diff_table(const DiffReport& report) {
  TerminalTable table;
  std::vector<std::string> header;
  for (const std::string& dim : report.by) {
    header.push_back(upper(dim));
    table.columns.push_back({false, Shorten::kMiddle, kMinKeyWidth, 0});
  }
  for (std::size_t i = 0; i < kMetricColumns; ++i) {
    header.push_back(upper(kMetricHeaders[i]));
    bool numbers = i + 1 < kMetricColumns;  // all but status
    table.columns.push_back({numbers, Shorten::kNever, 0, 0});
  }
  table.rows.push_back(std::move(header));
  for (const DiffRow& r : report.rows) {
    std::vector<std::string> row;
    for (const std::string& k : r.key) row.push_back(escape_terminal(k));
    for (std::string& cell : metric_cells(r.before, r.after, r.change, status_cell(r.status)))
      row.push_back(cell);
    table.rows.push_back(std::move(row));
  }
  auto sum_row = [&](const std::string& label, const DiffSum& sum) {
    std::vector<std::string> row{label};
    for (std::size_t i = 1; i < report.by.size(); ++i) row.emplace_back();
    for (std::string& cell : metric_cells(sum.before, sum.after, sum.change, ""))
      row.push_back(cell);
    if (!report.by.empty())
      table.columns[0].min = std::max(table.columns[0].min, display_width(row[0]));
    table.rows.push_back(std::move(row));
  };
  if (report.other)
    sum_row("(other: " + plural(report.other->groups, "group") + ")", *report.other);
  sum_row("(total)", report.total);
  return table;
}

}  // namespace

std::string change_sentence(std::string_view what, double before, double after,
                            const std::optional<double>& percent, std::string_view unit) {
  std::string text(what);
  if (percent && std::abs(*percent) >= 0.05) {
    text += (*percent < 0 ? " down " : " up ") + format_fixed(std::abs(*percent), 1) + "%";
  } else if (!percent && after > 0) {
    text += " up from 0";
  } else {
    text += " unchanged";
  }
  return text + " (" + rate(before) + std::string(unit) + " → " + rate(after) + std::string(unit) +
         ")";
}

std::string totals_sentence(const DiffSum& total) {
  return change_sentence("load", total.before.metrics.rate_per_s.value_or(0),
                         total.after.metrics.rate_per_s.value_or(0), total.change.rate_pct, "/s") +
         " · " +
         change_sentence("errors", total.before.errors_per_s, total.after.errors_per_s,
                         total.change.errors_pct, "/s") +
         " · " +
         (total.change.cost_s_per_s
              ? change_sentence("cost", *total.before.cost_s_per_s, *total.after.cost_s_per_s,
                                total.change.cost_pct, " s/s")
              : std::string("cost unknown (no latency on one side)"));
}

std::string render_diff(const DiffReport& report, OutputFormat format,
                        const RenderOptions& options) {
  switch (format) {
    case OutputFormat::kTable: return render_diff_table(report, options);
    case OutputFormat::kMarkdown: return render_diff_markdown(report);
    case OutputFormat::kJson: return render_diff_json(report);
    case OutputFormat::kCsv: return render_diff_csv(report);
    case OutputFormat::kHtml: break;  // report only
  }
  return {};
}

std::string render_diff_table(const DiffReport& report, const RenderOptions& options) {
  TerminalTable table = diff_table(report);
  std::vector<std::size_t> widths = table_widths(table, options.width);
  Style style(options.color);
  std::size_t first_change = report.by.size() + 4;  // change/s, change, err/s, cost/s
  CellStyle cell_style = [&](std::size_t column, const std::string& cell) {
    return column >= first_change && column < first_change + 4 ? style.change(cell) : cell;
  };
  std::string out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    std::string line = table_line(table, r, widths, cell_style);
    out += (r == 0 ? style.header(line) : line) + '\n';
  }
  std::vector<std::string> lines{totals_sentence(report.total)};
  side_lines(lines, "before", report.before);
  side_lines(lines, "after", report.after);
  out += '\n';
  append_footer(out, lines, options);
  return out;
}

std::string render_diff_markdown(const DiffReport& report) {
  std::string out = "### kubeblame diff by ";
  for (std::size_t i = 0; i < report.by.size(); ++i) out += (i > 0 ? ", " : "") + report.by[i];
  out += " (sorted by " + sort_phrase(report) + ")\n\n";
  out += "**" + totals_sentence(report.total) + "**\n\n";
  out += "- Before: " + escape_markdown(window(report.before)) + "\n";
  out += "- After: " + escape_markdown(window(report.after)) + "\n\n|";
  for (const std::string& dim : report.by) out += " " + dim + " |";
  for (const char* name : kMetricHeaders) out += " " + std::string(name) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < report.by.size(); ++i) out += " --- |";
  for (std::size_t i = 0; i + 1 < kMetricColumns; ++i) out += " ---: |";
  out += " --- |\n";
  auto cells = [](const std::vector<std::string>& metrics) {
    std::string text;
    for (const std::string& cell : metrics) text += " " + cell + " |";
    return text;
  };
  for (const DiffRow& row : report.rows) {
    out += '|';
    for (const std::string& k : row.key) out += " " + escape_markdown(k) + " |";
    out += cells(metric_cells(row.before, row.after, row.change, status_cell(row.status))) + '\n';
  }
  auto sum_row = [&](const std::string& label, const DiffSum& sum) {
    out += "| " + label + " |";
    for (std::size_t i = 1; i < report.by.size(); ++i) out += " |";
    out += cells(metric_cells(sum.before, sum.after, sum.change, "")) + '\n';
  };
  if (report.other)
    sum_row("*(other: " + plural(report.other->groups, "group") + ")*", *report.other);
  sum_row("**(total)**", report.total);
  std::vector<std::string> lines;
  side_lines(lines, "before", report.before);
  side_lines(lines, "after", report.after);
  out += '\n';
  for (const std::string& line : lines) {
    out += line.rfind("  ", 0) == 0 ? "  - " + escape_markdown(line.substr(2)) + '\n'
                                    : "- " + escape_markdown(line) + '\n';
  }
  return out;
}

}  // namespace kubeblame::report
