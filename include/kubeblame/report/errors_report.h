// Report data for `kubeblame errors` (docs/json.md, "errors" rows). Built by analyze/error_table's
// build_errors(); rendered by render_errors() in the four output formats.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kubeblame/model/audit_event.h"
#include "kubeblame/report/report.h"

namespace kubeblame::report {

// A caller as `top --by agent,user,impersonated_user` names it: `user` is user.username (the
// one who impersonates), `impersonated_user` the user acted as, "(none)" without impersonation.
struct ErrorCaller {
  std::string agent;
  std::string user;
  std::string impersonated_user;
  bool impersonates = false;  // impersonated_user names a user (not "(none)" or "(other)")
  std::uint64_t count = 0;
};

struct ErrorRow {
  std::string signature;  // masked template: one failure mode
  std::string source;     // "audit" | "apiserver-log" (docs/json.md)
  std::string component;  // log rows: "kube-apiserver", "kube-controller-manager", ...; audit: ""
  std::string level;      // log rows: "error", "fatal", "warning", "info"; audit: ""
  std::uint64_t count = 0;
  std::vector<std::pair<std::string, std::uint64_t>> codes;  // audit rows: {"409": N}; by code
  std::optional<model::TimeNs> first, last;
  std::string example;               // one verbatim message (deterministic choice: the earliest)
  std::vector<ErrorCaller> callers;  // audit rows: top callers
};

struct ErrorsReport {
  std::string command = "errors";
  std::string levels;  // the log levels included, e.g. "error,fatal"
  std::size_t top = 20;
  InputSummary input;
  std::vector<ErrorRow> rows;
  std::uint64_t total = 0;         // errors counted over all signatures
  std::uint64_t other_rows = 0;    // signatures beyond --top
  std::uint64_t other_count = 0;   // their count
};

}  // namespace kubeblame::report
