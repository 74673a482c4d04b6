// The errors analysis: which records count, per-signature figures (count, codes, first/last,
// level), the example choice, caller ranking, bounds, top cut-off, merge equality for any split,
// and the real public samples through the whole pipeline.
#include "kubeblame/report/build.h"
#include "kubeblame/analyze/errors/error_table.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <variant>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/pipeline/run.h"
#include "kubeblame/report/render_errors.h"

namespace kubeblame::analyze {
namespace {

using model::LogLevel;
using model::LogShape;

constexpr model::TimeNs kSecond = 1'000'000'000;
constexpr model::TimeNs kT0 = 1'700'000'000 * kSecond;

struct AuditInput {
  model::Stage stage = model::Stage::kResponseComplete;
  int code = 409;
  std::string reason = "Conflict";
  std::string message;
  std::string user_agent = "argocd-application-controller/v2.9.3";
  std::string user = "system:serviceaccount:argocd:argocd-application-controller";
  std::string impersonated;  // impersonatedUser.username; empty without impersonation
  model::TimeNs time = kT0;
  std::string verb = "update";
  std::string uri = "/apis/apps/v1/namespaces/a/deployments/web";
};

struct LogInput {
  LogShape shape = LogShape::kKlog;
  LogLevel level = LogLevel::kError;
  std::string component = "kube-apiserver";
  std::string source = "cacher.go";
  std::string message;
  std::string text;
  model::TimeNs time = kT0;
};

struct Input {
  std::variant<AuditInput, LogInput> record;
  EventPosition position;
};

void feed(ErrorTable& table, const Input& input) {
  if (const auto* a = std::get_if<AuditInput>(&input.record)) {
    model::AuditEvent event;
    event.stage = a->stage;
    event.code = a->code;
    event.reason = a->reason;
    event.message = a->message;
    event.user_agent = a->user_agent;
    event.username = a->user;
    event.impersonated_user = a->impersonated;
    event.received = a->time;
    event.stage_time = a->time;
    event.verb = a->verb;
    event.request_uri = a->uri;
    DimensionValues values;
    values.reset(event);
    table.on_event(event, model::is_counted_request(event), values, input.position);
  } else {
    const auto& l = std::get<LogInput>(input.record);
    model::LogLine line;
    line.shape = l.shape;
    line.level = l.level;
    line.component = l.component;
    line.source = l.source;
    line.message = l.message;
    line.text = l.text.empty() ? l.message : l.text;
    line.time = l.time;
    table.on_log_line(line, decode::Format::kLogText, input.position);
  }
}

std::string conflict(std::string_view resource, std::string_view name) {
  return "Operation cannot be fulfilled on " + std::string(resource) + " \"" + std::string(name) +
         "\": the object has been modified; please apply your changes to the latest version "
         "and try again";
}

constexpr std::string_view kConflictSignature =
    "409 Conflict: Operation cannot be fulfilled on <resource> \"<name>\": the object has been "
    "modified; please apply your changes to the latest version and try again";

// Every field of a report, for equality checks.
std::string describe(const report::ErrorsReport& r) {
  std::ostringstream out;
  out << r.levels << '|' << r.total << '|' << r.other_rows << '|' << r.other_count << '\n';
  for (const auto& row : r.rows) {
    out << row.signature << '|' << row.source << '|' << row.component << '|' << row.level << '|'
        << row.count << '|' << row.first.value_or(-1) << '|' << row.last.value_or(-1) << '|'
        << row.example << '|';
    for (const auto& [code, n] : row.codes) out << code << '=' << n << ',';
    out << '|';
    for (const auto& c : row.callers) {
      out << c.agent << '/' << c.user << '/' << c.impersonated_user << '=' << c.count << ',';
    }
    out << '\n';
  }
  for (const auto& w : r.input.warnings) out << "warning: " << w << '\n';
  return out.str();
}

report::ErrorsReport build(const ErrorTable& table, std::size_t top = 0) {
  return report::build_errors(table, report::InputSummary{}, top);
}

}  // namespace

TEST_CASE("Errors count failed requests only, grouped by masked message", "[errors]") {
  ErrorTable table(ErrorOptions{});
  std::vector<Input> inputs;
  AuditInput a;
  a.message = conflict("deployments.apps", "web");
  inputs.push_back({a, {0, 10}});
  a.message = conflict("leases.coordination.k8s.io", "kube-scheduler");
  a.time = kT0 + 5 * kSecond;
  a.user_agent = "kube-scheduler/v1.29.2 (linux/amd64) kubernetes/abc";
  a.user = "system:kube-scheduler";
  inputs.push_back({a, {0, 11}});
  a.time = kT0 - 7 * kSecond;  // earliest: becomes the example
  a.message = conflict("pods", "early");
  a.user_agent = "";
  a.user = "system:kube-scheduler";
  inputs.push_back({a, {0, 12}});
  AuditInput not_counted = a;
  not_counted.stage = model::Stage::kRequestReceived;
  not_counted.time = kT0 - 100 * kSecond;
  inputs.push_back({not_counted, {0, 13}});
  AuditInput ok = a;
  ok.code = 200;
  ok.reason = "";
  ok.message = "";
  inputs.push_back({ok, {0, 14}});
  AuditInput unauthorized;  // ResponseStarted 401 is counted; no message: verb + URI example
  unauthorized.stage = model::Stage::kResponseStarted;
  unauthorized.code = 401;
  unauthorized.reason = "";
  unauthorized.message = "";
  unauthorized.verb = "get";
  unauthorized.uri = "/api/v1/pods";
  unauthorized.user_agent = "curl/8.0";
  unauthorized.user = "";
  inputs.push_back({unauthorized, {1, 1}});
  for (const Input& input : inputs) feed(table, input);

  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 2);
  CHECK(r.total == 4);
  CHECK(r.other_rows == 0);
  CHECK(r.levels == "error,fatal");
  const report::ErrorRow& row = r.rows[0];
  CHECK(row.signature == kConflictSignature);
  CHECK(row.source == "audit");
  CHECK(row.component.empty());
  CHECK(row.level.empty());
  CHECK(row.count == 3);
  CHECK(row.codes == std::vector<std::pair<std::string, std::uint64_t>>{{"409", 3}});
  CHECK(row.first == kT0 - 7 * kSecond);
  CHECK(row.last == kT0 + 5 * kSecond);
  CHECK(row.example == conflict("pods", "early"));
  REQUIRE(row.callers.size() == 3);
  CHECK(row.callers[0].agent == "(none)");  // count 1 each: ordered by agent, then user
  CHECK(row.callers[0].user == "system:kube-scheduler");
  CHECK(row.callers[1].agent == "argocd-application-controller");
  CHECK(row.callers[1].user == "system:serviceaccount:argocd:argocd-application-controller");
  CHECK(row.callers[2].agent == "kube-scheduler");
  const report::ErrorRow& bare = r.rows[1];
  CHECK(bare.signature == "401");
  CHECK(bare.example == "get /api/v1/pods");
  REQUIRE(bare.callers.size() == 1);
  CHECK(bare.callers[0].agent == "curl");
  CHECK(bare.callers[0].user == "(none)");
}

TEST_CASE("Errors rank callers by count and keep max_callers", "[errors]") {
  ErrorOptions options;
  options.max_callers = 2;
  ErrorTable table(options);
  std::uint64_t line = 0;
  auto add = [&](std::string agent, std::string user, int times) {
    for (int i = 0; i < times; ++i) {
      AuditInput a;
      a.code = 404;
      a.reason = "NotFound";
      a.message = "pods \"p" + std::to_string(line) + "\" not found";
      a.user_agent = agent;
      a.user = user;
      a.time = kT0 + static_cast<model::TimeNs>(line) * kSecond;
      feed(table, {a, {0, line++}});
    }
  };
  add("kubectl/v1.29.0", "alice", 2);
  add("kubelet/v1.29.0", "system:node:n1", 5);
  add("kubectl/v1.30.0", "alice", 1);  // the same (agent, user) pair as the first
  add("helm/v3.14", "bob", 3);
  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].signature == "404 NotFound: <resource> \"<name>\" not found");
  CHECK(r.rows[0].count == 11);
  REQUIRE(r.rows[0].callers.size() == 2);
  CHECK(r.rows[0].callers[0].agent == "kubelet");
  CHECK(r.rows[0].callers[0].count == 5);
  CHECK(r.rows[0].callers[1].agent == "helm");  // 3; kubectl/alice is also 3 but "helm" < "kubectl"
  CHECK(r.rows[0].callers[1].count == 3);
  CHECK(r.rows[0].example == "pods \"p0\" not found");
}

TEST_CASE("Errors from log lines: shapes, levels, components", "[errors]") {
  const std::string etcd = "watch chan error: etcdserver: mvcc: required revision has been compacted";
  std::vector<Input> inputs;
  LogInput l;
  l.source = "watcher.go";
  l.message = etcd;
  l.level = LogLevel::kWarning;
  l.text = "W0306 09:03:23.593207    1202 watcher.go:229] " + etcd;
  l.time = kT0 + 3 * kSecond;
  inputs.push_back({l, {0, 1}});
  l.level = LogLevel::kError;
  l.text = "E0607 17:45:52.456094   19698 watcher.go:188] " + etcd;
  l.time = kT0 + 9 * kSecond;
  inputs.push_back({l, {0, 2}});
  l.component = "kube-controller-manager";  // same text, other component: another row
  l.time = kT0 + 1 * kSecond;
  inputs.push_back({l, {0, 3}});
  LogInput info = l;
  info.level = LogLevel::kInfo;
  info.source = "server.go";
  info.message = "Version: v1.28.15";
  inputs.push_back({info, {0, 4}});
  LogInput trace = l;
  trace.shape = LogShape::kContinuation;
  trace.level = LogLevel::kUnknown;
  trace.message = "Trace[1]: [5.0s] END";
  inputs.push_back({trace, {0, 5}});
  LogInput other = trace;
  other.shape = LogShape::kOther;
  other.level = LogLevel::kError;  // kOther lines never make signatures, whatever their level
  inputs.push_back({other, {0, 6}});
  LogInput json = l;
  json.shape = LogShape::kJson;
  json.level = LogLevel::kWarning;
  json.component = "kube-apiserver";
  json.source = "retry_interceptor.go";
  json.message = "retrying of unary invoker failed";
  json.time = 0;  // no time
  inputs.push_back({json, {0, 7}});

  SECTION("default: error and fatal") {
    ErrorTable table(ErrorOptions{});
    for (const Input& input : inputs) feed(table, input);
    report::ErrorsReport r = build(table);
    REQUIRE(r.rows.size() == 2);
    CHECK(r.total == 2);
    // Equal counts: ordered by signature, then audit first, then component.
    CHECK(r.rows[0].component == "kube-apiserver");
    CHECK(r.rows[1].component == "kube-controller-manager");
    for (const auto& row : r.rows) {
      CHECK(row.signature == "watcher.go: " + etcd);
      CHECK(row.source == "apiserver-log");
      CHECK(row.level == "error");
      CHECK(row.count == 1);
      CHECK(row.codes.empty());
      CHECK(row.callers.empty());
    }
    CHECK(r.rows[0].first == kT0 + 9 * kSecond);
  }
  SECTION("warning and above") {
    ErrorOptions options;
    options.min_level = LogLevel::kWarning;
    ErrorTable table(options);
    for (const Input& input : inputs) feed(table, input);
    report::ErrorsReport r = build(table);
    CHECK(r.levels == "warning,error,fatal");
    // The etcd message at W and at E is two rows, each with its own level, count and example.
    REQUIRE(r.rows.size() == 4);
    CHECK(r.total == 4);
    CHECK(r.rows[0].signature == "retry_interceptor.go: retrying of unary invoker failed");
    CHECK(r.rows[0].level == "warning");
    CHECK_FALSE(r.rows[0].first.has_value());
    CHECK_FALSE(r.rows[0].last.has_value());
    const auto& error = r.rows[1];  // same signature and component: the higher level first
    CHECK(error.component == "kube-apiserver");
    CHECK(error.signature == "watcher.go: " + etcd);
    CHECK(error.level == "error");
    CHECK(error.count == 1);
    CHECK(error.first == kT0 + 9 * kSecond);
    CHECK(error.last == kT0 + 9 * kSecond);
    CHECK(error.example == "E0607 17:45:52.456094   19698 watcher.go:188] " + etcd);
    const auto& warning = r.rows[2];
    CHECK(warning.component == "kube-apiserver");
    CHECK(warning.signature == "watcher.go: " + etcd);
    CHECK(warning.level == "warning");
    CHECK(warning.count == 1);
    CHECK(warning.first == kT0 + 3 * kSecond);
    CHECK(warning.last == kT0 + 3 * kSecond);
    CHECK(warning.example == "W0306 09:03:23.593207    1202 watcher.go:229] " + etcd);
    CHECK(r.rows[3].component == "kube-controller-manager");
    CHECK(r.rows[3].level == "error");
  }
  SECTION("info and above") {
    ErrorOptions options;
    options.min_level = LogLevel::kInfo;
    ErrorTable table(options);
    for (const Input& input : inputs) feed(table, input);
    report::ErrorsReport r = build(table);
    REQUIRE(r.rows.size() == 5);
    CHECK(r.rows[1].signature == "server.go: Version: <version>");
    CHECK(r.rows[1].level == "info");
    CHECK(r.rows[2].level == "error");
    CHECK(r.rows[3].level == "warning");
    CHECK(r.rows[4].component == "kube-controller-manager");
  }
}

TEST_CASE("Errors pick the earliest example; unknown times sort last; ties by position",
          "[errors]") {
  ErrorTable table(ErrorOptions{});
  LogInput l;
  l.source = "x.go";
  l.message = "boom 1";
  l.time = 0;
  feed(table, {l, {0, 1}});
  l.message = "boom 2";
  l.time = kT0 + kSecond;
  feed(table, {l, {2, 5}});
  l.message = "boom 3";  // same time, earlier position: wins
  feed(table, {l, {1, 9}});
  l.message = "boom 4";  // same time and position (a batch element seen later): loses
  feed(table, {l, {1, 9}});
  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].count == 4);
  CHECK(r.rows[0].example == "boom 3");
  CHECK(r.rows[0].first == kT0 + kSecond);
}

TEST_CASE("Errors cut long examples on a UTF-8 boundary", "[errors]") {
  ErrorTable table(ErrorOptions{});
  LogInput l;
  l.source = "x.go";
  l.message = "a";
  for (int i = 0; i < 3000; ++i) l.message += "\xC3\xA9";
  feed(table, {l, {0, 1}});
  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 1);
  const std::string& example = r.rows[0].example;
  CHECK(example.size() <= kMaxExampleBytes);
  CHECK(example.size() >= kMaxExampleBytes - 4);
  CHECK(example.substr(example.size() - 3) == "\xE2\x80\xA6");
  CHECK(example.substr(0, 3) == "a\xC3\xA9");
  CHECK(example.substr(example.size() - 5, 2) == "\xC3\xA9");
}

TEST_CASE("Errors top keeps N rows and sums the rest", "[errors]") {
  ErrorTable table(ErrorOptions{});
  std::uint64_t line = 0;
  for (int family = 0; family < 5; ++family) {
    for (int i = 0; i <= family; ++i) {
      LogInput l;
      l.source = "f" + std::to_string(family) + ".go";
      l.message = "failure";
      feed(table, {l, {0, line++}});
    }
  }
  report::ErrorsReport all = build(table, 0);
  REQUIRE(all.rows.size() == 5);
  CHECK(all.rows[0].signature == "f4.go: failure");
  CHECK(all.other_rows == 0);
  report::ErrorsReport top = build(table, 2);
  REQUIRE(top.rows.size() == 2);
  CHECK(top.top == 2);
  CHECK(top.rows[1].signature == "f3.go: failure");
  CHECK(top.total == 15);
  CHECK(top.other_rows == 3);
  CHECK(top.other_count == 6);
}

TEST_CASE("Errors beyond max_signatures fold into one row, with a warning", "[errors]") {
  ErrorOptions options;
  options.max_signatures = 2;
  ErrorTable table(options);
  std::uint64_t line = 0;
  for (const char* source : {"a.go", "b.go", "c.go", "d.go", "a.go"}) {
    LogInput l;
    l.source = source;
    l.message = "x";
    l.time = kT0 + static_cast<model::TimeNs>(line) * kSecond;
    feed(table, {l, {0, line++}});
  }
  AuditInput a;
  a.message = "m";
  feed(table, {a, {0, line++}});
  CHECK(table.signature_count() == 4);  // a.go, b.go, one log overflow row, one audit overflow row
  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 4);
  CHECK(r.rows[0].signature == "(other signatures)");
  CHECK(r.rows[0].source == "apiserver-log");
  CHECK(r.rows[0].count == 2);
  CHECK(r.rows[0].example == "x");
  CHECK(r.rows[0].first == kT0 + 2 * kSecond);
  CHECK(r.rows[1].signature == "a.go: x");
  CHECK(r.rows[1].count == 2);
  CHECK(r.rows[2].signature == "(other signatures)");
  CHECK(r.rows[2].source == "audit");
  CHECK(r.rows[2].codes == std::vector<std::pair<std::string, std::uint64_t>>{{"409", 1}});
  CHECK(r.rows[3].signature == "b.go: x");
  REQUIRE(r.input.warnings.size() == 1);
  CHECK(r.input.warnings[0] ==
        "more than 2 distinct error signatures: the rest are counted in the \"(other "
        "signatures)\" row (which ones may vary with -j)");
}

TEST_CASE("Errors fold callers beyond kMaxCallerPairs into (other)", "[errors]") {
  ErrorTable table(ErrorOptions{});
  std::uint64_t line = 0;
  for (std::size_t u = 0; u < kMaxCallerPairs + 10; ++u) {
    int times = u == 0 ? 3 : 1;
    for (int i = 0; i < times; ++i) {
      AuditInput a;
      a.code = 403;
      a.reason = "Forbidden";
      a.message = "nodes \"n\" is forbidden";
      a.user_agent = "kubelet/v1.29";
      a.user = "system:node:n" + std::to_string(u);
      feed(table, {a, {0, line++}});
    }
  }
  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 1);
  CHECK(r.rows[0].count == kMaxCallerPairs + 12);
  REQUIRE(r.rows[0].callers.size() == 5);
  CHECK(r.rows[0].callers[0].user == "(other)");
  CHECK(r.rows[0].callers[0].count == 10);
  CHECK(r.rows[0].callers[1].user == "system:node:n0");
  CHECK(r.rows[0].callers[1].count == 3);
  CHECK(r.rows[0].callers[2].user == "system:node:n1");
  CHECK(r.rows[0].callers[3].user == "system:node:n10");  // ordered as text
  REQUIRE(r.input.warnings.size() == 1);
  CHECK(r.input.warnings[0] ==
        "1 error signature had more than 256 distinct callers: the rest are counted as "
        "\"(other)\" (which ones may vary with -j)");
}

TEST_CASE("Errors merge equals one table for any split", "[errors]") {
  std::mt19937_64 rng(7);
  std::vector<Input> inputs;
  const char* agents[] = {"argocd/v2", "kubectl/v1.29", "kube-controller-manager/v1.29", ""};
  const char* users[] = {"alice", "system:kube-controller-manager", "bob"};
  const char* resources[] = {"pods", "leases.coordination.k8s.io", "subscriptions.dapr.io"};
  for (std::uint64_t i = 0; i < 400; ++i) {
    EventPosition position{static_cast<std::uint32_t>(i % 3), i / 3};
    model::TimeNs time = kT0 + static_cast<model::TimeNs>(rng() % 50) * kSecond;
    if (rng() % 8 == 0) time = 0;
    switch (rng() % 4) {
      case 0:
      case 1: {
        AuditInput a;
        a.code = rng() % 2 ? 409 : 404;
        a.reason = a.code == 409 ? "Conflict" : "NotFound";
        a.message = a.code == 409 ? conflict(resources[rng() % 3], "n" + std::to_string(i))
                                  : "pods \"p" + std::to_string(i) + "\" not found";
        a.user_agent = agents[rng() % 4];
        a.user = users[rng() % 3];
        a.time = time;
        inputs.push_back({a, position});
        break;
      }
      default: {
        LogInput l;
        l.component = rng() % 2 ? "kube-apiserver" : "kube-scheduler";
        l.level = rng() % 3 ? LogLevel::kError : LogLevel::kFatal;
        l.source = rng() % 2 ? "cacher.go" : "watcher.go";
        l.message = "failed after " + std::to_string(rng() % 100) + "ms: #" + std::to_string(i);
        l.text = "line " + std::to_string(i);
        l.time = time;
        inputs.push_back({l, position});
      }
    }
  }
  ErrorTable whole(ErrorOptions{});
  for (const Input& input : inputs) feed(whole, input);
  const std::string expected = describe(build(whole, 3));
  REQUIRE(build(whole).rows.size() > 3);

  for (int trial = 0; trial < 20; ++trial) {
    std::unique_ptr<Analyzer> a = error_analyzer_factory(ErrorOptions{})();
    std::unique_ptr<Analyzer> b = error_analyzer_factory(ErrorOptions{})();
    std::unique_ptr<Analyzer> c = error_analyzer_factory(ErrorOptions{})();
    for (const Input& input : inputs) {
      std::uint64_t pick = trial == 0 ? 0 : trial == 1 ? 2 : rng() % 3;
      feed(static_cast<ErrorTable&>(pick == 0 ? *a : pick == 1 ? *b : *c), input);
    }
    if (trial % 2 == 0) {
      a->merge_same_type(*b);
      a->merge_same_type(*c);
      CHECK(describe(build(static_cast<ErrorTable&>(*a), 3)) == expected);
    } else {
      c->merge_same_type(*a);
      b->merge_same_type(*c);
      CHECK(describe(build(static_cast<ErrorTable&>(*b), 3)) == expected);
    }
  }
}

TEST_CASE("Errors memo: repeats hit, look-alike tuples stay apart", "[errors]") {
  ErrorTable table(ErrorOptions{});
  std::uint64_t line = 0;
  AuditInput a;
  a.code = 500;
  a.reason = std::string("a\0b", 3);
  a.message = "c";
  for (int i = 0; i < 1000; ++i) feed(table, {a, {0, line++}});
  a.reason = "a";
  a.message = std::string("b\0c", 3);
  feed(table, {a, {0, line++}});
  LogInput l;
  l.component = "x";
  l.source = "y.go";
  l.message = "z";
  feed(table, {l, {0, line++}});
  l.component = "";
  l.source = "x";  // the same bytes as component "x" + source "y.go" would be without lengths
  l.message = "y.go z";
  feed(table, {l, {0, line++}});
  // Enough distinct messages to evict every memo slot, then the first message again.
  a.reason = "Conflict";
  for (int i = 0; i < 3000; ++i) {
    a.message = "msg" + std::string(static_cast<std::size_t>(i % 7), 'x') + " #" + std::to_string(i);
    feed(table, {a, {0, line++}});
  }
  a.reason = std::string("a\0b", 3);
  a.message = "c";
  feed(table, {a, {0, line++}});
  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 11);  // 2 audit look-alikes, 2 log look-alikes, 7 "msg" families
  CHECK(r.rows[0].signature == std::string("500 a\0b: c", 10));
  CHECK(r.rows[0].count == 1001);
  CHECK(r.rows[1].signature == "500 Conflict: msg #<num>");
  CHECK(r.rows[1].count == 429);  // i % 7 == 0: 429 of 3000
  CHECK(r.rows[4].signature == "500 Conflict: msgxxx #<num>");
  CHECK(r.rows[4].count == 429);
  CHECK(r.rows[5].count == 428);
  CHECK(r.rows[8].signature == std::string("500 a: b\0c", 10));
  CHECK(r.rows[9].signature == "x: y.go z");
  CHECK(r.rows[9].component.empty());
  CHECK(r.rows[10].signature == "y.go: z");
  CHECK(r.rows[10].component == "x");
  CHECK(r.total == 1001 + 1 + 2 + 3000);
}

// `kubectl --as bob` by system:admin: the caller is system:admin acting as bob, named as
// `top --by user,impersonated_user` names it, and each impersonated user is a caller of its own.
TEST_CASE("Error callers name the impersonated user", "[errors]") {
  ErrorTable table(ErrorOptions{});
  auto forbidden = [](std::string impersonated, std::string as) {
    AuditInput a;
    a.code = 403;
    a.reason = "Forbidden";
    a.message = "pods is forbidden: User \"" + as + "\" cannot list pods in the namespace \"default\"";
    a.user_agent = "";
    a.user = "system:admin";
    a.impersonated = std::move(impersonated);
    return Input{a, {}};
  };
  for (const Input& input : {forbidden("bob", "bob"), forbidden("alice", "alice"), forbidden("bob", "bob"),
                             forbidden("", "system:admin")}) {
    feed(table, input);
  }
  report::ErrorsReport r = build(table);
  REQUIRE(r.rows.size() == 1);
  const auto& callers = r.rows[0].callers;
  REQUIRE(callers.size() == 3);
  CHECK(callers[0].user == "system:admin");
  CHECK(callers[0].impersonated_user == "bob");
  CHECK(callers[0].impersonates);
  CHECK(callers[0].count == 2);
  CHECK(callers[1].impersonated_user == "(none)");  // count 1 each: "(none)" sorts before "alice"
  CHECK_FALSE(callers[1].impersonates);
  CHECK(callers[2].impersonated_user == "alice");
  CHECK(report::error_callers_text(r.rows[0]) ==
        "(none) (system:admin as bob) \xC3\x97" "2, (none) (system:admin) \xC3\x97" "1, "
        "(none) (system:admin as alice) \xC3\x97" "1");
}

TEST_CASE("Errors level list names every included level", "[errors]") {
  CHECK(level_list(LogLevel::kFatal) == "fatal");
  CHECK(level_list(LogLevel::kError) == "error,fatal");
  CHECK(level_list(LogLevel::kWarning) == "warning,error,fatal");
  CHECK(level_list(LogLevel::kInfo) == "info,warning,error,fatal");
}

namespace {

// Runs `file` (from the shared public samples) through the whole pipeline with the errors
// analyzer; nullopt when the sample is absent.
std::optional<report::ErrorsReport> run_sample(const std::string& file, LogLevel min_level,
                                               unsigned threads) {
  const std::string path = std::string(KUBEBLAME_SHARED_SAMPLES_DIR) + "/" + file;
  if (!std::filesystem::exists(path)) return std::nullopt;
  ErrorOptions options;
  options.min_level = min_level;
  pipeline::PipelineOptions pipeline_options;
  pipeline_options.inputs = {path};
  pipeline_options.threads = threads;
  pipeline_options.chunk_size = threads == 1 ? std::size_t{1} << 20 : 512;
  pipeline_options.plan.analyzers = {error_analyzer_factory(options)};
  pipeline::RunResult result = pipeline::run(pipeline_options);
  REQUIRE(result.errors.empty());
  return report::build_errors(result.merged->get<ErrorTable>(), report::InputSummary{}, 0);
}

std::vector<std::pair<std::uint64_t, std::string>> counted_signatures(
    const report::ErrorsReport& r) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  for (const auto& row : r.rows) out.emplace_back(row.count, row.level + " " + row.signature);
  return out;
}

}  // namespace

// The 25 real kube-apiserver lines quoted in public issues: 14 at error level, 13 failure
// modes. The two cacher ListAndWatch lines for different CRDs (CronTab, Project) are one
// signature; the expired-token and go-jose authentication failures, the etcd compaction, the
// admission webhook timeout and the handler-timeout lines each stay apart.
TEST_CASE("Errors over the public klog sample lines", "[errors][sample]") {
  const std::vector<std::pair<std::uint64_t, std::string>> expected_error = {
      {2, "error cacher.go: cacher (<resource>): unexpected ListAndWatch error: failed to list "
          "<group>/<version>, Kind=<kind>: conversion webhook for <group>/<version>, Kind=<kind> "
          "failed: <cause>; reinitializing..."},
      {1, "error authentication.go: \"Unable to authenticate the request\" err=\"[invalid bearer "
          "token, service account token has expired]\""},
      {1, "error authentication.go: \"Unable to authenticate the request\" err=\"[invalid bearer "
          "token, square/go-jose: error in cryptographic primitive]\""},
      {1, "error available_controller.go: <version>.<group> failed with: failing or missing "
          "response from <url>: Get \"<url>\": net/http: request canceled while waiting for "
          "connection (Client.Timeout exceeded while awaiting headers)"},
      {1, "error dispatcher.go: failed calling webhook \"<name>\": failed to call webhook: Post "
          "\"<url>\": context deadline exceeded"},
      {1, "error status.go: apiserver received an error that is not an metav1.Status: "
          "&errors.errorString{s:\"context canceled\"}"},
      {1, "error status.go: apiserver received an error that is not an metav1.Status: "
          "&errors.errorString{s:\"error dialing backend: EOF\"}: error dialing backend: EOF"},
      {1, "error status.go: apiserver received an error that is not an metav1.Status: "
          "&errors.errorString{s:\"http: Handler timeout\"}: http: Handler timeout"},
      {1, "error timeout.go: post-timeout activity - time-elapsed: <duration>, GET \"<path>\" "
          "result: <nil>"},
      {1, "error watcher.go: watch chan error: etcdserver: mvcc: required revision has been "
          "compacted"},
      {1, "error wrap.go: timeout or abort while handling: method=<value> URI=\"<value>\" "
          "audit-ID=\"<value>\""},
      {1, "error writers.go: apiserver was unable to write a JSON response: http: Handler timeout"},
      {1, "error writers.go: apiserver was unable to write a fallback JSON response: http: "
          "Handler timeout"},
  };
  for (unsigned threads : {1u, 3u}) {
    auto r = run_sample("kube-apiserver-klog-lines-from-issues.log", LogLevel::kError, threads);
    if (!r) {
      WARN("skipped: the public klog sample is absent");
      return;
    }
    CHECK(counted_signatures(*r) == expected_error);
    CHECK(r->total == 14);
    REQUIRE_FALSE(r->rows.empty());
    CHECK(r->rows[0].example.rfind("E0207 22:20:05.623771 11 cacher.go:424] cacher "
                                   "(*unstructured.Unstructured): unexpected ListAndWatch",
                                   0) == 0);
    CHECK(r->rows[0].component.empty());  // plain log text names no component
    CHECK(r->rows[0].source == "apiserver-log");
  }
  auto warnings = run_sample("kube-apiserver-klog-lines-from-issues.log", LogLevel::kWarning, 2);
  REQUIRE(warnings);
  CHECK(warnings->total == 19);
  REQUIRE(warnings->rows.size() == 18);
  // The etcd compaction at W (line 8) and at E (line 9): two rows, each level with its count and
  // its own example, the error first.
  const std::string compacted =
      "watcher.go: watch chan error: etcdserver: mvcc: required revision has been compacted";
  CHECK(warnings->rows[13].signature == compacted);
  CHECK(warnings->rows[13].level == "error");
  CHECK(warnings->rows[13].count == 1);
  CHECK(warnings->rows[13].example.rfind("E0607 17:45:52.456094", 0) == 0);
  CHECK(warnings->rows[14].signature == compacted);
  CHECK(warnings->rows[14].level == "warning");
  CHECK(warnings->rows[14].count == 1);
  CHECK(warnings->rows[14].example.rfind("W0306 09:03:23.593207", 0) == 0);
  std::set<std::string> warning_rows;
  for (const auto& row : warnings->rows) {
    if (row.level == "warning") warning_rows.insert(row.signature);
  }
  CHECK(warning_rows ==
        std::set<std::string>{
            "dispatcher.go: Failed calling webhook, failing closed <name>: failed calling webhook "
            "\"<name>\": failed to call webhook: Post \"<url>\": context deadline exceeded",
            "dispatcher.go: Failed calling webhook, failing open <name>: failed calling webhook "
            "\"<name>\": failed to call webhook: Post \"<url>\": context deadline exceeded",
            "reflector.go: storage/cacher.go:<path>: failed to list <group>/<version>, "
            "Kind=<kind>: conversion webhook for <group>/<version>, Kind=<kind> failed: <cause>",
            "retry_interceptor.go: retrying of unary invoker failed",
            "watcher.go: watch chan error: etcdserver: mvcc: required revision has been "
            "compacted"});
  auto info = run_sample("kube-apiserver-klog-lines-from-issues.log", LogLevel::kInfo, 1);
  REQUIRE(info);
  CHECK(info->total == 24);  // every line but the Trace continuation
  CHECK(info->rows.size() == 23);  // 22 signatures, the etcd compaction at two levels
}

// liggitt/audit2rbac's demo log: system:admin impersonates bob, alice and a service account, and
// every 403 message names the impersonated user. The callers say who acted as whom:
//   jq -r 'select(.responseStatus.code>=400) | [.user.username, .impersonatedUser.username,
//          .responseStatus.message] | @tsv' audit2rbac-demo.log
TEST_CASE("Error callers over the public audit2rbac sample show impersonation", "[errors][sample]") {
  for (unsigned threads : {1u, 3u}) {
    auto r = run_sample("audit2rbac-demo.log", LogLevel::kError, threads);
    if (!r) {
      WARN("skipped: the public audit2rbac sample is absent");
      return;
    }
    CHECK(r->total == 11);
    REQUIRE(r->rows.size() == 5);
    CHECK(r->rows[0].count == 6);
    CHECK(r->rows[0].signature ==
          "403 Forbidden: <resource> is forbidden: User \"<name>\" cannot list pods in the "
          "namespace \"<name>\"");
    CHECK(report::error_callers_text(r->rows[0]) ==
          "(none) (system:admin as bob) \xC3\x97" "3, "
          "(none) (system:admin as system:serviceaccount:ns1:sa1) \xC3\x97" "2, "
          "(none) (system:admin as alice) \xC3\x97" "1");
    CHECK(report::error_callers_text(r->rows[1]) ==
          "(none) (system:admin as bob) \xC3\x97" "1, "
          "(none) (system:admin as system:serviceaccount:ns1:sa1) \xC3\x97" "1");
  }
}

// Two AKS storage-archive records holding Trace continuation lines: counted as log lines,
// never error signatures, at any level.
TEST_CASE("Errors over the public AKS storage records", "[errors][sample]") {
  auto r = run_sample("aks-kube-apiserver-storage-records-from-issue3773.jsonl", LogLevel::kInfo, 1);
  if (!r) {
    WARN("skipped: the public AKS storage sample is absent");
    return;
  }
  CHECK(r->rows.empty());
  CHECK(r->total == 0);
}

// The OpenShift audit sample's 11 failed requests (see pipeline/openshift_sample_test.cpp for
// the jq that lists them): 4 PodSecurity rejections of catalog pods, 4 AlreadyExists (3 service
// accounts by OLM, 1 clusteroperator by the CVO), 3 NotFound.
TEST_CASE("Errors over the public OpenShift audit sample", "[errors][sample]") {
  for (unsigned threads : {1u, 3u}) {
    auto r = run_sample("openshift-clo-audit_in.jsonl", LogLevel::kError, threads);
    if (!r) {
      WARN("skipped: the public OpenShift sample is absent");
      return;
    }
    REQUIRE(r->rows.size() == 3);
    CHECK(r->total == 11);
    const auto& forbidden = r->rows[0];
    CHECK(forbidden.signature ==
          "403 Forbidden: <resource> \"<name>\" is forbidden: violates PodSecurity \"<name>\": "
          "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"<name>\"; user "
          "may not be set; role may not be set)");
    CHECK(forbidden.count == 4);
    CHECK(forbidden.example ==
          "pods \"certified-operators-bfkmv\" is forbidden: violates PodSecurity "
          "\"baseline:v1.25\": seLinuxOptions (pod set forbidden "
          "securityContext.seLinuxOptions: type \"spc_t\"; user may not be set; role may not be "
          "set)");
    CHECK(forbidden.first == model::TimeNs{1686576625754378000});
    CHECK(forbidden.last == model::TimeNs{1686576626755031000});
    const auto& exists = r->rows[1];
    CHECK(exists.signature == "409 AlreadyExists: <resource> \"<name>\" already exists");
    CHECK(exists.count == 4);
    CHECK(exists.example == "serviceaccounts \"redhat-operators\" already exists");
    REQUIRE(exists.callers.size() == 2);
    CHECK(exists.callers[0].agent == "catalog");
    CHECK(exists.callers[0].user ==
          "system:serviceaccount:openshift-operator-lifecycle-manager:olm-operator-serviceaccount");
    CHECK(exists.callers[0].count == 3);
    CHECK(exists.callers[1].agent == "cluster-version-operator");
    CHECK(exists.callers[1].count == 1);
    const auto& missing = r->rows[2];
    CHECK(missing.signature == "404 NotFound: <resource> \"<name>\" not found");
    CHECK(missing.count == 3);
    CHECK(missing.codes == std::vector<std::pair<std::string, std::uint64_t>>{{"404", 3}});
  }
}

}  // namespace kubeblame::analyze
