// AuditEventDecoder: raw audit.k8s.io Events, arrays of them, EventLists, older events, and the
// damage real files carry (truncation, malformed JSON, invalid UTF-8).
#include "kubeblame/decode/audit_event_decoder.h"

#include <catch2/catch.hpp>

#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using test::EventCopy;
using test::ns;
using test::PaddedRecord;
using test::RecordingSink;
using test::SkipCopy;

struct Decoded {
  bool accepted = false;
  RecordingSink sink;
};

Decoded decode_line(std::string_view line, const InputContext* context = nullptr) {
  ParseContext parse_context;
  AuditEventDecoder decoder(parse_context);
  PaddedRecord record(line, context);
  Decoded out;
  out.accepted = decoder.decode(record.record(), out.sink);
  return out;
}

const char* const kFullEvent =
    R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a1b2",)"
    R"("stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/prod/deployments/web/scale?fieldManager=kubectl",)"
    R"("verb":"patch","user":{"username":"alice@example.com","uid":"u","groups":["devs"],"extra":{"k":["v"]}},)"
    R"("impersonatedUser":{"username":"system:serviceaccount:prod:deployer"},)"
    R"("sourceIPs":["203.0.113.9","10.0.0.7"],"userAgent":"kubectl/v1.30.0 (linux/amd64) kubernetes/7c1c2d3",)"
    R"("objectRef":{"resource":"deployments","namespace":"prod","name":"web","uid":"x","apiGroup":"apps","apiVersion":"v1","resourceVersion":"9","subresource":"scale"},)"
    R"("responseStatus":{"metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified","reason":"Conflict","details":{"name":"web"},"code":409},)"
    R"("requestObject":{"spec":{"replicas":3}},"responseObject":{"kind":"Status"},)"
    R"("requestReceivedTimestamp":"2024-06-30T19:41:14.278898Z","stageTimestamp":"2024-06-30T19:41:14.281020Z",)"
    R"("annotations":{"authorization.k8s.io/decision":"allow"}})";

TEST_CASE("AuditEventDecoder reads every field of a raw event", "[decode][audit]") {
  Decoded d = decode_line(kFullEvent);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  const EventCopy& e = d.sink.events[0];
  CHECK(e.format == Format::kAuditJsonLines);
  CHECK(e.stage == model::Stage::kResponseComplete);
  CHECK(e.audit_id == "a1b2");
  CHECK(e.verb == "patch");
  CHECK(e.request_uri == "/apis/apps/v1/namespaces/prod/deployments/web/scale?fieldManager=kubectl");
  CHECK(e.username == "alice@example.com");
  CHECK(e.impersonated_user == "system:serviceaccount:prod:deployer");
  CHECK(e.source_ip == "10.0.0.7");
  CHECK(e.user_agent == "kubectl/v1.30.0 (linux/amd64) kubernetes/7c1c2d3");
  CHECK(e.has_object_ref);
  CHECK(e.resource == "deployments");
  CHECK(e.subresource == "scale");
  CHECK(e.api_group == "apps");
  CHECK(e.api_version == "v1");
  CHECK(e.namespace_name == "prod");
  CHECK(e.name == "web");
  CHECK(e.code == 409);
  CHECK(e.reason == "Conflict");
  CHECK(e.message ==
        "Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified");
  CHECK(e.received == ns(1719776474, 278898000));
  CHECK(e.stage_time == ns(1719776474, 281020000));
  CHECK(e.request_object == R"({"spec":{"replicas":3}})");
  CHECK_FALSE(e.request_object_too_big);
}

TEST_CASE("AuditEventDecoder maps stages", "[decode][audit]") {
  struct Case {
    const char* line;
    model::Stage stage;
  };
  const Case cases[] = {
      {R"({"verb":"get","stage":"RequestReceived"})", model::Stage::kRequestReceived},
      {R"({"verb":"get","stage":"ResponseStarted"})", model::Stage::kResponseStarted},
      {R"({"verb":"get","stage":"ResponseComplete"})", model::Stage::kResponseComplete},
      {R"({"verb":"get","stage":"Panic"})", model::Stage::kPanic},
      {R"({"verb":"get"})", model::Stage::kAbsent},
      {R"({"verb":"get","stage":"Sideways"})", model::Stage::kUnknown},
  };
  for (const Case& c : cases) {
    Decoded d = decode_line(c.line);
    INFO(c.line);
    REQUIRE(d.sink.events.size() == 1);
    CHECK(d.sink.events[0].stage == c.stage);
  }
}

TEST_CASE("AuditEventDecoder: non-resource URLs, string codes, a single source IP", "[decode][audit]") {
  Decoded d = decode_line(
      R"({"requestURI":"/healthz?verbose","verb":"get","sourceIPs":"192.0.2.1","responseStatus":{"code":"503"},"user":{"username":"system:anonymous"}})");
  REQUIRE(d.sink.events.size() == 1);
  const EventCopy& e = d.sink.events[0];
  CHECK_FALSE(e.has_object_ref);
  CHECK(e.request_uri == "/healthz?verbose");
  CHECK(e.source_ip == "192.0.2.1");
  CHECK(e.code == 503);
  CHECK(e.username == "system:anonymous");
  CHECK(e.received == 0);
  CHECK(e.request_object.empty());
}

TEST_CASE("AuditEventDecoder: older events use timestamp, then metadata.creationTimestamp",
          "[decode][audit]") {
  // 2017-03-21T07:57:09Z = 1490083029
  Decoded legacy = decode_line(
      R"({"metadata":{"creationTimestamp":"2017-03-21T07:57:00Z"},"level":"Metadata","timestamp":"2017-03-21T07:57:09Z","auditID":"x","verb":"list","requestURI":"/api/v1/pods"})");
  REQUIRE(legacy.sink.events.size() == 1);
  CHECK(legacy.sink.events[0].received == ns(1490083029));
  CHECK(legacy.sink.events[0].stage == model::Stage::kAbsent);

  Decoded creation = decode_line(
      R"({"kind":"Event","metadata":{"name":"n","creationTimestamp":"2017-03-21T07:57:09Z"},"verb":"get"})");
  REQUIRE(creation.sink.events.size() == 1);
  CHECK(creation.sink.events[0].received == ns(1490083029));

  Decoded modern = decode_line(
      R"({"timestamp":"2017-03-21T07:00:00Z","requestReceivedTimestamp":"2017-03-21T07:57:09Z","verb":"get"})");
  REQUIRE(modern.sink.events.size() == 1);
  CHECK(modern.sink.events[0].received == ns(1490083029));
}

TEST_CASE("AuditEventDecoder keeps YAML and JSON Patch request bodies", "[decode][audit]") {
  Decoded patch = decode_line(
      R"({"verb":"patch","requestObject":[{"op":"replace","path":"/spec/x","value":"dapr-system"}]})");
  REQUIRE(patch.sink.events.size() == 1);
  CHECK(patch.sink.events[0].request_object ==
        R"([{"op":"replace","path":"/spec/x","value":"dapr-system"}])");
  Decoded yaml = decode_line(R"({"verb":"patch","requestObject":"spec:\n  x: 1\n"})");
  REQUIRE(yaml.sink.events.size() == 1);
  CHECK(yaml.sink.events[0].request_object == "spec:\n  x: 1\n");
}

TEST_CASE("AuditEventDecoder reads a line that is a JSON array of events", "[decode][audit]") {
  Decoded d = decode_line(
      R"([{"kind":"Event","verb":"get","stage":"ResponseComplete"},{"verb":"list","userAgent":"a/1"},5,{"kind":"Pod","verb":"x"}])");
  REQUIRE(d.accepted);
  REQUIRE(d.sink.events.size() == 2);
  CHECK(d.sink.events[0].verb == "get");
  CHECK(d.sink.events[0].format == Format::kAuditJsonArray);
  CHECK(d.sink.events[1].verb == "list");
  CHECK(d.sink.events[1].user_agent == "a/1");
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kAuditJsonArray},
                                              {SkipReason::kNotAudit, Format::kAuditJsonArray}});

  Decoded empty = decode_line("[]");
  REQUIRE(empty.accepted);
  CHECK(empty.sink.events.empty());
  CHECK(empty.sink.skips == std::vector<SkipCopy>{{SkipReason::kEmptyBatch, Format::kAuditJsonArray}});
}

TEST_CASE("AuditEventDecoder reads an EventList on one line", "[decode][audit]") {
  Decoded d = decode_line(
      R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":[{"kind":"Event","verb":"get","auditID":"1"},{"kind":"Event","verb":"watch","auditID":"2"}]})");
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 2);
  CHECK(d.sink.events[0].audit_id == "1");
  CHECK(d.sink.events[1].verb == "watch");
  CHECK(d.sink.events[1].format == Format::kAuditEventList);

  Decoded empty = decode_line(R"({"kind":"EventList","items":[]})");
  CHECK(empty.sink.skips == std::vector<SkipCopy>{{SkipReason::kEmptyBatch, Format::kAuditEventList}});
}

TEST_CASE("AuditEventDecoder: the record's container names the format", "[decode][audit]") {
  InputContext array;
  array.container = Container::kJsonArray;
  InputContext list;
  list.container = Container::kEventList;
  CHECK(decode_line(R"({"verb":"get"})", &array).sink.events.at(0).format == Format::kAuditJsonArray);
  CHECK(decode_line(R"({"verb":"get"})", &list).sink.events.at(0).format == Format::kAuditEventList);
}

TEST_CASE("AuditEventDecoder declines records that are not events", "[decode][audit]") {
  for (const char* line : {R"({"kind":0})", R"({"kind":"Pod","verb":"get"})", R"({"a":1})",
                           R"("just a string")", "42", R"({"category":"kube-audit"})"}) {
    Decoded d = decode_line(line);
    INFO(line);
    CHECK_FALSE(d.accepted);
    CHECK(d.sink.calls() == 0);
  }
}

TEST_CASE("AuditEventDecoder counts damaged records", "[decode][audit]") {
  struct Case {
    std::string line;
    SkipReason reason;
  };
  const Case cases[] = {
      {R"({"kind":"Event","verb":"get","user":{"username":"al)", SkipReason::kTruncated},
      {R"({"kind":"Event","verb":"get","objectRef":{"resource":"pods")", SkipReason::kTruncated},
      {R"({"kind":"Event","verb":"get")", SkipReason::kTruncated},
      {std::string(kFullEvent).substr(0, 200), SkipReason::kTruncated},
      {R"({"a":1,,})", SkipReason::kMalformedJson},
      {R"({"verb":"get" "stage":"x"})", SkipReason::kMalformedJson},
      {R"({"verb":get})", SkipReason::kMalformedJson},
  };
  for (const Case& c : cases) {
    Decoded d = decode_line(c.line);
    INFO(c.line);
    CHECK(d.accepted);
    CHECK(d.sink.events.empty());
    CHECK(d.sink.skips == std::vector<SkipCopy>{{c.reason, Format::kAuditJsonLines}});
  }
}

TEST_CASE("AuditEventDecoder repairs invalid UTF-8 instead of rejecting the event", "[decode][audit]") {
  Decoded d = decode_line("{\"verb\":\"get\",\"userAgent\":\"bad\xff\xfe agent/1\",\"user\":{\"username\":\"caf\xc3\"}}");
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  CHECK(d.sink.events[0].user_agent == "bad\xEF\xBF\xBD\xEF\xBF\xBD agent/1");
  CHECK(d.sink.events[0].username == "caf\xEF\xBF\xBD");
  CHECK(d.sink.events[0].verb == "get");
}

TEST_CASE("AuditEventDecoder can be reused: nothing leaks from one record to the next",
          "[decode][audit]") {
  ParseContext parse_context;
  AuditEventDecoder decoder(parse_context);
  RecordingSink sink;
  PaddedRecord first(kFullEvent);
  PaddedRecord second(R"({"verb":"list"})");
  REQUIRE(decoder.decode(first.record(), sink));
  REQUIRE(decoder.decode(second.record(), sink));
  REQUIRE(sink.events.size() == 2);
  const EventCopy& e = sink.events[1];
  CHECK(e.verb == "list");
  CHECK(e.code == 0);
  CHECK_FALSE(e.has_object_ref);
  CHECK(e.username.empty());
  CHECK(e.received == 0);
  CHECK(e.request_object.empty());
}

}  // namespace
}  // namespace kubeblame::decode
