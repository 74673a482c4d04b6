// `kubeblame errors --format csv`: a header and one row per signature (then an "(other)" row
// when --top cut some off). Codes are "404:3;409:1", callers "agent (user) ×N, ..." (or "agent (user as
// impersonated user) ×N"); times
// RFC 3339 UTC; every input-derived cell goes through escape_csv.
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_errors.h"

namespace kubeblame::report {

namespace {

std::string time_cell(const std::optional<model::TimeNs>& time) {
  return time ? format_rfc3339(*time) : "";
}

}  // namespace

std::string render_errors_csv(const ErrorsReport& report) {
  std::string out = "signature,source,component,level,count,codes,first,last,example,callers\r\n";
  for (const ErrorRow& row : report.rows) {
    std::string codes;
    for (const auto& [code, count] : row.codes) {
      if (!codes.empty()) codes += ';';
      codes += code + ':' + std::to_string(count);
    }
    out += escape_csv(row.signature) + ',' + escape_csv(row.source) + ',' +
           escape_csv(row.component) + ',' + escape_csv(row.level) + ',' +
           std::to_string(row.count) + ',' + escape_csv(codes) + ',' + time_cell(row.first) +
           ',' + time_cell(row.last) + ',' + escape_csv(row.example) + ',' +
           escape_csv(error_callers_text(row)) + "\r\n";
  }
  if (report.other_rows > 0) {
    out += "(other),,,," + std::to_string(report.other_count) + ",,,,,\r\n";
  }
  return out;
}

}  // namespace kubeblame::report
