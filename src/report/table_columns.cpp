// Human-readable metric cells: counts with separators, share as a percentage, latencies with
// units, "-" where there is no data (no latency for watch-only groups or GKE input, no rate
// without a span).
#include "kubeblame/report/table_columns.h"

#include <fmt/format.h>

#include "kubeblame/report/format.h"

namespace kubeblame::report {

namespace {
std::string latency(const std::optional<double>& ms) { return ms ? format_latency_ms(*ms) : "-"; }
}  // namespace

const std::vector<MetricColumn>& metric_columns() {
  static const std::vector<MetricColumn> kColumns = {
      {"requests", [](const RowMetrics& m) { return format_count(m.requests); }},
      {"share", [](const RowMetrics& m) { return fmt::format("{:.1f}%", m.share * 100.0); }},
      {"rate/s",
       [](const RowMetrics& m) { return m.rate_per_s ? format_fixed(*m.rate_per_s, 2) : "-"; }},
      {"errors", [](const RowMetrics& m) { return format_count(m.errors); }},
      {"p50", [](const RowMetrics& m) { return latency(m.p50_ms); }},
      {"p95", [](const RowMetrics& m) { return latency(m.p95_ms); }},
      {"p99", [](const RowMetrics& m) { return latency(m.p99_ms); }},
      {"max", [](const RowMetrics& m) { return latency(m.max_ms); }},
      {"cost_s", [](const RowMetrics& m) { return m.cost_s ? format_fixed(*m.cost_s, 2) : "-"; }},
      {"watches", [](const RowMetrics& m) { return format_count(m.watches); }},
  };
  return kColumns;
}

}  // namespace kubeblame::report
