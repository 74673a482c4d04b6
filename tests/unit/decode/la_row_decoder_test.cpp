// LaRowDecoder: AKSAudit rows as `az -o json` objects (every value a string), REST documents and
// rows, portal CSV rows, and legacy AzureDiagnostics rows with the event in log_s.
#include "kubeblame/decode/la_row_decoder.h"

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
  LaRowDecoder decoder(parse_context);
  PaddedRecord record(line, context);
  Decoded out;
  out.accepted = decoder.decode(record.record(), out.sink);
  return out;
}

InputContext context_of(Container container, std::vector<std::string> columns) {
  InputContext context;
  context.container = container;
  context.columns = std::move(columns);
  context.column_ids = columns_for(context.columns);
  return context;
}

// 2025-02-25T09:19:25Z = 1740475165
const char* const kAzRow =
    R"({"TableName":"PrimaryResult","TimeGenerated":"2025-02-25T09:20:00Z","AuditId":"x1","Level":"Metadata",)"
    R"("Verb":"get","RequestUri":"/api/v1/namespaces/a/pods/p","PodName":"kube-apiserver-1",)"
    R"("User":"{\"username\":\"system:serviceaccount:a:b\",\"groups\":[\"system:serviceaccounts\"]}",)"
    R"("UserAgent":"kubelet/v1.29.2 (linux/amd64) kubernetes/abc",)"
    R"("ObjectRef":"{\"resource\":\"pods\",\"namespace\":\"a\",\"name\":\"p\",\"apiVersion\":\"v1\",\"apiGroup\":\"\",\"subresource\":\"status\"}",)"
    R"("ResponseStatus":"{\"metadata\":{},\"code\":404,\"reason\":\"NotFound\",\"message\":\"pods \\\"p\\\" not found\"}",)"
    R"("SourceIps":"[\"10.0.0.1\",\"10.0.0.2\"]","Stage":"ResponseComplete",)"
    R"("RequestReceivedTime":"2025-02-25T09:19:25.391Z","StageReceivedTime":"2025-02-25T09:19:25.401Z",)"
    R"("RequestObject":"skipped-too-big-size-object","ResponseObject":"None","ImpersonatedUser":"None","Annotations":"{}"})";

TEST_CASE("LaRowDecoder reads an az -o json AKSAudit row", "[decode][la]") {
  Decoded d = decode_line(kAzRow);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  const EventCopy& e = d.sink.events[0];
  CHECK(e.format == Format::kAksAuditAzJson);
  CHECK(e.audit_id == "x1");
  CHECK(e.verb == "get");
  CHECK(e.request_uri == "/api/v1/namespaces/a/pods/p");
  CHECK(e.username == "system:serviceaccount:a:b");
  CHECK(e.impersonated_user.empty());
  CHECK(e.user_agent == "kubelet/v1.29.2 (linux/amd64) kubernetes/abc");
  CHECK(e.has_object_ref);
  CHECK(e.resource == "pods");
  CHECK(e.subresource == "status");
  CHECK(e.api_group.empty());
  CHECK(e.namespace_name == "a");
  CHECK(e.name == "p");
  CHECK(e.code == 404);
  CHECK(e.reason == "NotFound");
  CHECK(e.message == "pods \"p\" not found");
  CHECK(e.source_ip == "10.0.0.2");
  CHECK(e.stage == model::Stage::kResponseComplete);
  CHECK(e.received == ns(1740475165, 391000000));
  CHECK(e.stage_time == ns(1740475165, 401000000));
  CHECK(e.request_object_too_big);
  CHECK(e.request_object.empty());
}

TEST_CASE("LaRowDecoder: dynamic columns as objects, bodies as JSON text, None as absent",
          "[decode][la]") {
  Decoded d = decode_line(
      R"({"Verb":"patch","User":{"username":"alice"},"ObjectRef":{"resource":"configmaps","namespace":"n"},)"
      R"("ResponseStatus":{"code":200},"SourceIps":["1.2.3.4"],"ImpersonatedUser":"{\"username\":\"bob\"}",)"
      R"("RequestObject":"{\"data\":{\"k\":\"v\"}}","Stage":"None","UserAgent":"None",)"
      R"("RequestReceivedTime":"None","TimeGenerated":"2025-02-25T09:19:25Z"})");
  REQUIRE(d.sink.events.size() == 1);
  const EventCopy& e = d.sink.events[0];
  CHECK(e.username == "alice");
  CHECK(e.impersonated_user == "bob");
  CHECK(e.resource == "configmaps");
  CHECK(e.namespace_name == "n");
  CHECK(e.code == 200);
  CHECK(e.source_ip == "1.2.3.4");
  CHECK(e.request_object == R"({"data":{"k":"v"}})");
  CHECK_FALSE(e.request_object_too_big);
  CHECK(e.stage == model::Stage::kAbsent);
  CHECK(e.user_agent.empty());
  CHECK(e.received == ns(1740475165));  // TimeGenerated stands in
}

Decoded decode_without_bodies(std::string_view line, const InputContext* context = nullptr) {
  ParseContext parse_context;
  parse_context.set_reads_bodies(false);
  LaRowDecoder decoder(parse_context);
  PaddedRecord record(line, context);
  Decoded out;
  out.accepted = decoder.decode(record.record(), out.sink);
  return out;
}

TEST_CASE("LaRowDecoder leaves RequestObject text alone when no body is read", "[decode][la]") {
  // The body is not unescaped (an invalid escape in it does not cost the row); the too-big
  // marker is still seen, in az objects and REST rows alike.
  Decoded d = decode_without_bodies(
      R"([{"Verb":"patch","AuditId":"b1","RequestObject":"{\"data\":{\"k\":\"v\"}}"},)"
      R"({"Verb":"update","AuditId":"b2","RequestObject":"{\"bad\": \"\q\"}"},)"
      R"({"Verb":"create","AuditId":"b3","RequestObject":"skipped-too-big-size-object" }])");
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 3);
  CHECK(d.sink.events[0].request_object.empty());
  CHECK_FALSE(d.sink.events[0].request_object_too_big);
  CHECK(d.sink.events[1].audit_id == "b2");
  CHECK(d.sink.events[1].request_object.empty());
  CHECK(d.sink.events[2].request_object_too_big);
  // Read with bodies, the same invalid escape is a damaged row.
  Decoded with =
      decode_line(R"({"Verb":"update","AuditId":"b2","RequestObject":"{\"bad\": \"\q\"}"})");
  CHECK(with.sink.events.empty());
  CHECK(with.sink.skips.size() == 1);

  InputContext rest = context_of(Container::kRestRows, {"AuditId", "Verb", "RequestObject"});
  Decoded row = decode_without_bodies(R"(["r1","get","skipped-too-big-size-object"])", &rest);
  REQUIRE(row.sink.events.size() == 1);
  CHECK(row.sink.events[0].request_object_too_big);
  row = decode_without_bodies(R"(["r2","patch","{\"spec\":{}}"])", &rest);
  REQUIRE(row.sink.events.size() == 1);
  CHECK(row.sink.events[0].request_object.empty());
  CHECK_FALSE(row.sink.events[0].request_object_too_big);

  // Portal CSV: the body cell is not unescaped; the marker (which has no quotes) is seen raw.
  InputContext csv = context_of(Container::kCsvRows, {"AuditId", "Verb", "RequestObject"});
  row = decode_without_bodies("c1,create,skipped-too-big-size-object\r\n", &csv);
  REQUIRE(row.sink.events.size() == 1);
  CHECK(row.sink.events[0].request_object_too_big);
  row = decode_without_bodies("c2,patch,\"{\"\"spec\"\":{}}\"\r\n", &csv);
  REQUIRE(row.sink.events.size() == 1);
  CHECK(row.sink.events[0].verb == "patch");
  CHECK(row.sink.events[0].request_object.empty());
  CHECK_FALSE(row.sink.events[0].request_object_too_big);
  ParseContext with_bodies;
  LaRowDecoder reader(with_bodies);
  PaddedRecord body_row("c2,patch,\"{\"\"spec\"\":{}}\"\r\n", &csv);
  Decoded read;
  REQUIRE(reader.decode(body_row.record(), read.sink));
  REQUIRE(read.sink.events.size() == 1);
  CHECK(read.sink.events[0].request_object == "{\"spec\":{}}");
}

TEST_CASE("LaRowDecoder reads a one-line array of row objects", "[decode][la]") {
  Decoded d = decode_line(std::string("[") + kAzRow + R"(,{"Verb":"list","AuditId":"x2"},"junk"])");
  REQUIRE(d.accepted);
  REQUIRE(d.sink.events.size() == 2);
  CHECK(d.sink.events[1].verb == "list");
  CHECK(d.sink.events[1].audit_id == "x2");
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kAksAuditAzJson}});
}

TEST_CASE("LaRowDecoder reads a REST response on one line", "[decode][la]") {
  Decoded d = decode_line(
      R"({"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},)"
      R"({"name":"Verb","type":"string"},{"name":"User","type":"dynamic"},{"name":"Stage","type":"string"},)"
      R"({"name":"ResponseStatus","type":"dynamic"},{"name":"Extra","type":"string"}],)"
      R"("rows":[["2025-02-25T09:19:25Z","list","{\"username\":\"u1\"}","ResponseComplete","{\"code\":200}","x"],)"
      R"(["2025-02-25T09:19:26Z","get",null,"ResponseComplete",{"code":500},"y"],"not a row"]}]})");
  REQUIRE(d.accepted);
  REQUIRE(d.sink.events.size() == 2);
  CHECK(d.sink.events[0].format == Format::kAksAuditRest);
  CHECK(d.sink.events[0].verb == "list");
  CHECK(d.sink.events[0].username == "u1");
  CHECK(d.sink.events[0].code == 200);
  CHECK(d.sink.events[0].received == ns(1740475165));
  CHECK(d.sink.events[1].verb == "get");
  CHECK(d.sink.events[1].username.empty());
  CHECK(d.sink.events[1].code == 500);
  CHECK(d.sink.events[1].received == ns(1740475166));
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kAksAuditRest}});

  Decoded empty = decode_line(R"({"tables":[{"name":"PrimaryResult","columns":[],"rows":[]}]})");
  REQUIRE(empty.accepted);
  CHECK(empty.sink.skips == std::vector<SkipCopy>{{SkipReason::kEmptyBatch, Format::kAksAuditRest}});
}

TEST_CASE("LaRowDecoder reads REST rows framed with their columns", "[decode][la]") {
  InputContext rest = context_of(Container::kRestRows,
                                 {"TimeGenerated", "Verb", "User", "ObjectRef", "SourceIps"});
  Decoded d = decode_line(
      R"(["2025-02-25T09:19:25Z","delete","{\"username\":\"argocd\"}","{\"resource\":\"secrets\",\"namespace\":\"ns\",\"name\":\"s\"}","[\"10.1.1.1\"]","extra cell"])",
      &rest);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  const EventCopy& e = d.sink.events[0];
  CHECK(e.format == Format::kAksAuditRest);
  CHECK(e.verb == "delete");
  CHECK(e.username == "argocd");
  CHECK(e.resource == "secrets");
  CHECK(e.name == "s");
  CHECK(e.source_ip == "10.1.1.1");
  CHECK(e.received == ns(1740475165));

  InputContext other = context_of(Container::kRestRows, {"TimeGenerated", "Computer"});
  Decoded not_audit = decode_line(R"(["2025-02-25T09:19:25Z","node-1"])", &other);
  CHECK(not_audit.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kLogAnalyticsRest}});
}

TEST_CASE("LaRowDecoder reads portal CSV rows", "[decode][la]") {
  InputContext csv = context_of(Container::kCsvRows,
                                {"TimeGenerated [UTC]", "Verb", "RequestUri", "User", "ObjectRef",
                                 "ResponseStatus", "Stage", "RequestReceivedTime [UTC]"});
  Decoded d = decode_line(
      R"("2/25/2025, 9:19:25.391 AM",get,/api/v1/pods,"{""username"":""u""}","{""resource"":""pods""}","{""code"":403,""reason"":""Forbidden""}",ResponseComplete,)"
      "\r\n",
      &csv);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  const EventCopy& e = d.sink.events[0];
  CHECK(e.format == Format::kAksAuditCsv);
  CHECK(e.verb == "get");
  CHECK(e.request_uri == "/api/v1/pods");
  CHECK(e.username == "u");
  CHECK(e.resource == "pods");
  CHECK(e.code == 403);
  CHECK(e.reason == "Forbidden");
  CHECK(e.received == ns(1740475165, 391000000));  // empty RequestReceivedTime: TimeGenerated

  Decoded broken = decode_line(R"("2/25/2025, 9:19:25.391 AM,get)", &csv);
  REQUIRE(broken.accepted);
  CHECK(broken.sink.skips == std::vector<SkipCopy>{{SkipReason::kMalformedJson, Format::kAksAuditCsv}});

  Decoded bad_dynamic = decode_line(R"(x,get,/api,"{""username"":",,,ResponseComplete,)", &csv);
  CHECK(bad_dynamic.sink.events.empty());
  REQUIRE(bad_dynamic.sink.skips.size() == 1);
  CHECK(bad_dynamic.sink.skips[0].format == Format::kAksAuditCsv);
}

TEST_CASE("LaRowDecoder reads AzureDiagnostics rows", "[decode][la]") {
  Decoded event = decode_line(
      R"({"Category":"kube-audit","TimeGenerated":"2025-02-25T09:19:25Z","pod_s":"kube-apiserver-x","stream_s":"stdout",)"
      R"("log_s":"{\"kind\":\"Event\",\"verb\":\"watch\",\"stage\":\"ResponseStarted\",\"responseStatus\":{\"code\":200},\"user\":{\"username\":\"system:kube-scheduler\"}}"})");
  REQUIRE(event.accepted);
  REQUIRE(event.sink.events.size() == 1);
  CHECK(event.sink.events[0].format == Format::kDiagnosticsAzJson);
  CHECK(event.sink.events[0].verb == "watch");
  CHECK(event.sink.events[0].username == "system:kube-scheduler");
  CHECK(event.sink.events[0].stage == model::Stage::kResponseStarted);
  CHECK(event.sink.events[0].received == ns(1740475165));

  // A control-plane category: the log_s text is a log line of that component.
  Decoded klog = decode_line(
      R"({"Category":"kube-apiserver","log_s":"E1128 04:20:08.123456       1 cacher.go:450] cacher (subscriptions.dapr.io): unexpected ListAndWatch error","pod_s":"p","TimeGenerated":"2025-02-25T09:19:25Z"})");
  REQUIRE(klog.accepted);
  CHECK(klog.sink.skips.empty());
  REQUIRE(klog.sink.logs.size() == 1);
  const test::LogCopy& line = klog.sink.logs[0];
  CHECK(line.format == Format::kDiagnosticsAzJson);
  CHECK(line.component == "kube-apiserver");
  CHECK(line.shape == model::LogShape::kKlog);
  CHECK(line.level == model::LogLevel::kError);
  CHECK(line.time == ns(1732767608, 123456000));  // 2024-11-28T04:20:08Z: nearest to Feb 2025
  CHECK(line.source == "cacher.go");
  CHECK(line.message == "cacher (subscriptions.dapr.io): unexpected ListAndWatch error");
  // Log text under an audit category stays not_audit.
  Decoded audit_klog = decode_line(
      R"({"Category":"kube-audit","log_s":"E1128 04:20:08.123456       1 cacher.go:450] boom"})");
  CHECK(audit_klog.sink.logs.empty());
  CHECK(audit_klog.sink.skips ==
        std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kDiagnosticsAzJson}});

  Decoded cut = decode_line(
      R"({"Category":"kube-audit","log_s":"{\"kind\":\"Event\",\"verb\":\"get\",\"requestObject\":{\"metadata\":{\"na"})");
  REQUIRE(cut.accepted);
  CHECK(cut.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kDiagnosticsAzJson}});

  Decoded etcd = decode_line(R"({"Category":"etcd","log_s":"{\"level\":\"warn\",\"msg\":\"slow\"}"})");
  CHECK(etcd.sink.skips.empty());
  REQUIRE(etcd.sink.logs.size() == 1);
  CHECK(etcd.sink.logs[0].shape == model::LogShape::kJson);
  CHECK(etcd.sink.logs[0].component == "etcd");
  CHECK(etcd.sink.logs[0].message == "slow");
  CHECK(etcd.sink.logs[0].time == 0);

  Decoded json_not_event = decode_line(R"({"Category":"kube-audit","log_s":"{\"level\":\"warn\"}"})");
  CHECK(json_not_event.sink.skips ==
        std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kDiagnosticsAzJson}});
}

TEST_CASE("LaRowDecoder reads AKSControlPlane rows from az -o json", "[decode][la][controlplane]") {
  // 2025-02-25T09:19:20.123456Z = 1740475160.123456
  Decoded klog = decode_line(
      R"({"Category":"kube-apiserver","Level":"ERROR","Message":"E0225 09:19:20.123456       1 cacher.go:450] cacher (subscriptions.dapr.io): failed","PodName":"kube-apiserver-6d9f-x","SourceSystem":"Azure","Stream":"stderr","TableName":"PrimaryResult","TimeGenerated":"2025-02-25T09:19:25Z","Type":"AKSControlPlane"})");
  REQUIRE(klog.accepted);
  CHECK(klog.sink.events.empty());
  CHECK(klog.sink.skips.empty());
  REQUIRE(klog.sink.logs.size() == 1);
  const test::LogCopy& l = klog.sink.logs[0];
  CHECK(l.format == Format::kControlPlaneAzJson);
  CHECK(l.shape == model::LogShape::kKlog);
  CHECK(l.level == model::LogLevel::kError);
  CHECK(l.time == ns(1740475160, 123456000));
  CHECK(l.component == "kube-apiserver");
  CHECK(l.source == "cacher.go");
  CHECK(l.message == "cacher (subscriptions.dapr.io): failed");
  CHECK(l.text == "E0225 09:19:20.123456       1 cacher.go:450] cacher (subscriptions.dapr.io): failed");

  // Across a year boundary: TimeGenerated 2025-01-01T00:10:00Z, the line from Dec 31.
  Decoded late = decode_line(
      R"({"Category":"kube-scheduler","Level":"Info","Message":"I1231 23:59:59.000000       1 schedule_one.go:80] x","TimeGenerated":"2025-01-01T00:10:00Z"})");
  REQUIRE(late.sink.logs.size() == 1);
  CHECK(late.sink.logs[0].time == ns(1735689599));  // 2024-12-31T23:59:59Z
  CHECK(late.sink.logs[0].component == "kube-scheduler");

  // No klog header: the Level column gives the level; the klog letter wins over the column.
  struct LevelCase {
    const char* level;
    const char* message;
    model::LogLevel expected;
  };
  for (const LevelCase& c : std::initializer_list<LevelCase>{
           {"ERROR", "plain error text", model::LogLevel::kError},
           {"warning", "plain", model::LogLevel::kWarning},
           {"Warn", "plain", model::LogLevel::kWarning},
           {"INFO", "plain", model::LogLevel::kInfo},
           {"Fatal", "plain", model::LogLevel::kFatal},
           {"Verbose", "plain", model::LogLevel::kUnknown},
           {"None", "plain", model::LogLevel::kUnknown},
           {"INFO", "E0225 09:19:20.123456 1 a.go:1] letter wins", model::LogLevel::kError},
           {"ERROR", "Trace[1]: [1s] [1s] END", model::LogLevel::kError},
       }) {
    INFO(c.level << " " << c.message);
    std::string row = std::string(R"({"Category":"guard","Level":")") + c.level +
                      R"(","Message":")" + c.message + R"(","TimeGenerated":"2025-02-25T09:19:25Z"})";
    Decoded d = decode_line(row);
    REQUIRE(d.sink.logs.size() == 1);
    CHECK(d.sink.logs[0].level == c.expected);
    CHECK(d.sink.logs[0].component == "guard");
  }
  Decoded other = decode_line(
      R"({"Category":"cluster-autoscaler","Level":"WARNING","Message":"some text","TimeGenerated":"2025-02-25T09:19:25Z"})");
  REQUIRE(other.sink.logs.size() == 1);
  CHECK(other.sink.logs[0].shape == model::LogShape::kOther);
  CHECK(other.sink.logs[0].time == ns(1740475165));
  CHECK(other.sink.logs[0].message == "some text");

  // A row with no Category value and a "None" message still counts as one log line.
  Decoded none = decode_line(R"({"Category":"None","Level":"None","Message":"None","TimeGenerated":"None"})");
  REQUIRE(none.sink.logs.size() == 1);
  CHECK(none.sink.logs[0].component.empty());
  CHECK(none.sink.logs[0].message.empty());
  CHECK(none.sink.logs[0].time == 0);
  CHECK(none.sink.calls() == 1);
}

TEST_CASE("LaRowDecoder reads AKSControlPlane rows from REST and CSV", "[decode][la][controlplane]") {
  InputContext rest = context_of(Container::kRestRows, {"TenantId", "TimeGenerated", "Category",
                                                        "Level", "Message", "PodName", "Stream"});
  Decoded r = decode_line(
      R"(["t","2025-02-25T09:19:25Z","kube-controller-manager","WARNING","W0225 09:19:20.5 1 garbagecollector.go:246] failed","kcm-1","stderr"])",
      &rest);
  REQUIRE(r.sink.logs.size() == 1);
  CHECK(r.sink.logs[0].format == Format::kControlPlaneRest);
  CHECK(r.sink.logs[0].component == "kube-controller-manager");
  CHECK(r.sink.logs[0].level == model::LogLevel::kWarning);
  CHECK(r.sink.logs[0].time == ns(1740475160, 500000000));
  CHECK(r.sink.logs[0].source == "garbagecollector.go");
  CHECK(r.sink.logs[0].message == "failed");

  InputContext csv = context_of(Container::kCsvRows, {"TimeGenerated [UTC]", "Category", "Level",
                                                      "Message", "PodName"});
  Decoded c = decode_line(
      R"("2/25/2025, 9:19:25.391 AM",kube-apiserver,ERROR,"E0225 09:19:20.123456       1 authentication.go:75] ""Unable to authenticate the request"" err=""x""",kube-apiserver-1)",
      &csv);
  REQUIRE(c.sink.logs.size() == 1);
  CHECK(c.sink.logs[0].format == Format::kControlPlaneCsv);
  CHECK(c.sink.logs[0].component == "kube-apiserver");
  CHECK(c.sink.logs[0].time == ns(1740475160, 123456000));
  CHECK(c.sink.logs[0].message == R"("Unable to authenticate the request" err="x")");
  CHECK(c.sink.calls() == 1);
  // An empty Message cell is still a row.
  Decoded empty = decode_line(R"("2/25/2025, 9:19:25.391 AM",kube-apiserver,INFO,,p)", &csv);
  REQUIRE(empty.sink.logs.size() == 1);
  CHECK(empty.sink.logs[0].level == model::LogLevel::kInfo);
  CHECK(empty.sink.logs[0].time == ns(1740475165, 391000000));
}

TEST_CASE("LaRowDecoder: AzureDiagnostics rows from REST and CSV name their shape", "[decode][la]") {
  InputContext rest = context_of(Container::kRestRows, {"Category", "log_s"});
  Decoded r = decode_line(R"(["kube-audit","{\"verb\":\"get\"}"])", &rest);
  REQUIRE(r.sink.events.size() == 1);
  CHECK(r.sink.events[0].format == Format::kDiagnosticsRest);
  InputContext csv = context_of(Container::kCsvRows, {"Category", "log_s"});
  Decoded c = decode_line(R"(kube-audit,"{""verb"":""get""}")", &csv);
  REQUIRE(c.sink.events.size() == 1);
  CHECK(c.sink.events[0].format == Format::kDiagnosticsCsv);
}

TEST_CASE("LaRowDecoder declines records without a Log Analytics column", "[decode][la]") {
  for (const char* line : {R"({"kind":"Event","verb":"get"})", R"({"name":"x"})", "true"}) {
    Decoded d = decode_line(line);
    INFO(line);
    CHECK_FALSE(d.accepted);
    CHECK(d.sink.calls() == 0);
  }
}

// Rows of a table that holds neither audit events nor log lines (a query of the wrong table, or
// control-plane rows without their Message) are Log Analytics rows all the same: counted under
// their shape's log-analytics-* name, so the footer does not call them AKSAudit rows.
TEST_CASE("LaRowDecoder names rows of other tables by their shape", "[decode][la]") {
  for (const char* line :
       {R"({"Category":"kube-apiserver","Level":"Error","TimeGenerated":"2025-02-25T09:19:25Z"})",
        R"({"Level":"Error","Message":"E1128 boom","TimeGenerated":"2025-02-25T09:19:25Z"})",
        R"({"TimeGenerated":"2025-02-25T09:19:25Z","Computer":"node-1","Type":"Perf"})"}) {
    Decoded d = decode_line(line);
    INFO(line);
    CHECK(d.accepted);
    CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kLogAnalyticsAzJson}});
  }
  InputContext csv = context_of(Container::kCsvRows, {"TimeGenerated [UTC]", "Computer", "Type"});
  Decoded c = decode_line(R"("2/25/2025, 9:19:25.391 AM",node-1,Heartbeat)", &csv);
  CHECK(c.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kLogAnalyticsCsv}});
}

// Azure Arc-enabled clusters write the AKS columns to ArcK8sAudit, ArcK8sAuditAdmin and
// ArcK8sControlPlane: read like AKS rows, counted under their own names (Type column, any case).
TEST_CASE("LaRowDecoder labels Azure Arc rows by their table", "[decode][la]") {
  std::string audit = kAzRow;
  audit.insert(1, R"("Type":"ArcK8sAudit",)");
  Decoded a = decode_line(audit);
  REQUIRE(a.sink.events.size() == 1);
  CHECK(a.sink.events[0].format == Format::kArcAuditAzJson);
  CHECK(a.sink.events[0].audit_id == "x1");
  CHECK(a.sink.admins.empty());

  std::string admin = kAzRow;
  admin.insert(1, R"("Type":"arck8sauditadmin",)");
  Decoded b = decode_line(admin);
  REQUIRE(b.sink.events.size() == 1);
  CHECK(b.sink.events[0].format == Format::kArcAuditAzJson);
  CHECK(b.sink.admins == std::vector<AdminSource>{AdminSource::kArcK8sAuditAdmin});

  InputContext rest = context_of(Container::kRestRows, {"TimeGenerated", "Category", "Level", "Message", "Type"});
  Decoded cp = decode_line(R"(["2025-02-25T09:19:25Z","kube-apiserver","Error","E0225 09:19:25.000000       1 x.go:1] boom","ArcK8sControlPlane"])", &rest);
  REQUIRE(cp.sink.logs.size() == 1);
  CHECK(cp.sink.logs[0].format == Format::kArcControlPlaneRest);

  InputContext csv = context_of(Container::kCsvRows, {"TimeGenerated [UTC]", "Verb", "AuditId", "Type"});
  Decoded c = decode_line(R"("2/25/2025, 9:19:25.391 AM",get,x2,ArcK8sAudit)", &csv);
  REQUIRE(c.sink.events.size() == 1);
  CHECK(c.sink.events[0].format == Format::kArcAuditCsv);

  std::string aks = kAzRow;  // not a prefix match on anything: "ArcK8s" alone is not an Arc table
  aks.insert(1, R"("Type":"ArcK8s",)");
  CHECK(decode_line(aks).sink.events[0].format == Format::kAksAuditAzJson);
}

TEST_CASE("LaRowDecoder counts a truncated row object", "[decode][la]") {
  // Cut inside a string, and cut between values (the object is never closed).
  for (std::string line : {std::string(kAzRow).substr(0, 150),
                           std::string(R"({"TableName":"PrimaryResult","Verb":"get","AuditId":"x")")}) {
    Decoded d = decode_line(line);
    INFO(line);
    REQUIRE(d.accepted);
    CHECK(d.sink.events.empty());
    CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kAksAuditAzJson}});
  }
}

// AKSAuditAdmin (and ArcK8sAuditAdmin) rows and kube-audit-admin AzureDiagnostics rows hold no
// get or list requests: each decoded event from them comes with a note naming the source.
TEST_CASE("LaRowDecoder notes events from admin-only tables and categories", "[decode][la][admin]") {
  std::string row = kAzRow;
  row.insert(1, R"("Type":"AKSAuditAdmin",)");
  Decoded az = decode_line(row);
  REQUIRE(az.sink.events.size() == 1);
  CHECK(az.sink.admins == std::vector<AdminSource>{AdminSource::kAksAuditAdmin});
  std::string arc = kAzRow;
  arc.insert(1, R"("Type":"ArcK8sAuditAdmin",)");
  CHECK(decode_line(arc).sink.admins == std::vector<AdminSource>{AdminSource::kArcK8sAuditAdmin});
  std::string full = kAzRow;
  full.insert(1, R"("Type":"AKSAudit",)");
  CHECK(decode_line(full).sink.admins.empty());
  CHECK(decode_line(kAzRow).sink.admins.empty());  // no Type column: nothing to say

  InputContext rest = context_of(Container::kRestRows, {"TimeGenerated", "Verb", "Type"});
  Decoded rest_row = decode_line(R"(["2025-02-25T09:19:25Z","update","AKSAuditAdmin"])", &rest);
  REQUIRE(rest_row.sink.events.size() == 1);
  CHECK(rest_row.sink.events[0].format == Format::kAksAuditRest);
  CHECK(rest_row.sink.admins == std::vector<AdminSource>{AdminSource::kAksAuditAdmin});

  InputContext csv = context_of(Container::kCsvRows, {"TimeGenerated [UTC]", "Verb", "Type"});
  Decoded csv_row = decode_line("\"2/25/2025, 9:19:25.391 AM\",patch,AKSAuditAdmin\r\n", &csv);
  REQUIRE(csv_row.sink.events.size() == 1);
  CHECK(csv_row.sink.events[0].format == Format::kAksAuditCsv);
  CHECK(csv_row.sink.admins == std::vector<AdminSource>{AdminSource::kAksAuditAdmin});

  const char* const kLog = R"("log_s":"{\"kind\":\"Event\",\"verb\":\"create\",\"stage\":\"ResponseComplete\"}"})";
  Decoded diag = decode_line(std::string(R"({"Category":"kube-audit-admin","Type":"AzureDiagnostics",)") + kLog);
  REQUIRE(diag.sink.events.size() == 1);
  CHECK(diag.sink.events[0].format == Format::kDiagnosticsAzJson);
  CHECK(diag.sink.admins == std::vector<AdminSource>{AdminSource::kKubeAuditAdmin});
  CHECK(decode_line(std::string(R"({"Category":"kube-audit",)") + kLog).sink.admins.empty());
  // A record that is not read as an event brings no note.
  Decoded cut = decode_line(R"({"Category":"kube-audit-admin","log_s":"{\"kind\":\"Event\",\"ve"})");
  CHECK(cut.sink.events.empty());
  CHECK(cut.sink.admins.empty());
}

TEST_CASE("column_for knows every column it reads, and nothing else", "[decode][la]") {
  const std::pair<const char*, Column> known[] = {
      {"AuditId", Column::kAuditId},
      {"Verb", Column::kVerb},
      {"RequestUri", Column::kRequestUri},
      {"UserAgent", Column::kUserAgent},
      {"Stage", Column::kStage},
      {"User", Column::kUser},
      {"ImpersonatedUser", Column::kImpersonatedUser},
      {"ObjectRef", Column::kObjectRef},
      {"ResponseStatus", Column::kResponseStatus},
      {"SourceIps", Column::kSourceIps},
      {"RequestReceivedTime", Column::kRequestReceivedTime},
      {"StageReceivedTime", Column::kStageReceivedTime},
      {"TimeGenerated", Column::kTimeGenerated},
      {"RequestObject", Column::kRequestObject},
      {"Annotations", Column::kAnnotations},
      {"Category", Column::kCategory},
      {"log_s", Column::kLog},
      {"Message", Column::kMessage},
      {"Level", Column::kLevel},
      {"Type", Column::kType},
  };
  for (const auto& [name, column] : known) {
    INFO(name);
    CHECK(column_for(name) == column);
    CHECK(column_for(std::string(name) + " [UTC]") == column);
    CHECK(column_for(std::string(name) + "x") == Column::kIgnored);
    CHECK(column_for(std::string(name).substr(1)) == Column::kIgnored);
  }
  for (const char* other : {"", "TenantId", "PodName", "ResponseObject", "SourceSystem", "_ResourceId",
                            "TableName", "Stagex", "AUDITID", "log_S"}) {
    INFO(other);
    CHECK(column_for(other) == Column::kIgnored);
  }
}

TEST_CASE("column_for strips the CSV (UTC) suffix in brackets", "[decode][la]") {
  CHECK(column_for("TimeGenerated [UTC]") == Column::kTimeGenerated);
  CHECK(column_for("StageReceivedTime [UTC]") == Column::kStageReceivedTime);
  CHECK(column_for("log_s") == Column::kLog);
  CHECK(column_for("verb") == Column::kIgnored);  // case matters: raw events are not rows
  CHECK(column_for("") == Column::kIgnored);
  CHECK(column_for(" [UTC]") == Column::kIgnored);
}

}  // namespace
}  // namespace kubeblame::decode
