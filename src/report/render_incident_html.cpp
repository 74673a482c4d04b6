// The HTML page: head (charset, a Content-Security-Policy that forbids scripts and any fetch,
// the title with the time span, the stylesheet), then the sections in the order of the other
// incident renderers, with the timeline chart right after the input summary as the overview.
// Every string from the input goes through escape_html, in text and in attributes alike.
#include "kubeblame/report/render_incident_html.h"

#include <fmt/format.h>
#include <kubeblame/version.h>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/html_style.h"
#include "kubeblame/report/render_incident.h"
#include "kubeblame/report/render_timeline.h"
#include "kubeblame/report/svg_chart.h"
#include "kubeblame/report/table_columns.h"

namespace kubeblame::report {

namespace {

constexpr std::size_t kMaxFilesListed = 10;
constexpr std::string_view kDot = " \xC2\xB7 ";

std::string percent(std::uint64_t part, std::uint64_t whole) {
  return whole > 0 ? fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole))
                   : "-";
}

std::string top_label(std::size_t top) { return top == 0 ? std::string("all") : std::to_string(top); }

std::string span_text(const InputSummary& input) {
  if (!input.first || !input.last) return "no timestamps";
  return format_time_short(*input.first) + " \xE2\x86\x92 " + format_time_short(*input.last) + " (" +
         format_span(static_cast<double>(*input.last - *input.first) / 1e9) + ")";
}

std::string head(const IncidentReport& report) {
  std::string title = "kubeblame incident report";
  if (report.input.first && report.input.last) title += std::string(kDot) + span_text(report.input);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"generator\" content=\"kubeblame ";
  out += escape_html(kVersion);
  out += "\">\n<title>" + escape_html(title) + "</title>\n<style>";
  out += html_report_css();
  out += "</style>\n</head>\n<body>\n";
  return out;
}

void tile(std::string& out, const std::string& number, std::string_view label) {
  out += "<div class=\"tile\"><span class=\"n\">" + escape_html(number) + "</span><span class=\"l\">" +
         escape_html(label) + "</span></div>";
}

void fact(std::string& out, std::string_view term, const std::string& html) {
  out += "<dt>" + escape_html(term) + "</dt><dd>" + html + "</dd>";
}

std::string files_html(const std::vector<std::string>& files) {
  std::string out;
  for (std::size_t i = 0; i < files.size() && i < kMaxFilesListed; ++i) {
    if (i > 0) out += ", ";
    out += "<code>" + escape_html(files[i] == "-" ? "<stdin>" : files[i]) + "</code>";
  }
  if (files.size() > kMaxFilesListed) out += " and " + format_count(files.size() - kMaxFilesListed) + " more";
  return out.empty() ? "none" : out;
}

std::string pairs_text(const std::vector<std::pair<std::string, std::uint64_t>>& pairs) {
  std::string out;
  for (const auto& [name, count] : pairs) out += (out.empty() ? "" : ", ") + name + " " + format_count(count);
  return out;
}

std::string summary_section(const IncidentReport& report) {
  const InputSummary input = incident_input(report);
  bool audit = !audit_sections_omitted(report);
  std::string out = "<section id=\"input\">\n<h2>Input</h2>\n<div class=\"tiles\">";
  tile(out, format_count(input.requests), "requests");
  tile(out, input.first && input.last ? format_span(static_cast<double>(*input.last - *input.first) / 1e9) : "-",
       "time span");
  tile(out, format_count(report.errors.total), "errors");
  if (audit) {
    tile(out, format_count(report.fights.rows.size() + report.fights.other_rows), "fights and hot loops");
    tile(out, format_count(report.list_sources.total.etcd), "LISTs from etcd");
  }
  out += "</div>\n<dl class=\"facts\">";
  fact(out, "inputs", files_html(input.files));
  fact(out, "formats", input.formats.empty() ? "none recognised" : escape_html(pairs_text(input.formats)));
  fact(out, "time span", escape_html(span_text(input)));
  std::string records = plural(input.events, "event") + std::string(kDot) + plural(input.requests, "request");
  if (input.log_lines > 0) records += std::string(kDot) + plural(input.log_lines, "log line");
  fact(out, "records", escape_html(records));
  std::string lines = format_count(input.lines) + " = decoded " + format_count(input.decoded) +
                      (input.duplicates > 0 ? " (duplicates " + format_count(input.duplicates) + ")" : "") +
                      " + filtered " + format_count(input.filtered) + " + skipped " + format_count(input.skipped_total);
  if (!input.skipped.empty()) lines += " (" + pairs_text(input.skipped) + ")";
  fact(out, "lines", escape_html(lines));
  if (!input.filters.empty()) {
    std::string filters;
    for (const std::string& filter : input.filters) filters += (filters.empty() ? "" : std::string(kDot)) + filter;
    fact(out, "filters", escape_html(filters));
  }
  out += "</dl>\n";
  if (!input.samples.empty()) {
    out += std::string("<p>") + (input.sampled_skips > input.samples.size() ? "First skipped lines:" : "Skipped lines:") +
           "</p>\n<ul class=\"samples\">";
    for (const std::string& sample : input.samples) out += "<li><code>" + escape_html(sample) + "</code></li>";
    out += "</ul>\n";
  }
  for (const std::string& warning : input.warnings) {
    out += "<p class=\"warn\"><strong>warning:</strong> " + escape_html(warning) + "</p>\n";
  }
  out += "</section>\n";
  return out;
}

std::string series_name(const TimelineSeries& series) {
  std::string name;
  for (std::size_t k = 0; k < series.key.size(); ++k) name += (k > 0 ? std::string(kDot) : "") + series.key[k];
  return name;
}

void legend_item(std::string& out, const std::string& css, const std::string& name, std::uint64_t requests) {
  out += "<li><span class=\"sw " + css + "\"></span>" + escape_html(name) + " <span class=\"muted\">" +
         format_count(requests) + "</span></li>";
}

std::string timeline_section(const TimelineReport& timeline) {
  std::string out = "<section id=\"timeline\">\n<h2>Requests over time by agent (top " + top_label(timeline.top) +
                    ")</h2>\n";
  std::string chart = svg_timeline(timeline);
  if (chart.empty()) return out + "<p class=\"muted\">No requests with a timestamp.</p>\n</section>\n";
  out += "<p class=\"sub\">" + escape_html(timeline_header_line(timeline)) + "</p>\n" + chart + "\n<ul class=\"legend\">";
  for (std::size_t i = 0; i < timeline.series.size(); ++i) {
    legend_item(out, series_class(i), series_name(timeline.series[i]), timeline.series[i].requests);
  }
  if (timeline.other_groups > 0) {
    legend_item(out, "so", "(other: " + plural(timeline.other_groups, "group") + ")", timeline.other.requests);
  }
  out += "</ul>\n";
  if (timeline.untimed > 0) {
    out += "<p class=\"muted\">" + plural(timeline.untimed, "request") + " without a timestamp " +
           (timeline.untimed == 1 ? "is" : "are") + " not drawn.</p>\n";
  }
  out += "</section>\n";
  return out;
}

std::string top_section(std::string_view id, std::string_view title, const TopReport& top) {
  return "<section id=\"" + std::string(id) + "\" class=\"page\">\n<h2>" + escape_html(title) +
         " (top " + top_label(top.top) + ")</h2>\n" + html_top_table(top) + "</section>\n";
}

std::string joined_key(const std::vector<std::string>& key) {
  std::string out;
  for (const std::string& part : key) out += (out.empty() ? "" : " ") + part;
  return out;
}

std::string cost_section(const TopReport& cost) {
  std::string title = "Cost: API-server seconds by agent, verb and resource (top " + top_label(cost.top) + ")";
  std::vector<BarItem> bars;
  for (const Row& row : cost.rows) {
    std::string label = joined_key(row.key);
    std::string seconds = row.metrics.cost_s ? format_fixed(*row.metrics.cost_s, 2) + " s" : "no latency";
    std::string tooltip =
        fmt::format("{}: {} over {}", label, seconds, plural(row.metrics.requests, "request"));
    bars.push_back({label, row.metrics.cost_s.value_or(0), seconds, std::move(tooltip)});
  }
  std::string out = "<section id=\"cost\" class=\"page\">\n<h2>" + escape_html(title) + "</h2>\n";
  out += "<p class=\"sub\">Latency summed per group: the API server's time spent serving it.</p>\n";
  out += svg_bar_chart(bars, "Horizontal bars: " + title);
  out += html_top_table(cost) + "</section>\n";
  return out;
}

std::string list_row_cells(const ListSourceRow& row) {
  std::string out;
  for (const std::string& cell :
       {format_count(row.lists), format_count(row.etcd), format_count(row.cache), percent(row.etcd, row.lists),
        format_fixed(row.etcd_cost_s, 2), format_fixed(row.cost_s, 2), fmt::format("{:.1f}%", row.share * 100.0)}) {
    out += "<td class=\"num\">" + cell + "</td>";
  }
  return out;
}

std::string list_sources_section(const ListSourcesReport& lists) {
  std::string out = "<section id=\"list-sources\" class=\"page\">\n<h2>LIST requests: etcd or watch cache</h2>\n";
  if (lists.rows.empty()) {
    out += "<p class=\"muted\">" + no_list_rows(lists) + "</p>\n";
  } else {
    out += "<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">agent</th><th scope=\"col\">resource</th>";
    for (std::string_view h : {"lists", "etcd", "cache", "etcd %", "etcd cost_s", "cost_s", "share"}) {
      out += "<th scope=\"col\" class=\"num\">" + std::string(h) + "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    for (const ListSourceRow& row : lists.rows) {
      out += "<tr><td class=\"key\">" + escape_html_breakable(row.agent) + "</td><td class=\"key\">" + escape_html_breakable(row.resource) +
             "</td>" + list_row_cells(row) + "</tr>\n";
    }
    if (lists.other_rows > 0) {
      out += "<tr class=\"other\"><td colspan=\"2\">(other: " + plural(lists.other_rows, "group") + ")</td>" +
             list_row_cells(lists.other) + "</tr>\n";
    }
    out += "</tbody></table></div>\n";
  }
  out += "<p>" + escape_html(list_sources_totals_line(lists)) + "</p>\n";
  std::string reasons = list_sources_reasons_line(lists);
  if (!reasons.empty()) out += "<p>" + escape_html(reasons) + "</p>\n";
  out += "<p class=\"sub\">" + escape_html(list_sources_note()) + "</p>\n</section>\n";
  return out;
}

}  // namespace

std::string html_top_table(const TopReport& top) {
  if (top.rows.empty()) return "<p class=\"muted\">No requests.</p>\n";
  std::string out = "<div class=\"table\"><table>\n<thead><tr>";
  for (const std::string& dim : top.by) out += "<th scope=\"col\">" + escape_html(dim) + "</th>";
  const std::vector<MetricColumn> columns = select_metric_columns(top.columns);
  for (const MetricColumn& column : columns) {
    out += "<th scope=\"col\" class=\"num\">" + escape_html(column.table_header) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  auto metrics = [&](const RowMetrics& m) {
    for (const MetricColumn& column : columns)
      out += "<td class=\"num\">" + escape_html(column.human(m)) + "</td>";
  };
  for (const Row& row : top.rows) {
    out += "<tr>";
    for (const std::string& key : row.key)
      out += "<td class=\"key\">" + escape_html_breakable(key) + "</td>";
    metrics(row.metrics);
    out += "</tr>\n";
  }
  if (top.other) {
    out += "<tr class=\"other\"><td colspan=\"" + std::to_string(top.by.size()) +
           "\">(other: " + plural(top.other->groups, "group") + ")</td>";
    metrics(top.other->metrics);
    out += "</tr>\n";
  }
  out += "</tbody></table></div>\n";
  return out;
}

std::string render_incident_html(const IncidentReport& report) {
  std::string out = head(report);
  out += "<header>\n<h1>kubeblame incident report</h1>\n<p class=\"sub\">" + escape_html(span_text(report.input)) +
         "</p>\n</header>\n<main>\n";
  out += summary_section(report);
  bool audit = !audit_sections_omitted(report);
  if (audit) {
    out += timeline_section(report.timeline);
    out += top_section("top-agents", "Top talkers by agent", report.top_agents);
    out += top_section("top-user-verb-resource", "Top talkers by user, verb and resource",
                       report.top_user_verb_resource);
    out += cost_section(report.cost);
    out += list_sources_section(report.list_sources);
    out += anatomy_html_sections(report);
  }
  out += errors_html_section(report.errors);
  if (audit) out += fights_html_section(report.fights);
  out += "</main>\n<footer>Generated by kubeblame " + escape_html(kVersion) +
         " from the inputs above; times are UTC.</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace kubeblame::report
