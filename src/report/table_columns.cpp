// Human-readable metric cells: counts with separators, share as a percentage, latencies with
// units, "-" where there is no data (no latency for watch-only groups or GKE input, no rate
// without a span, no breakdown without a traced request).
#include "kubeblame/report/table_columns.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "kubeblame/report/format.h"

namespace kubeblame::report {

namespace {
std::string latency(const std::optional<double>& ms) { return ms ? format_latency_ms(*ms) : "-"; }
std::string seconds(const std::optional<double>& s) { return s ? format_fixed(*s, 2) : "-"; }

constexpr std::string_view kDefault[] = {"requests", "share", "rate", "errors", "p50",
                                         "p95",      "p99",   "max",  "cost",   "watches"};
constexpr std::string_view kBreakdown[] = {"requests", "errors", "throttled", "p99",     "cost",
                                           "traced",   "etcd",   "webhook",   "apf_wait"};

std::vector<std::string> names_of(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}
}  // namespace

const std::vector<MetricColumn>& all_metric_columns() {
  static const std::vector<MetricColumn> kColumns = {
      {"requests", [](const RowMetrics& m) { return format_count(m.requests); }, "requests"},
      {"share", [](const RowMetrics& m) { return fmt::format("{:.1f}%", m.share * 100.0); },
       "share"},
      {"rate/s",
       [](const RowMetrics& m) { return m.rate_per_s ? format_fixed(*m.rate_per_s, 2) : "-"; },
       "rate"},
      {"errors", [](const RowMetrics& m) { return format_count(m.errors); }, "errors"},
      {"429s", [](const RowMetrics& m) { return format_count(m.throttled); }, "throttled"},
      {"p50", [](const RowMetrics& m) { return latency(m.p50_ms); }, "p50"},
      {"p95", [](const RowMetrics& m) { return latency(m.p95_ms); }, "p95"},
      {"p99", [](const RowMetrics& m) { return latency(m.p99_ms); }, "p99"},
      {"max", [](const RowMetrics& m) { return latency(m.max_ms); }, "max"},
      {"cost_s", [](const RowMetrics& m) { return m.cost_s ? format_fixed(*m.cost_s, 2) : "-"; }, "cost"},
      {"watches", [](const RowMetrics& m) { return format_count(m.watches); }, "watches"},
      {"traced", [](const RowMetrics& m) { return format_count(m.traced); }, "traced"},
      {"etcd_s", [](const RowMetrics& m) { return seconds(m.etcd_s); }, "etcd"},
      {"webhook_s", [](const RowMetrics& m) { return seconds(m.webhook_s); }, "webhook"},
      {"apf_wait_s", [](const RowMetrics& m) { return seconds(m.apf_wait_s); }, "apf_wait"},
      {"other_s",
       [](const RowMetrics& m) { return m.traced ? format_fixed(other_seconds(m), 2) : "-"; },
       "other"},
      {"mutated", [](const RowMetrics& m) { return format_count(m.mutations); }, "mutations"},
      {"failed_open", [](const RowMetrics& m) { return format_count(m.failed_open); },
       "failed_open"},
  };
  return kColumns;
}

double other_seconds(const RowMetrics& m) {
  double named = m.etcd_s.value_or(0) + m.webhook_s.value_or(0) + m.apf_wait_s.value_or(0);
  return std::max(0.0, m.cost_s.value_or(0) - named);
}

std::vector<MetricColumn> select_metric_columns(const std::vector<std::string>& names) {
  if (names.empty()) return metric_columns();
  std::vector<MetricColumn> out;
  for (const std::string& name : names) {
    for (const MetricColumn& column : all_metric_columns()) {
      if (column.name == name) out.push_back(column);
    }
  }
  return out;
}

const std::vector<MetricColumn>& metric_columns() {
  static const std::vector<MetricColumn> kColumns = [] {
    std::vector<MetricColumn> out;
    for (std::string_view name : kDefault) {
      for (const MetricColumn& column : all_metric_columns()) {
        if (column.name == name) out.push_back(column);
      }
    }
    return out;
  }();
  return kColumns;
}

std::optional<std::vector<std::string>> parse_metric_columns(std::string_view text,
                                                             std::string& error) {
  if (text == "default") return names_of(kDefault);
  if (text == "breakdown") return names_of(kBreakdown);
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find(',', start), text.size());
    std::string name(text.substr(start, end - start));
    bool known = false;
    for (const MetricColumn& column : all_metric_columns()) known = known || column.name == name;
    if (!known) {
      std::string valid = "default, breakdown";
      for (const MetricColumn& column : all_metric_columns()) valid.append(", ").append(column.name);
      error = fmt::format("unknown column '{}' in --columns; valid: {}", name, valid);
      return std::nullopt;
    }
    out.push_back(std::move(name));
    start = end + 1;
  }
  return out;
}

}  // namespace kubeblame::report
