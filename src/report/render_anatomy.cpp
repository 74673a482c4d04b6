// The incident report's overload anatomy: where the API server's time went (etcd, admission
// webhooks, APF queue wait, the rest) per costly group, and the admission webhooks that fail
// open or are slow. The numbers are the `top` breakdown metrics (docs/counting.md).
#include <fmt/format.h>

#include <algorithm>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/incident_report.h"
#include "kubeblame/report/style.h"
#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {

namespace {

constexpr const char* kTimeTitle = "Where the time went (costliest agent, verb and resource)";
constexpr const char* kWebhookTitle = "Admission webhooks";
constexpr const char* kTimeNote =
    "etcd, webhook and APF-wait seconds come from the latency breakdown the API server writes for "
    "requests over 500 ms (traced); other is the rest of the cost";
constexpr const char* kApfNote =
    "priority level and flow schema from the kube-apiserver HTTP log lines (-v=3) joined by "
    "audit ID; (unknown): no line named the request";
// A webhook whose requests spent this long in admission webhooks, on average, is slow.
constexpr double kSlowWebhookSeconds = 1.0;

TopReport webhook_table(const IncidentReport& report) {
  TopReport webhooks = report.webhooks;
  webhooks.columns = {"requests", "mutations", "failed_open", "p99", "cost", "traced", "webhook"};
  return webhooks;
}

bool any_traced(const TopReport& top) {
  return std::any_of(top.rows.begin(), top.rows.end(),
                     [](const Row& r) { return r.metrics.traced > 0; });
}

std::string heading(std::string_view title, const RenderOptions& options) {
  Style style(options.color);
  std::string out;
  std::size_t rule_width = 0;
  for (const std::string& line : wrap_words(title, options.width)) {
    out += style.header(line) + '\n';
    rule_width = std::max(rule_width, display_width(line));
  }
  for (std::size_t i = 0; i < rule_width; ++i) out += "\xE2\x94\x80";  // ─
  return out + '\n';
}

// "validate.kyverno.svc-fail" or "webhook namespace.sidecar-injector.istio.io (configuration
// istio-sidecar-injector)".
std::string webhook_name(std::string_view key) {
  std::size_t slash = key.find('/');
  if (slash == std::string_view::npos) return fmt::format("webhook {}", key);
  return fmt::format("webhook {} (configuration {})", key.substr(slash + 1), key.substr(0, slash));
}

}  // namespace

TopReport time_split(const IncidentReport& report) {
  TopReport split = report.cost;
  split.columns = {"requests", "throttled", "cost",     "traced",
                   "etcd",     "webhook",   "apf_wait", "other"};
  return split;
}

TopReport apf_columns(const TopReport& apf) {
  TopReport view = apf;
  view.columns = {"requests", "share", "errors", "throttled", "p99", "cost", "traced", "apf_wait"};
  return view;
}

std::string apf_title(const TopReport& apf) {
  return fmt::format("API Priority and Fairness: load by priority level and flow schema (top {})",
                     apf.top == 0 ? std::string("all") : std::to_string(apf.top));
}

std::string_view apf_note() { return kApfNote; }
std::string_view time_title() { return kTimeTitle; }
std::string_view time_note() { return kTimeNote; }
std::string_view webhook_title() { return kWebhookTitle; }

std::string apf_table(const IncidentReport& report, const RenderOptions& options) {
  if (!report.apf) return {};
  std::string out = '\n' + heading(apf_title(*report.apf), options);
  out += render_top_table_body(apf_columns(*report.apf), options) + '\n';
  std::vector<std::string> notes = {kApfNote};
  for (const std::string& finding : report.apf_findings) notes.push_back(escape_terminal(finding));
  append_footer(out, notes, options);
  return out;
}

std::string apf_markdown(const IncidentReport& report) {
  if (!report.apf) return {};
  std::string out = "\n### " + apf_title(*report.apf) + "\n\n";
  out += render_top_markdown_body(apf_columns(*report.apf));
  out += std::string("\n- ") + kApfNote + '\n';
  for (const std::string& finding : report.apf_findings) {
    out += "- " + escape_markdown(finding) + '\n';
  }
  return out;
}

std::vector<std::string> webhook_findings(const TopReport& webhooks) {
  std::vector<std::string> out;
  for (const Row& row : webhooks.rows) {
    const RowMetrics& m = row.metrics;
    double per_request = m.traced ? m.webhook_s.value_or(0) / static_cast<double>(m.traced) : 0;
    bool slow = per_request >= kSlowWebhookSeconds;
    if (m.failed_open == 0 && !slow) continue;
    std::string line = webhook_name(row.key.front());
    if (m.failed_open > 0) line += fmt::format(" failed open on {}", plural(m.failed_open, "call"));
    if (slow) {
      line += fmt::format("{} its {} spent {} s in admission webhooks ({} s each on average)",
                          m.failed_open > 0 ? ";" : ":", plural(m.traced, "slow request"),
                          format_fixed(*m.webhook_s, 2), format_fixed(per_request, 2));
    }
    out.push_back(std::move(line));
  }
  return out;
}

std::string anatomy_table(const IncidentReport& report, const RenderOptions& options) {
  std::string out;
  TopReport split = time_split(report);
  if (any_traced(split)) {
    out += '\n' + heading(kTimeTitle, options);
    out += render_top_table_body(split, options) + '\n';
    append_footer(out, {kTimeNote}, options);
  }
  if (report.webhooks.rows.empty()) return out;
  out += '\n' + heading(kWebhookTitle, options);
  out += render_top_table_body(webhook_table(report), options);
  std::vector<std::string> findings;
  for (const std::string& finding : webhook_findings(report.webhooks))
    findings.push_back(escape_terminal(finding));
  if (!findings.empty()) {
    out += '\n';
    append_footer(out, findings, options);
  }
  return out;
}

std::string anatomy_markdown(const IncidentReport& report) {
  std::string out;
  TopReport split = time_split(report);
  if (any_traced(split)) {
    out += std::string("\n### ") + kTimeTitle + "\n\n";
    out += render_top_markdown_body(split);
    out += std::string("\n- ") + kTimeNote + '\n';
  }
  if (report.webhooks.rows.empty()) return out;
  out += std::string("\n### ") + kWebhookTitle + "\n\n";
  out += render_top_markdown_body(webhook_table(report));
  std::vector<std::string> findings = webhook_findings(report.webhooks);
  if (!findings.empty()) out += '\n';
  for (const std::string& finding : findings) out += "- " + escape_markdown(finding) + '\n';
  return out;
}

}  // namespace kubeblame::report
