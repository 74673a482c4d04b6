// `kubeblame timeline` for programs. JSON: the document head, "input", the interval and the
// bucket range, then each series with dense per-bucket counts (bucket i starts at
// start + i * interval_s). CSV: long format, one line per series and non-empty bucket, time first.
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_timeline.h"

namespace kubeblame::report {

namespace {

void number_array(std::string& out, const std::vector<std::uint64_t>& values) {
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  out += ']';
}

// "requests", "errors", "peak", "peak_at", "counts", "error_counts" (no braces).
void series_members(std::string& out, const TimelineReport& report, const TimelineSeries& series) {
  out += "\"requests\":" + std::to_string(series.requests) + ",\"errors\":" + std::to_string(series.errors);
  TimelinePeak peak = timeline_peak(series);
  out += ",\"peak\":" + std::to_string(peak.count) + ",\"peak_at\":";
  if (peak.count > 0) {
    json_string_value(out, format_rfc3339(timeline_bucket_start(report, peak.bucket)));
  } else {
    out += "null";
  }
  out += ",\"counts\":";
  number_array(out, series.counts);
  out += ",\"error_counts\":";
  number_array(out, series.error_counts);
}

void csv_line(std::string& out, const TimelineReport& report, std::size_t bucket,
              const std::vector<std::string>& key, const TimelineSeries& series) {
  out += format_rfc3339(timeline_bucket_start(report, bucket));
  for (const std::string& value : key) out += ',' + escape_csv(value);
  out += ',' + std::to_string(series.counts[bucket]) + ',' + std::to_string(series.error_counts[bucket]) +
         "\r\n";
}

}  // namespace

std::string render_timeline_json(const TimelineReport& report) {
  std::string out = json_document_head(report.command);
  out += ",\"by\":[";
  for (std::size_t i = 0; i < report.by.size(); ++i) {
    if (i > 0) out += ',';
    json_string_value(out, report.by[i]);
  }
  out += "],\"top\":" + std::to_string(report.top) + ',';
  append_json_input(out, report.input);
  out += ',';
  append_timeline_json_body(out, report);
  out += "}\n";
  return out;
}

void append_timeline_json_body(std::string& out, const TimelineReport& report) {
  out += "\"interval_s\":" + std::to_string(report.interval_s) +
         ",\"interval_auto\":" + (report.interval_auto ? "true" : "false") + ",\"start\":";
  if (report.buckets > 0) {
    json_string_value(out, format_rfc3339(report.start));
    out += ",\"end\":";
    json_string_value(out, format_rfc3339(timeline_bucket_start(report, report.buckets)));
  } else {
    out += "null,\"end\":null";
  }
  out += ",\"buckets\":" + std::to_string(report.buckets) + ",\"series\":[";
  for (std::size_t i = 0; i < report.series.size(); ++i) {
    const TimelineSeries& series = report.series[i];
    out += i > 0 ? ",{\"key\":{" : "{\"key\":{";
    for (std::size_t d = 0; d < series.key.size() && d < report.by.size(); ++d) {
      if (d > 0) out += ',';
      json_string_value(out, report.by[d]);
      out += ':';
      json_string_value(out, series.key[d]);
    }
    out += "},";
    series_members(out, report, series);
    out += '}';
  }
  out += "],\"other\":";
  if (report.other_groups > 0) {
    out += "{\"groups\":" + std::to_string(report.other_groups) + ',';
    series_members(out, report, report.other);
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"total\":{";
  series_members(out, report, report.total);
  out += "},\"untimed\":" + std::to_string(report.untimed);
}

std::string render_timeline_csv(const TimelineReport& report) {
  std::string out = "time";
  for (const std::string& dim : report.by) out += ',' + dim;
  out += ",requests,errors\r\n";
  std::vector<std::string> other_key(report.by.size());
  if (!other_key.empty()) other_key[0] = "(other)";
  for (std::size_t bucket = 0; bucket < report.buckets; ++bucket) {
    for (const TimelineSeries& series : report.series) {
      if (series.counts[bucket] > 0) csv_line(out, report, bucket, series.key, series);
    }
    if (report.other_groups > 0 && report.other.counts[bucket] > 0) {
      csv_line(out, report, bucket, other_key, report.other);
    }
  }
  return out;
}

}  // namespace kubeblame::report
