// GkeEntryDecoder: Cloud Audit Logs LogEntry records (sink lines and gcloud arrays), the mapping
// helpers (gRPC codes, methodName, resourceName), and the entries that are not k8s audit.
#include "kubeblame/decode/gke_entry_decoder.h"

#include <catch2/catch.hpp>

#include "kubeblame/decode/detect.h"
#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

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
  GkeEntryDecoder decoder(parse_context);
  PaddedRecord record(line, context);
  Decoded out;
  out.accepted = decoder.decode(record.record(), out.sink);
  return out;
}

// One entry as a sink writes it (Cloud Logging's key order), from a real GKE capture's shape.
const char* const kLeaseUpdate =
    R"({"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog",)"
    R"("authenticationInfo":{"principalEmail":"system:gcp-controller-manager"},)"
    R"("methodName":"io.k8s.coordination.v1.leases.update",)"
    R"j("requestMetadata":{"callerIp":"172.16.0.3","callerSuppliedUserAgent":"gcp-controller-manager/v0.0.0 (linux/amd64)"},)j"
    R"("resourceName":"coordination.k8s.io/v1/namespaces/kube-system/leases/gcp-controller-manager",)"
    R"("serviceName":"k8s.io","status":{"code":0}},"insertId":"ins-1",)"
    R"("resource":{"type":"k8s_cluster","labels":{"cluster_name":"c"}},)"
    R"("timestamp":"2025-08-15T12:54:34.966334123Z",)"
    R"("labels":{"authorization.k8s.io/decision":"allow"},)"
    R"("logName":"projects/p/logs/cloudaudit.googleapis.com%2Factivity",)"
    R"("operation":{"id":"op-1","producer":"k8s.io","first":true,"last":true},)"
    R"("receiveTimestamp":"2025-08-15T12:54:37.402958638Z"})";

// A minimal k8s.io entry around a protoPayload tail and top-level extras.
std::string entry(std::string_view payload, std::string_view extra = R"("insertId":"i")") {
  return std::string(R"({"protoPayload":{"serviceName":"k8s.io",)") + std::string(payload) + "}," +
         std::string(extra) + "}";
}

TEST_CASE("GkeEntryDecoder maps a sink line's LogEntry to an audit event", "[decode][gke]") {
  Decoded d = decode_line(kLeaseUpdate);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  const test::EventCopy& e = d.sink.events[0];
  CHECK(e.format == Format::kGkeLogEntryLines);
  CHECK(e.audit_id == "op-1");
  CHECK(e.verb == "update");
  CHECK(e.username == "system:gcp-controller-manager");
  CHECK(e.user_agent == "gcp-controller-manager/v0.0.0 (linux/amd64)");
  CHECK(e.source_ip == "172.16.0.3");
  CHECK(e.has_object_ref);
  CHECK(e.api_group == "coordination.k8s.io");
  CHECK(e.api_version == "v1");
  CHECK(e.namespace_name == "kube-system");
  CHECK(e.resource == "leases");
  CHECK(e.name == "gcp-controller-manager");
  CHECK(e.subresource.empty());
  CHECK(e.request_uri.empty());
  CHECK(e.code == 200);
  CHECK(e.reason.empty());
  CHECK(e.stage == model::Stage::kResponseComplete);
  CHECK(e.received == ns(1755262474, 966334123));
  CHECK(e.stage_time == 0);  // no latency, ever
  CHECK_FALSE(e.truncated_annotation);
}

TEST_CASE("GkeEntryDecoder: entries of a gcloud array are gke-gcloud-json", "[decode][gke]") {
  InputContext array;
  array.container = Container::kJsonArray;
  CHECK(decode_line(kLeaseUpdate, &array).sink.events.at(0).format == Format::kGkeGcloudJson);
  // An array compacted onto one line (gcloud ... | jq -c): every element, and the empty array.
  Decoded d = decode_line(std::string("[") + kLeaseUpdate + ",7," + kLeaseUpdate + "]");
  REQUIRE(d.sink.events.size() == 2);
  CHECK(d.sink.events[1].format == Format::kGkeGcloudJson);
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kGkeGcloudJson}});
  CHECK(decode_line("[]").sink.skips ==
        std::vector<SkipCopy>{{SkipReason::kEmptyBatch, Format::kGkeGcloudJson}});
}

TEST_CASE("GkeEntryDecoder: operation first/last give the stage and the audit ID",
          "[decode][gke]") {
  auto decoded = [](std::string_view extra) {
    Decoded d = decode_line(entry(R"("methodName":"io.k8s.core.v1.pods.watch")", extra));
    REQUIRE(d.sink.events.size() == 1);
    return d.sink.events[0];
  };
  // A watch opens with `first` (an event, not a request) and closes with `last` (the request).
  test::EventCopy opens = decoded(R"("insertId":"a","operation":{"id":"w1","first":true})");
  CHECK(opens.stage == model::Stage::kRequestReceived);
  CHECK(opens.audit_id == "w1");
  test::EventCopy closes = decoded(R"("insertId":"b","operation":{"id":"w1","last":true})");
  CHECK(closes.stage == model::Stage::kResponseComplete);
  CHECK(closes.audit_id == "w1");
  CHECK(decoded(R"("operation":{"id":"x","first":true,"last":true})").stage ==
        model::Stage::kResponseComplete);
  CHECK(decoded(R"("operation":{"id":"x","first":"true","last":false})").stage ==
        model::Stage::kRequestReceived);
  // No operation, or one without first/last: a request; the audit ID falls back to insertId.
  test::EventCopy bare = decoded(R"("insertId":"only-insert")");
  CHECK(bare.stage == model::Stage::kResponseComplete);
  CHECK(bare.audit_id == "only-insert");
  CHECK(decoded(R"("insertId":"i2","operation":{"producer":"k8s.io"})").audit_id == "i2");
  CHECK(decoded(R"("insertId":"i3","operation":{"producer":"k8s.io"})").stage ==
        model::Stage::kResponseComplete);
}

TEST_CASE("GkeEntryDecoder: exec/attach/portforward sessions are upgrades (101)", "[decode][gke]") {
  auto decoded = [](std::string_view extra, std::string_view status = "{}") {
    Decoded d =
        decode_line(entry(std::string(R"("methodName":"io.k8s.core.v1.pods.exec.create",)"
                                      R"("resourceName":"core/v1/namespaces/d/pods/p/exec",)"
                                      R"("status":)") +
                              std::string(status),
                          extra));
    REQUIRE(d.sink.events.size() == 1);
    return d.sink.events[0];
  };
  test::EventCopy one = decoded(R"("insertId":"i")");
  CHECK(one.code == 101);
  CHECK(one.stage == model::Stage::kResponseStarted);  // counted once, at the start
  CHECK(one.subresource == "exec");
  CHECK(decoded(R"("operation":{"id":"s","first":true})").stage == model::Stage::kResponseStarted);
  CHECK(decoded(R"("operation":{"id":"s","last":true})").stage == model::Stage::kResponseComplete);
  test::EventCopy denied = decoded(R"("insertId":"i")", R"({"code":7,"message":"no"})");
  CHECK(denied.code == 403);
  CHECK(denied.stage == model::Stage::kResponseComplete);
}

TEST_CASE("http_status_for_grpc maps every gRPC code", "[decode][gke]") {
  struct Case {
    std::int64_t grpc;
    int http;
    std::string_view reason;
  };
  const Case cases[] = {
      {0, 200, ""},
      {1, 500, "InternalError"},
      {2, 500, "InternalError"},
      {3, 400, "BadRequest"},
      {4, 504, "Timeout"},
      {5, 404, "NotFound"},
      {6, 409, "AlreadyExists"},
      {7, 403, "Forbidden"},
      {8, 429, "TooManyRequests"},
      {9, 500, "InternalError"},
      {10, 409, "Conflict"},
      {11, 500, "InternalError"},
      {12, 501, "NotImplemented"},
      {13, 500, "InternalError"},
      {14, 503, "ServiceUnavailable"},
      {15, 500, "InternalError"},
      {16, 401, "Unauthorized"},
      {17, 500, "InternalError"},
      {-1, 500, "InternalError"},
      {99999, 500, "InternalError"},
  };
  for (const Case& c : cases) {
    INFO("gRPC " << c.grpc);
    CHECK(http_status_for_grpc(c.grpc).code == c.http);
    CHECK(http_status_for_grpc(c.grpc).reason == c.reason);
  }
}

TEST_CASE("GkeEntryDecoder: status code and message", "[decode][gke]") {
  auto decoded = [](std::string_view status) {
    Decoded d =
        decode_line(entry(std::string(R"("methodName":"io.k8s.core.v1.secrets.get","status":)") +
                          std::string(status)));
    REQUIRE(d.sink.events.size() == 1);
    return d.sink.events[0];
  };
  CHECK(decoded("{}").code == 200);
  CHECK(decoded(R"({"code":0})").code == 200);
  CHECK(decoded("null").code == 200);
  test::EventCopy denied = decoded(R"({"code":7,"message":"PERMISSION_DENIED"})");
  CHECK(denied.code == 403);
  CHECK(denied.reason == "Forbidden");
  CHECK(denied.message == "PERMISSION_DENIED");
  CHECK(decoded(R"({"code":"5"})").code == 404);    // a code written as a string
  CHECK(decoded(R"({"code":"abc"})").code == 500);  // not a code: other
  CHECK(decoded(R"({"code":-3})").code == 500);
  CHECK(decoded(R"({"code":10,"message":"the object has been modified"})").reason == "Conflict");
  // Failed authentication is logged at ResponseStarted, where kube-apiserver logs it.
  test::EventCopy unauthenticated = decoded(R"({"code":16})");
  CHECK(unauthenticated.code == 401);
  CHECK(unauthenticated.stage == model::Stage::kResponseStarted);
  CHECK(decoded(R"({"code":7})").stage == model::Stage::kResponseComplete);
}

TEST_CASE("verb_of_method is the methodName's last segment", "[decode][gke]") {
  CHECK(verb_of_method("io.k8s.core.v1.pods.list") == "list");
  CHECK(verb_of_method("io.k8s.core.v1.pods.status.patch") == "patch");
  CHECK(verb_of_method("io.k8s.authorization.v1.subjectaccessreviews.create") == "create");
  CHECK(verb_of_method("io.k8s.apps.v1.deployments.scale.update") == "update");
  CHECK(verb_of_method("io.k8s.readyz") == "readyz");
  CHECK(verb_of_method("watch") == "watch");
  CHECK(verb_of_method("") == "");
  CHECK(verb_of_method("io.k8s.") == "");
}

struct RefCase {
  std::string_view text;
  std::string_view group, version, ns, resource, name, subresource;
};

TEST_CASE("parse_resource_name reads every resourceName form", "[decode][gke]") {
  const RefCase cases[] = {
      {"core/v1/namespaces/ns/pods/web-0", "", "v1", "ns", "pods", "web-0", ""},
      {"apps/v1/namespaces/ns/deployments/web", "apps", "v1", "ns", "deployments", "web", ""},
      {"core/v1/nodes/n1", "", "v1", "", "nodes", "n1", ""},
      {"core/v1/namespaces/ns/pods", "", "v1", "ns", "pods", "", ""},
      {"core/v1/pods", "", "v1", "", "pods", "", ""},
      {"core/v1/namespaces/ns/pods/web-0/status", "", "v1", "ns", "pods", "web-0", "status"},
      {"apiextensions.k8s.io/v1/customresourcedefinitions/x.dapr.io", "apiextensions.k8s.io", "v1",
       "", "customresourcedefinitions", "x.dapr.io", ""},
      {"dapr.io/v1alpha1/namespaces/ns/subscriptions/s", "dapr.io", "v1alpha1", "ns",
       "subscriptions", "s", ""},
      {"core/v1/namespaces/ns", "", "v1", "", "namespaces", "ns", ""},
      {"core/v1/namespaces", "", "v1", "", "namespaces", "", ""},
      {"core/v1/namespaces/ns/finalize", "", "v1", "", "namespaces", "ns", "finalize"},
      {"core/v1/namespaces/ns/status", "", "v1", "", "namespaces", "ns", "status"},
      {"core/v1/nodes/n1/proxy", "", "v1", "", "nodes", "n1", "proxy"},
  };
  for (const RefCase& c : cases) {
    INFO(c.text);
    model::ObjectRef ref;
    REQUIRE(parse_resource_name(c.text, ref));
    CHECK(ref.api_group == c.group);
    CHECK(ref.api_version == c.version);
    CHECK(ref.namespace_name == c.ns);
    CHECK(ref.resource == c.resource);
    CHECK(ref.name == c.name);
    CHECK(ref.subresource == c.subresource);
  }
  for (std::string_view bad :
       {"", "/readyz", "/apis/apps/v1", "core/v1", "core//pods", "core/v1/pods/",
        "core/v1/namespaces/ns/pods/a/b/c", "a/b/c/d/e/f/g/h/i"}) {
    INFO(bad);
    model::ObjectRef ref;
    CHECK_FALSE(parse_resource_name(bad, ref));
    CHECK(ref.resource.empty());
  }
}

TEST_CASE("parse_method_resource stands in for a missing resourceName", "[decode][gke]") {
  const RefCase cases[] = {
      {"io.k8s.core.v1.componentstatuses.list", "", "v1", "", "componentstatuses", "", ""},
      {"io.k8s.apps.v1.deployments.scale.patch", "apps", "v1", "", "deployments", "", "scale"},
      {"io.k8s.coordination.v1.leases.update", "coordination.k8s.io", "v1", "", "leases", "", ""},
      {"io.k8s.authorization.rbac.v1.clusterroles.create", "rbac.authorization.k8s.io", "v1", "",
       "clusterroles", "", ""},
      {"io.dapr.v1alpha1.subscriptions.create", "dapr.io", "v1alpha1", "", "subscriptions", "", ""},
  };
  for (const RefCase& c : cases) {
    INFO(c.text);
    model::ObjectRef ref;
    std::string group;
    REQUIRE(parse_method_resource(c.text, ref, group));
    CHECK(ref.api_group == c.group);
    CHECK(ref.api_version == c.version);
    CHECK(ref.resource == c.resource);
    CHECK(ref.subresource == c.subresource);
  }
  for (std::string_view bad : {"io.k8s.readyz", "", "v1.pods.list", "io.k8s.core.v1.list",
                               "io.k8s.core.v1.pods.a.b.list", "io.k8s.core.vbeta.pods.list"}) {
    INFO(bad);
    model::ObjectRef ref;
    std::string group;
    CHECK_FALSE(parse_method_resource(bad, ref, group));
  }
}

TEST_CASE("GkeEntryDecoder: non-resource paths and missing fields", "[decode][gke]") {
  Decoded path = decode_line(entry(R"("methodName":"io.k8s.get","resourceName":"/readyz")"));
  REQUIRE(path.sink.events.size() == 1);
  CHECK_FALSE(path.sink.events[0].has_object_ref);
  CHECK(path.sink.events[0].request_uri == "/readyz");
  // No resourceName: the methodName names the resource.
  Decoded method = decode_line(entry(R"("methodName":"io.k8s.core.v1.componentstatuses.list")"));
  REQUIRE(method.sink.events.size() == 1);
  CHECK(method.sink.events[0].resource == "componentstatuses");
  // Nothing but the service: an event with no verb, user, time or object, never a crash.
  Decoded bare = decode_line(R"({"protoPayload":{"serviceName":"k8s.io"}})");
  REQUIRE(bare.sink.events.size() == 1);
  const test::EventCopy& e = bare.sink.events[0];
  CHECK(e.verb.empty());
  CHECK(e.username.empty());
  CHECK(e.audit_id.empty());
  CHECK(e.received == 0);
  CHECK_FALSE(e.has_object_ref);
  CHECK(e.code == 200);
  // receiveTimestamp stands in for a missing timestamp; Panther-style callerIP is read too.
  Decoded late = decode_line(entry(R"("requestMetadata":{"callerIP":"8.8.8.8"})",
                                   R"("receiveTimestamp":"2024-01-01T01:00:00Z")"));
  REQUIRE(late.sink.events.size() == 1);
  CHECK(late.sink.events[0].received == ns(1704070800));
  CHECK(late.sink.events[0].source_ip == "8.8.8.8");
}

TEST_CASE("GkeEntryDecoder: request bodies and labels", "[decode][gke]") {
  Decoded d = decode_line(entry(
      R"("methodName":"io.k8s.core.v1.pods.status.patch","request":{"@type":"k8s.io/Patch","status":{"phase":"Running"}})",
      R"("insertId":"i","labels":{"audit.k8s.io/truncated":"true"})"));
  REQUIRE(d.sink.events.size() == 1);
  CHECK(d.sink.events[0].request_object ==
        R"({"@type":"k8s.io/Patch","status":{"phase":"Running"}})");
  CHECK(d.sink.events[0].truncated_annotation);
}

TEST_CASE("GkeEntryDecoder skips entries that are not k8s audit", "[decode][gke]") {
  const SkipCopy not_audit{SkipReason::kNotAudit, Format::kGkeLogEntryLines};
  for (
      std::string_view line : {
          // container.googleapis.com admin activity in the same sink
          R"({"protoPayload":{"serviceName":"container.googleapis.com","methodName":"google.container.v1.ClusterManager.GetCluster"},"insertId":"x"})",
          R"({"insertId":"x","textPayload":"hello","logName":"projects/p/logs/stdout"})",
          R"({"logName":"projects/p/logs/x","jsonPayload":{"verb":"get"}})",
          R"({"protoPayload":{"methodName":"compute.instances.list"},"insertId":"y"})",
          R"({"protoPayload":"text","insertId":"y"})",
      }) {
    INFO(line);
    Decoded d = decode_line(line);
    CHECK(d.accepted);
    CHECK(d.sink.events.empty());
    CHECK(d.sink.skips == std::vector<SkipCopy>{not_audit});
  }
  // Not a LogEntry at all: declined, nothing reported, so another decoder can try.
  for (std::string_view line : {R"({"kind":"Event","verb":"get"})", "42", R"("text")"}) {
    Decoded d = decode_line(line);
    CHECK_FALSE(d.accepted);
    CHECK(d.sink.calls() == 0);
  }
}

TEST_CASE("GkeEntryDecoder: damaged and hostile entries never crash", "[decode][gke]") {
  Decoded cut = decode_line(std::string(kLeaseUpdate).substr(0, 200));
  CHECK(cut.accepted);
  REQUIRE(cut.sink.skips.size() == 1);
  CHECK(cut.sink.events.empty());
  // Strings are kept as written (escaping is the renderers' job), whatever they hold.
  Decoded hostile = decode_line(entry(
      R"("methodName":"io.k8s.core.v1.pods.get\u001b[31m","resourceName":"core/v1/namespaces/a\"b/pods/<x>",)"
      R"("authenticationInfo":{"principalEmail":"=cmd|' /C calc'!A0"},)"
      R"("requestMetadata":{"callerSuppliedUserAgent":"ua\n\u202eevil","callerIp":["1"]},"status":{"code":{"x":1}})"));
  REQUIRE(hostile.sink.events.size() == 1);
  const test::EventCopy& e = hostile.sink.events[0];
  CHECK(e.verb == "get\x1b[31m");
  CHECK(e.namespace_name == "a\"b");
  CHECK(e.name == "<x>");
  CHECK(e.username == "=cmd|' /C calc'!A0");
  CHECK(e.user_agent ==
        "ua\n\xE2\x80\xAE"
        "evil");
  CHECK(e.source_ip.empty());  // an array where a string belongs is ignored
  CHECK(e.code == 200);        // an object where the code belongs: no code
}

TEST_CASE("detection: GKE keys pick the GKE decoder, sorted or not", "[decode][gke]") {
  CHECK(detect_record(kLeaseUpdate) == DecoderKind::kGkeEntry);
  CHECK(detect_record(R"({"insertId":"a","labels":{"verb":"x"}})") == DecoderKind::kGkeEntry);
  CHECK(detect_record(R"({"logName":"x"})") == DecoderKind::kGkeEntry);
  InputPlan array = detect_input("[\n  {\n    \"insertId\": \"a\",\n    \"labels\": {\n", false);
  CHECK(array.framing == Framing::kJsonDocument);
  CHECK(array.decoder == DecoderKind::kGkeEntry);
  InputPlan lines = detect_input(std::string(kLeaseUpdate) + "\n", true);
  CHECK(lines.framing == Framing::kLines);
  CHECK(lines.decoder == DecoderKind::kGkeEntry);
  CHECK(detect_input("{\"verb\":\"get\"}\n", true, FormatHint::kGke).decoder ==
        DecoderKind::kGkeEntry);
}

}  // namespace
}  // namespace kubeblame::decode
