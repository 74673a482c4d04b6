// CSV: one header row and one row per group (the other row keyed "(other)"); raw numbers in
// the same units as JSON, empty cells where JSON has null.
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render.h"

namespace kubeblame::report {

namespace {

std::string number(const std::optional<double>& value, int decimals) {
  return value ? format_json_number(*value, decimals) : "";
}

std::string time_cell(const std::optional<model::TimeNs>& value) {
  return value ? format_rfc3339(*value) : "";
}

void metric_cells(std::string& out, const RowMetrics& m) {
  out += ',' + std::to_string(m.requests);
  out += ',' + format_json_number(m.share, 6);
  out += ',' + number(m.rate_per_s, 6);
  out += ',' + std::to_string(m.errors);
  out += ',' + number(m.p50_ms, 3);
  out += ',' + number(m.p95_ms, 3);
  out += ',' + number(m.p99_ms, 3);
  out += ',' + number(m.max_ms, 3);
  out += ',' + number(m.cost_s, 6);
  out += ',' + std::to_string(m.watches);
  out += ',' + time_cell(m.first);
  out += ',' + time_cell(m.last);
  out += "\r\n";
}

}  // namespace

std::string render_top_csv(const TopReport& report) {
  std::string out;
  for (std::size_t i = 0; i < report.by.size(); ++i) {
    if (i > 0) out += ',';
    out += report.by[i];
  }
  out += ",requests,share,rate_per_s,errors,p50_ms,p95_ms,p99_ms,max_ms,cost_s,watches,first,last\r\n";
  for (const Row& row : report.rows) {
    for (std::size_t d = 0; d < row.key.size(); ++d) {
      if (d > 0) out += ',';
      out += escape_csv(row.key[d]);
    }
    metric_cells(out, row.metrics);
  }
  if (report.other) {
    out += "(other)";
    for (std::size_t d = 1; d < report.by.size(); ++d) out += ',';
    metric_cells(out, report.other->metrics);
  }
  return out;
}

}  // namespace kubeblame::report
