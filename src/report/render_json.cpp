// JSON output, following docs/json.md field for field. Keys are always strings; numbers are
// fixed-precision and trimmed so the output is byte-stable; absent values are null.
#include <fmt/format.h>
#include <kubeblame/version.h>

#include <algorithm>

#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render.h"

namespace kubeblame::report {

namespace {

void optional_number(std::string& out, const std::optional<double>& value, int decimals) {
  out += value ? format_json_number(*value, decimals) : "null";
}

void optional_time(std::string& out, const std::optional<model::TimeNs>& value) {
  if (value) {
    json_string_value(out, format_rfc3339(*value));
  } else {
    out += "null";
  }
}

}  // namespace

void append_json_metrics(std::string& out, const RowMetrics& m, bool webhook) {
  out += "\"requests\":" + std::to_string(m.requests);
  out += ",\"share\":" + format_json_number(m.share, 6);
  out += ",\"rate_per_s\":";
  optional_number(out, m.rate_per_s, 6);
  out += ",\"errors\":" + std::to_string(m.errors);
  out += ",\"p50_ms\":";
  optional_number(out, m.p50_ms, 3);
  out += ",\"p95_ms\":";
  optional_number(out, m.p95_ms, 3);
  out += ",\"p99_ms\":";
  optional_number(out, m.p99_ms, 3);
  out += ",\"max_ms\":";
  optional_number(out, m.max_ms, 3);
  out += ",\"cost_s\":";
  optional_number(out, m.cost_s, 6);
  out += ",\"watches\":" + std::to_string(m.watches);
  out += ",\"throttled\":" + std::to_string(m.throttled);
  out += ",\"traced\":" + std::to_string(m.traced);
  out += ",\"etcd_s\":";
  optional_number(out, m.etcd_s, 6);
  out += ",\"webhook_s\":";
  optional_number(out, m.webhook_s, 6);
  out += ",\"apf_wait_s\":";
  optional_number(out, m.apf_wait_s, 6);
  if (webhook) {
    out += ",\"mutations\":" + std::to_string(m.mutations);
    out += ",\"failed_open\":" + std::to_string(m.failed_open);
  }
  out += ",\"first\":";
  optional_time(out, m.first);
  out += ",\"last\":";
  optional_time(out, m.last);
}

namespace {

void counts_object(std::string& out, const std::vector<std::pair<std::string, std::uint64_t>>& counts) {
  out += '{';
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, counts[i].first);
    out += ':' + std::to_string(counts[i].second);
  }
  out += '}';
}

void string_array(std::string& out, const std::vector<std::string>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, values[i]);
  }
  out += ']';
}

}  // namespace

void json_string_value(std::string& out, std::string_view text) {
  out += '"';
  append_json_string(out, text);
  out += '"';
}

std::string json_document_head(std::string_view command) {
  std::string out = "{\"tool\":\"kubeblame\",\"version\":";
  json_string_value(out, kVersion);
  out += ",\"command\":";
  json_string_value(out, command);
  return out;
}

void append_json_input(std::string& out, const InputSummary& input) {
  out += "\"input\":";
  append_json_input_object(out, input);
}

void append_json_input_object(std::string& out, const InputSummary& input) {
  out += "{\"files\":";
  string_array(out, input.files);
  out += ",\"formats\":";
  counts_object(out, input.formats);
  out += ",\"lines\":" + std::to_string(input.lines);
  out += ",\"decoded\":" + std::to_string(input.decoded);
  out += ",\"events\":" + std::to_string(input.events);
  out += ",\"log_lines\":" + std::to_string(input.log_lines);
  out += ",\"requests\":" + std::to_string(input.requests);
  out += ",\"filtered\":" + std::to_string(input.filtered);
  out += ",\"duplicates\":" + std::to_string(input.duplicates);
  out += ",\"skipped\":";
  counts_object(out, input.skipped);
  out += ",\"first\":";
  optional_time(out, input.first);
  out += ",\"last\":";
  optional_time(out, input.last);
  out += ",\"skipped_samples\":";
  string_array(out, input.samples);
  out += ",\"warnings\":";
  string_array(out, input.warnings);
  if (!input.filters.empty()) {
    out += ",\"filters\":";
    string_array(out, input.filters);
  }
  if (input.apf_join) {
    const InputSummary::ApfJoin& join = *input.apf_join;
    out += fmt::format(
        ",\"apf_join\":{{\"http_log_lines\":{},\"audit_ids_kept\":{},\"lines_dropped\":{},"
        "\"requests_without_line\":{}}}",
        join.lines, join.kept, join.dropped, join.unjoined);
  }
  out += '}';
}

std::string render_top_json(const TopReport& report) {
  std::string out = json_document_head(report.command);
  out += ",\"by\":";
  string_array(out, report.by);
  out += ",\"sort\":";
  json_string_value(out, report.sort);
  out += ',';
  append_json_input(out, report.input);
  out += ',';
  append_top_json_rows(out, report);
  out += "}\n";
  return out;
}

void append_top_json_rows(std::string& out, const TopReport& report) {
  bool webhook = std::find(report.by.begin(), report.by.end(), "webhook") != report.by.end();
  out += "\"rows\":[";
  for (std::size_t i = 0; i < report.rows.size(); ++i) {
    const Row& row = report.rows[i];
    if (i > 0) out += ',';
    out += "{\"key\":{";
    for (std::size_t d = 0; d < row.key.size(); ++d) {
      if (d > 0) out += ',';
      json_string_value(out, report.by[d]);
      out += ':';
      json_string_value(out, row.key[d]);
    }
    out += "},";
    append_json_metrics(out, row.metrics, webhook);
    out += '}';
  }
  out += "],\"other\":";
  if (report.other) {
    out += "{\"groups\":" + std::to_string(report.other->groups) + ',';
    append_json_metrics(out, report.other->metrics, webhook);
    out += '}';
  } else {
    out += "null";
  }
}

}  // namespace kubeblame::report
