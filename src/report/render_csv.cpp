// CSV: one header row and one row per group (the other row keyed "(other)"); raw numbers in
// the same units as JSON, empty cells where JSON has null.
#include <algorithm>

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

void metric_cells(std::string& out, const RowMetrics& m, bool webhook) {
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
  out += ',' + std::to_string(m.throttled);
  out += ',' + std::to_string(m.traced);
  out += ',' + number(m.etcd_s, 6);
  out += ',' + number(m.webhook_s, 6);
  out += ',' + number(m.apf_wait_s, 6);
  if (webhook) out += ',' + std::to_string(m.mutations) + ',' + std::to_string(m.failed_open);
  out += "\r\n";
}

}  // namespace

std::string render_top_csv(const TopReport& report) {
  std::string out;
  for (std::size_t i = 0; i < report.by.size(); ++i) {
    if (i > 0) out += ',';
    out += report.by[i];
  }
  // New columns go last, so that scripts reading columns by position keep working.
  bool webhook = std::find(report.by.begin(), report.by.end(), "webhook") != report.by.end();
  out += ",requests,share,rate_per_s,errors,p50_ms,p95_ms,p99_ms,max_ms,cost_s,watches,first,last";
  out += ",throttled,traced,etcd_s,webhook_s,apf_wait_s";
  out += webhook ? ",mutations,failed_open\r\n" : "\r\n";
  for (const Row& row : report.rows) {
    for (std::size_t d = 0; d < row.key.size(); ++d) {
      if (d > 0) out += ',';
      out += escape_csv(row.key[d]);
    }
    metric_cells(out, row.metrics, webhook);
  }
  if (report.other) {
    out += "(other)";
    for (std::size_t d = 1; d < report.by.size(); ++d) out += ',';
    metric_cells(out, report.other->metrics, webhook);
  }
  return out;
}

}  // namespace kubeblame::report
