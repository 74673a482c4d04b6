// A hand-built ErrorsReport for the errors renderer tests, with the strings an attacker could
// put in audit messages, user agents and log lines: terminal escapes (ESC, BEL, CR), invalid
// UTF-8, markdown syntax (|, backticks), a CSV formula (leading =).
#pragma once

#include "kubeblame/model/time.h"
#include "kubeblame/report/errors_report.h"

namespace kubeblame::test {

inline constexpr model::TimeNs kErrorsT = 1719776474LL * model::kNsPerSecond;  // 2024-06-30T19:41:14Z

inline const char* const kHostileExample = "pods \"web\x1b[31m\" \a\rdone | `x`";
inline const char* const kFormulaAgent = "=cmd|' /C calc'!A0";
inline const char* const kBadUtf8User = "evil\xC3";
inline const char* const kHostileImpersonated = "bob\x1b[2J|`x`";

inline report::ErrorsReport sample_errors_report() {
  report::ErrorsReport r;
  r.levels = "error,fatal";
  r.top = 2;
  r.total = 6;
  r.other_rows = 1;
  r.other_count = 1;
  r.input.files = {"audit.log"};
  r.input.formats = {{"audit-jsonl", 4}, {"log-text", 3}};
  r.input.lines = 7;
  r.input.decoded = 7;
  r.input.events = 4;
  r.input.log_lines = 3;
  r.input.requests = 4;
  r.input.first = kErrorsT;
  r.input.last = kErrorsT + 90 * model::kNsPerSecond;

  report::ErrorRow audit;
  audit.signature = "409 Conflict: Operation cannot be fulfilled on <resource> \"<name>\"";
  audit.source = "audit";
  audit.count = 3;
  audit.codes = {{"409", 3}};
  audit.first = kErrorsT;
  audit.last = kErrorsT + 60 * model::kNsPerSecond + 391'000'000;
  audit.example = kHostileExample;
  audit.callers = {{kFormulaAgent, kBadUtf8User, kHostileImpersonated, true, 2},
                   {"kubectl", "alice", "(none)", false, 1}};
  r.rows.push_back(audit);

  report::ErrorRow log;
  log.signature = "cacher.go: cacher (<resource>): `boom` | x";
  log.source = "apiserver-log";
  log.component = "kube-apiserver";
  log.level = "error";
  log.count = 2;
  log.first = kErrorsT + 5 * model::kNsPerSecond;
  log.example = "E0630 19:41:19.000000 1 cacher.go:1] boom\x07";
  r.rows.push_back(log);
  return r;
}

}  // namespace kubeblame::test
