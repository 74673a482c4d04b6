// A small hand-built TopReport for the renderer tests, with keys an attacker could have put in
// an audit log: terminal escapes, markdown and CSV syntax, a formula, invalid UTF-8.
#pragma once

#include "kubeblame/model/time.h"
#include "kubeblame/report/report.h"

namespace kubeblame::test {

inline constexpr model::TimeNs kReportT = 1719776474LL * model::kNsPerSecond;  // 2024-06-30T19:41:14Z

inline const char* const kHostileAgent = "kube|ctl\x1b[31m`x`";
inline const char* const kFormulaKey = "=HYPERLINK(\"http://evil\")";
inline const char* const kCsvKey = "li,st \"quoted\"\nline";
inline const char* const kBadUtf8 = "caf\xC3";

inline report::TopReport sample_report() {
  report::TopReport r;
  r.by = {"agent", "verb"};
  r.sort = "requests";
  r.top = 2;
  r.input.files = {"audit.log", "dir/x.gz"};
  r.input.formats = {{"audit-jsonl", 7}};
  r.input.lines = 8;
  r.input.decoded = 7;
  r.input.events = 7;
  r.input.requests = 6;
  r.input.filtered = 0;
  r.input.skipped = {{"truncated", 1}};
  r.input.skipped_total = 1;
  r.input.first = kReportT;
  r.input.last = kReportT + 90 * model::kNsPerSecond;
  r.input.samples = {"audit.log:8: truncated"};

  report::Row first;
  first.key = {kHostileAgent, "get"};
  first.metrics.requests = 1234;
  first.metrics.share = 0.75;
  first.metrics.rate_per_s = 13.7111111;
  first.metrics.errors = 1;
  first.metrics.p50_ms = 1.5;
  first.metrics.p95_ms = 12.25;
  first.metrics.p99_ms = 1500;
  first.metrics.max_ms = 2250.5;
  first.metrics.cost_s = 4.5;
  first.metrics.throttled = 2;
  first.metrics.traced = 3;
  first.metrics.etcd_s = 1.25;
  first.metrics.webhook_s = 0.5;
  first.metrics.apf_wait_s = 0.125;
  first.metrics.first = kReportT;
  first.metrics.last = kReportT + 60 * model::kNsPerSecond + 391'000'000;
  r.rows.push_back(first);

  report::Row second;
  second.key = {kFormulaKey, kCsvKey};
  second.metrics.requests = 3;
  second.metrics.share = 0.125;
  second.metrics.rate_per_s = 0.0333333;
  second.metrics.watches = 3;
  second.metrics.first = kReportT + 1'000;
  second.metrics.last = kReportT + 1'000;
  r.rows.push_back(second);

  report::OtherRow other;
  other.groups = 2;
  other.metrics.requests = 2;
  other.metrics.share = 0.125;
  other.metrics.errors = 2;
  other.metrics.p50_ms = 0.85;
  other.metrics.p95_ms = 0.85;
  other.metrics.p99_ms = 0.85;
  other.metrics.max_ms = 0.9;
  other.metrics.cost_s = 0.0017;
  r.other = other;
  return r;
}

// The same report with a key holding invalid UTF-8 and no (other) row.
inline report::TopReport sample_report_bad_utf8() {
  report::TopReport r = sample_report();
  r.rows[1].key = {kBadUtf8, "\xE2\x80\xAE" "evil"};
  r.other.reset();
  r.input.first.reset();
  r.input.last.reset();
  r.input.skipped.clear();
  r.input.skipped_total = 0;
  r.input.samples.clear();
  r.input.warnings = {"input error: x.gz: gzip data is truncated"};
  return r;
}

}  // namespace kubeblame::test
