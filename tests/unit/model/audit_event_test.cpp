// The counting rules of docs/counting.md on the model: which events are requests, which are long-running, and
// the time a request is attributed to.
#include "kubeblame/model/audit_event.h"

#include <catch2/catch.hpp>

namespace kubeblame::model {
namespace {

AuditEvent event(Stage stage, int code, std::string_view verb = "get") {
  AuditEvent e;
  e.stage = stage;
  e.code = code;
  e.verb = verb;
  return e;
}

TEST_CASE("is_counted_request follows the stage rule", "[model]") {
  CHECK(is_counted_request(event(Stage::kResponseComplete, 200)));
  CHECK(is_counted_request(event(Stage::kPanic, 500)));
  CHECK(is_counted_request(event(Stage::kAbsent, 0)));
  CHECK(is_counted_request(event(Stage::kResponseStarted, 401)));
  CHECK_FALSE(is_counted_request(event(Stage::kResponseStarted, 200)));
  CHECK_FALSE(is_counted_request(event(Stage::kRequestReceived, 0)));
  CHECK_FALSE(is_counted_request(event(Stage::kRequestReceived, 401)));
  CHECK_FALSE(is_counted_request(event(Stage::kUnknown, 200)));
}

TEST_CASE("is_counted_request counts an upgrade once, at ResponseStarted", "[model]") {
  // exec, attach, port-forward and websocket watches answer 101; the session may outlive the log.
  CHECK(is_counted_request(event(Stage::kResponseStarted, 101, "create")));
  CHECK(is_counted_request(event(Stage::kResponseStarted, 101, "watch")));
  CHECK_FALSE(is_counted_request(event(Stage::kResponseComplete, 101, "create")));
  CHECK_FALSE(is_counted_request(event(Stage::kRequestReceived, 101, "create")));
  // Without stages every event is the whole request, upgrade or not.
  CHECK(is_counted_request(event(Stage::kAbsent, 101, "create")));
  // A websocket watch that did not upgrade is counted at ResponseComplete, as before.
  CHECK_FALSE(is_counted_request(event(Stage::kResponseStarted, 200, "watch")));
  CHECK(is_counted_request(event(Stage::kResponseComplete, 200, "watch")));
}

TEST_CASE("is_long_running: watches and 101 upgrades", "[model]") {
  CHECK(is_long_running(event(Stage::kResponseComplete, 200, "watch")));
  CHECK(is_long_running(event(Stage::kResponseComplete, 101, "create")));
  CHECK_FALSE(is_long_running(event(Stage::kResponseComplete, 200, "list")));
  CHECK_FALSE(is_long_running(event(Stage::kResponseComplete, 200, "WATCH")));
}

TEST_CASE("event_time prefers the received time", "[model]") {
  AuditEvent e;
  CHECK(event_time(e) == 0);
  e.stage_time = 20;
  CHECK(event_time(e) == 20);
  e.received = 10;
  CHECK(event_time(e) == 10);
}

}  // namespace
}  // namespace kubeblame::model
