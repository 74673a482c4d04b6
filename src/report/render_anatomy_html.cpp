// The HTML report's overload anatomy: where the API server's time went (stacked bars of etcd,
// admission webhooks, APF queue wait and the rest per costly group, then the table with the
// markdown section's numbers), the admission webhooks, and the API Priority and Fairness view.
// Every string from the input goes through escape_html.
#include <fmt/format.h>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/incident_report.h"
#include "kubeblame/report/render_incident_html.h"
#include "kubeblame/report/svg_chart.h"
#include "kubeblame/report/table_columns.h"

namespace kubeblame::report {

namespace {

const std::vector<BarPart>& time_parts() {
  static const std::vector<BarPart> kParts = {
      {"etcd", "s0"}, {"admission webhooks", "s1"}, {"APF queue wait", "s2"}, {"other", "so"}};
  return kParts;
}

std::string joined(const std::vector<std::string>& key) {
  std::string out;
  for (const std::string& part : key) out += (out.empty() ? "" : " ") + part;
  return out;
}

// One bar per group with traced requests: its cost split as in the table below it.
std::vector<StackedBarItem> time_bars(const TopReport& split) {
  std::vector<StackedBarItem> bars;
  for (const Row& row : split.rows) {
    const RowMetrics& m = row.metrics;
    if (m.traced == 0) continue;
    bars.push_back({joined(row.key),
                    {m.etcd_s.value_or(0), m.webhook_s.value_or(0), m.apf_wait_s.value_or(0),
                     other_seconds(m)},
                    format_fixed(m.cost_s.value_or(0), 2) + " s"});
  }
  return bars;
}

std::string legend(const std::vector<BarPart>& parts) {
  std::string out = "<ul class=\"legend\">";
  for (const BarPart& part : parts) {
    out += "<li><span class=\"sw " + part.css + "\"></span>" + escape_html(part.name) + "</li>";
  }
  return out + "</ul>\n";
}

std::string findings_html(const std::vector<std::string>& findings) {
  std::string out;
  for (const std::string& finding : findings) {
    out += "<p class=\"warn\"><strong>finding:</strong> " + escape_html(finding) + "</p>\n";
  }
  return out;
}

std::string time_section(const IncidentReport& report) {
  TopReport split = time_split(report);
  std::vector<StackedBarItem> bars = time_bars(split);
  if (bars.empty()) return {};
  std::string title(time_title());
  std::string out = "<section id=\"time\" class=\"page\">\n<h2>" + escape_html(title) + "</h2>\n";
  out += "<p class=\"sub\">" + escape_html(time_note()) + ".</p>\n";
  out += svg_stacked_bar_chart(bars, time_parts(), " s",
                               "Stacked horizontal bars: " + title +
                                   ", seconds of etcd, admission webhooks, APF queue wait and "
                                   "other per group with traced requests");
  out += "\n" + legend(time_parts()) + html_top_table(split) + "</section>\n";
  return out;
}

std::string webhook_section(const IncidentReport& report) {
  if (report.webhooks.rows.empty()) return {};
  TopReport webhooks = report.webhooks;
  webhooks.columns = {"requests", "mutations", "failed_open", "p99", "cost", "traced", "webhook"};
  std::string out = "<section id=\"webhooks\">\n<h2>" + escape_html(webhook_title()) + "</h2>\n";
  out += html_top_table(webhooks) + findings_html(webhook_findings(report.webhooks));
  return out + "</section>\n";
}

std::string apf_section(const IncidentReport& report) {
  if (!report.apf) return {};
  std::string out = "<section id=\"apf\">\n<h2>" + escape_html(apf_title(*report.apf)) + "</h2>\n";
  out += "<p class=\"sub\">" + escape_html(apf_note()) + ".</p>\n";
  out += html_top_table(apf_columns(*report.apf)) + findings_html(report.apf_findings);
  return out + "</section>\n";
}

}  // namespace

std::string anatomy_html_sections(const IncidentReport& report) {
  return time_section(report) + webhook_section(report) + apf_section(report);
}

}  // namespace kubeblame::report
