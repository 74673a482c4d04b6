// `kubeblame errors --format json`, docs/json.md: {"tool","version","command":"errors",
// "levels","input",...,"rows":[{"signature","source","component","level","count","codes",
// "first","last","example","callers":[{"agent","user","impersonated_user","count"}]}],
// "other":{"rows","count"}}; impersonated_user is "(none)" without impersonation, as in top.
// component and level are null on audit rows (and component on log rows that name none).
#include <kubeblame/version.h>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_errors.h"

namespace kubeblame::report {

namespace {

void string_or_null(std::string& out, std::string_view text) {
  if (text.empty()) {
    out += "null";
  } else {
    json_string_value(out, text);
  }
}

void time_value(std::string& out, const std::optional<model::TimeNs>& time) {
  if (time) {
    json_string_value(out, format_rfc3339(*time));
  } else {
    out += "null";
  }
}

void row_object(std::string& out, const ErrorRow& row) {
  out += "{\"signature\":";
  json_string_value(out, row.signature);
  out += ",\"source\":";
  json_string_value(out, row.source);
  out += ",\"component\":";
  string_or_null(out, row.component);
  out += ",\"level\":";
  string_or_null(out, row.level);
  out += ",\"count\":" + std::to_string(row.count);
  out += ",\"codes\":{";
  for (std::size_t i = 0; i < row.codes.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, row.codes[i].first);
    out += ':' + std::to_string(row.codes[i].second);
  }
  out += "},\"first\":";
  time_value(out, row.first);
  out += ",\"last\":";
  time_value(out, row.last);
  out += ",\"example\":";
  json_string_value(out, row.example);
  out += ",\"callers\":[";
  for (std::size_t i = 0; i < row.callers.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"agent\":";
    json_string_value(out, row.callers[i].agent);
    out += ",\"user\":";
    json_string_value(out, row.callers[i].user);
    out += ",\"impersonated_user\":";
    json_string_value(out, row.callers[i].impersonated_user);
    out += ",\"count\":" + std::to_string(row.callers[i].count) + '}';
  }
  out += "]}";
}

}  // namespace

std::string render_errors_json(const ErrorsReport& report) {
  std::string out = json_document_head(report.command);
  out += ",\"levels\":";
  json_string_value(out, report.levels);
  out += ',';
  append_json_input(out, report.input);
  out += ',';
  append_errors_json_rows(out, report);
  out += "}\n";
  return out;
}

void append_errors_json_rows(std::string& out, const ErrorsReport& report) {
  out += "\"rows\":[";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    if (i > 0) out += ',';
    row_object(out, report.rows[i]);
  }
  out += "],\"other\":{\"rows\":" + std::to_string(report.other_rows) +
         ",\"count\":" + std::to_string(report.other_count) + "}";
}

}  // namespace kubeblame::report
