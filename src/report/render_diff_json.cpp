// `diff` for scripts: one JSON object (docs/json.md, "diff") and CSV with one header row. Both
// carry every number of the report in the units of `top`'s JSON.
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_diff.h"

namespace kubeblame::report {

namespace {

std::string number(double value) { return format_json_number(value, 6); }
// JSON null (CSV: an empty cell) for a cost that is unknown.
std::string number(const std::optional<double>& value, std::string_view absent) {
  return value ? number(*value) : std::string(absent);
}

std::string optional_percent(const std::optional<double>& value) {
  return value ? format_json_number(*value, 3) : "null";
}

void side_object(std::string& out, const DiffMetrics& side) {
  out += '{';
  append_json_metrics(out, side.metrics);
  out += ",\"errors_per_s\":" + number(side.errors_per_s);
  out += ",\"cost_s_per_s\":" + number(side.cost_s_per_s, "null") + '}';
}

void change_object(std::string& out, const DiffChange& c) {
  out += "{\"requests\":" + std::to_string(c.requests);
  out += ",\"rate_per_s\":" + number(c.rate_per_s);
  out += ",\"rate_pct\":" + optional_percent(c.rate_pct);
  out += ",\"errors\":" + std::to_string(c.errors);
  out += ",\"errors_per_s\":" + number(c.errors_per_s);
  out += ",\"errors_pct\":" + optional_percent(c.errors_pct);
  out += ",\"cost_s\":" + number(c.cost_s, "null");
  out += ",\"cost_s_per_s\":" + number(c.cost_s_per_s, "null");
  out += ",\"cost_pct\":" + optional_percent(c.cost_pct) + '}';
}

// "before":{…},"after":{…},"change":{…}
void sides(std::string& out, const DiffMetrics& before, const DiffMetrics& after,
           const DiffChange& change) {
  out += "\"before\":";
  side_object(out, before);
  out += ",\"after\":";
  side_object(out, after);
  out += ",\"change\":";
  change_object(out, change);
}

void input_side(std::string& out, const DiffSide& side) {
  append_json_input_object(out, side.input);
  out.pop_back();  // the object's closing brace: the side's own members follow
  out += ",\"path\":";
  json_string_value(out, side.label);
  out += ",\"span_s\":" + number(side.span_s) + '}';
}

void sum_object(std::string& out, const DiffSum& sum) {
  out += "{\"groups\":" + std::to_string(sum.groups) + ',';
  sides(out, sum.before, sum.after, sum.change);
  out += '}';
}

void json_rows(std::string& out, const DiffReport& report) {
  out += "\"rows\":[";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const DiffRow& row = report.rows[i];
    out += i > 0 ? ",{\"key\":{" : "{\"key\":{";
    for (std::size_t d = 0; d < row.key.size() && d < report.by.size(); ++d) {
      if (d > 0) out += ',';
      json_string_value(out, report.by[d]);
      out += ':';
      json_string_value(out, row.key[d]);
    }
    out += "},\"status\":";
    json_string_value(out, diff_status_name(row.status));
    out += ',';
    sides(out, row.before, row.after, row.change);
    out += '}';
  }
  out += ']';
}

void csv_cells(std::string& out, const DiffMetrics& before, const DiffMetrics& after,
               const DiffChange& c) {
  out +=
      ',' + std::to_string(before.metrics.requests) + ',' + std::to_string(after.metrics.requests);
  out += ',' + std::to_string(c.requests);
  out += ',' + number(before.metrics.rate_per_s.value_or(0)) + ',' +
         number(after.metrics.rate_per_s.value_or(0));
  out += ',' + number(c.rate_per_s) + ',' + (c.rate_pct ? format_json_number(*c.rate_pct, 3) : "");
  out += ',' + std::to_string(before.metrics.errors) + ',' + std::to_string(after.metrics.errors);
  out += ',' + number(before.errors_per_s) + ',' + number(after.errors_per_s) + ',' +
         number(c.errors_per_s);
  out += ',' + number(before.metrics.cost_s, "") + ',' + number(after.metrics.cost_s, "");
  out += ',' + number(before.cost_s_per_s, "") + ',' + number(after.cost_s_per_s, "") + ',' +
         number(c.cost_s_per_s, "");
  out += "\r\n";
}

void csv_sum(std::string& out, const DiffReport& report, const char* label, const DiffSum& sum) {
  out += label;
  for (std::size_t d = 1; d < report.by.size(); ++d) out += ',';
  out += ',';  // no status
  csv_cells(out, sum.before, sum.after, sum.change);
}

}  // namespace

std::string render_diff_json(const DiffReport& report) {
  std::string out = json_document_head("diff");
  out += ",\"by\":[";
  for (std::size_t i = 0; i < report.by.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, report.by[i]);
  }
  out += "],\"sort\":";
  json_string_value(out, report.sort);
  out += ",\"top\":" + std::to_string(report.top) + ",\"input\":{\"before\":";
  input_side(out, report.before);
  out += ",\"after\":";
  input_side(out, report.after);
  out += "},";
  json_rows(out, report);
  out += ",\"other\":";
  if (report.other) {
    sum_object(out, *report.other);
  } else {
    out += "null";
  }
  out += ",\"total\":";
  sum_object(out, report.total);
  out += "}\n";
  return out;
}

std::string render_diff_csv(const DiffReport& report) {
  std::string out;
  for (const std::string& dim : report.by) out += dim + ',';
  out +=
      "status,requests_before,requests_after,requests_change,rate_per_s_before,rate_per_s_after,"
      "rate_per_s_change,rate_pct,errors_before,errors_after,errors_per_s_before,errors_per_s_after,"
      "errors_per_s_change,cost_s_before,cost_s_after,cost_s_per_s_before,cost_s_per_s_after,"
      "cost_s_per_s_change\r\n";
  for (const DiffRow& row : report.rows) {
    for (std::size_t d = 0; d < row.key.size(); ++d)
      out += (d > 0 ? "," : "") + escape_csv(row.key[d]);
    out += ',' + std::string(diff_status_name(row.status));
    csv_cells(out, row.before, row.after, row.change);
  }
  if (report.other) csv_sum(out, report, "(other)", *report.other);
  csv_sum(out, report, "(total)", report.total);
  return out;
}

}  // namespace kubeblame::report
