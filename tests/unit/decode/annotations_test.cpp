// The latency breakdown (apiserver.latency.k8s.io/*) and admission webhooks
// (*.webhook.admission.k8s.io/round_*) read from audit annotations: raw events' annotations
// objects, and AKSAudit's Annotations column as JSON text or as an object.
#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/audit_fields.h"
#include "kubeblame/decode/la_row_decoder.h"
#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using model::LatencyPart;
using test::EventCopy;
using test::PaddedRecord;
using test::RecordingSink;
using Webhook = EventCopy::Webhook;

template <typename DecoderType>
EventCopy decode_one(std::string_view line) {
  ParseContext parse_context;
  DecoderType decoder(parse_context);
  PaddedRecord record(line);
  RecordingSink sink;
  REQUIRE(decoder.decode(record.record(), sink));
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.events.size() == 1);
  return sink.events[0];
}

EventCopy raw_event(std::string_view annotations, std::string_view level = "Metadata") {
  std::string line = R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","level":")" +
                     std::string(level) +
                     R"(","auditID":"a","stage":"ResponseComplete","verb":"create",)"
                     R"("requestURI":"/api/v1/namespaces/n/pods","responseStatus":{"code":201},)"
                     R"("annotations":)" +
                     std::string(annotations) + "}";
  return decode_one<AuditEventDecoder>(line);
}

// An AKSAudit row (az -o json) whose Annotations column is `annotations` as written.
EventCopy la_row(std::string_view annotations) {
  std::string line =
      R"({"TimeGenerated":"2025-02-25T09:20:00Z","AuditId":"x1","Level":"Metadata","Verb":"create",)"
      R"("RequestUri":"/api/v1/namespaces/n/pods","Stage":"ResponseComplete",)"
      R"("RequestReceivedTime":"2025-02-25T09:19:25Z","StageReceivedTime":"2025-02-25T09:19:26Z",)"
      R"("ResponseStatus":"{\"code\":201}","Annotations":)" +
      std::string(annotations) + "}";
  return decode_one<LaRowDecoder>(line);
}

constexpr const char* kSlowRequest =
    R"({"apiserver.latency.k8s.io/apf-queue-wait":"1.2s",)"
    R"("apiserver.latency.k8s.io/authentication":"28.677\u00b5s",)"
    R"("apiserver.latency.k8s.io/authorization":"500us",)"
    R"("apiserver.latency.k8s.io/decode-response-object":"0s",)"
    R"("apiserver.latency.k8s.io/etcd":"1.505163ms",)"
    R"("apiserver.latency.k8s.io/mutating-webhook":"1m2.5s",)"
    R"("apiserver.latency.k8s.io/response-write":"7ns",)"
    R"("apiserver.latency.k8s.io/serialize-response-object":"2ms",)"
    R"("apiserver.latency.k8s.io/total":"1m4.73s",)"
    R"("apiserver.latency.k8s.io/transform-response-object":"3µs",)"
    R"("apiserver.latency.k8s.io/validating-webhook":"2.1s",)"
    R"("authorization.k8s.io/decision":"allow"})";

void check_slow_request(const model::LatencyBreakdown& b) {
  CHECK(b.traced);
  CHECK(b.get(LatencyPart::kApfQueueWait) == 1200000000);
  CHECK(b.get(LatencyPart::kAuthentication) == 28677);
  CHECK(b.get(LatencyPart::kAuthorization) == 500000);
  CHECK(b.get(LatencyPart::kDecodeResponseObject) == 0);
  CHECK(b.get(LatencyPart::kEtcd) == 1505163);
  CHECK(b.get(LatencyPart::kMutatingWebhook) == 62500000000);
  CHECK(b.get(LatencyPart::kResponseWrite) == 7);
  CHECK(b.get(LatencyPart::kSerializeResponseObject) == 2000000);
  CHECK(b.get(LatencyPart::kTotal) == 64730000000);
  CHECK(b.get(LatencyPart::kTransformResponseObject) == 3000);
  CHECK(b.get(LatencyPart::kValidatingWebhook) == 2100000000);
}

TEST_CASE("a raw event's latency annotations are read at every level", "[decode][annotations]") {
  check_slow_request(raw_event(kSlowRequest).latency);
  check_slow_request(raw_event(kSlowRequest, "RequestResponse").latency);
  EventCopy plain = raw_event(R"({"authorization.k8s.io/decision":"allow"})");
  CHECK_FALSE(plain.latency.traced);
  CHECK(plain.latency.get(LatencyPart::kEtcd) == -1);
}

TEST_CASE("unreadable or negative latency annotations are left out", "[decode][annotations]") {
  EventCopy e = raw_event(
      R"({"apiserver.latency.k8s.io/total":"-41.943µs","apiserver.latency.k8s.io/etcd":"soon",)"
      R"("apiserver.latency.k8s.io/apf-queue-wait":5,"apiserver.latency.k8s.io/new-part":"1s",)"
      R"("apiserver.latency.k8s.io/mutating-webhook":{"x":"1s"}})");
  CHECK_FALSE(e.latency.traced);
  for (std::int64_t ns : e.latency.ns) CHECK(ns == -1);
  EventCopy only_total = raw_event(R"({"apiserver.latency.k8s.io/total":"0s"})");
  CHECK(only_total.latency.traced);
  CHECK(only_total.latency.get(LatencyPart::kTotal) == 0);
}

constexpr const char* kWebhooks =
    R"({"failed-open.validating.webhook.admission.k8s.io/round_0_index_1":"validate.kyverno.svc-fail",)"
    R"("mutation.webhook.admission.k8s.io/round_0_index_0":"{\"configuration\":\"istio-sidecar-injector\",\"webhook\":\"namespace.sidecar-injector.istio.io\",\"mutated\":true}",)"
    R"("mutation.webhook.admission.k8s.io/round_0_index_1":"{\"configuration\":\"gatekeeper-mutating\",\"webhook\":\"mutation.gatekeeper.sh\",\"mutated\":false}",)"
    R"("patch.webhook.admission.k8s.io/round_0_index_0":"{\"configuration\":\"istio-sidecar-injector\",\"webhook\":\"namespace.sidecar-injector.istio.io\",\"patch\":[{\"op\":\"add\",\"path\":\"/spec/containers/-\"}],\"patchType\":\"JSONPatch\"}",)"
    R"("patch.webhook.admission.k8s.io/round_1_index_0":"{\"configuration\":\"linkerd-proxy-injector\",\"webhook\":\"linkerd-proxy-injector.linkerd.io\",\"patch\":[],\"patchType\":\"JSONPatch\"}"})";

const std::vector<Webhook> kExpectedWebhooks = {
    {"", "validate.kyverno.svc-fail", false, true, true},
    {"istio-sidecar-injector", "namespace.sidecar-injector.istio.io", true, false},
    {"gatekeeper-mutating", "mutation.gatekeeper.sh", false, false},
    {"linkerd-proxy-injector", "linkerd-proxy-injector.linkerd.io", true, false},
};

TEST_CASE("a raw event's webhook annotations name each webhook once", "[decode][annotations]") {
  EventCopy e = raw_event(kWebhooks);
  CHECK(e.webhooks == kExpectedWebhooks);
  CHECK(e.webhooks_dropped == 0);
  CHECK_FALSE(e.latency.traced);
}

TEST_CASE("a failed-open annotation joins the mutation annotation of its webhook",
          "[decode][annotations]") {
  EventCopy e = raw_event(
      R"({"failed-open.mutation.webhook.admission.k8s.io/round_0_index_0":"m.example.com",)"
      R"("mutation.webhook.admission.k8s.io/round_0_index_0":"{\"configuration\":\"cfg\",\"webhook\":\"m.example.com\",\"mutated\":false}"})");
  CHECK(e.webhooks == std::vector<Webhook>{{"cfg", "m.example.com", false, true}});
}

TEST_CASE("webhook annotations that name nothing are ignored, past eight are counted",
          "[decode][annotations]") {
  EventCopy damaged = raw_event(
      R"({"mutation.webhook.admission.k8s.io/round_0_index_0":"not json",)"
      R"("mutation.webhook.admission.k8s.io/round_0_index_1":"{\"configuration\":\"c\"}",)"
      R"("mutation.webhook.admission.k8s.io/round_0_index_2":"{\"webhook\":",)"
      R"("failed-open.mutation.webhook.admission.k8s.io/round_0_index_3":"",)"
      R"("mutation.webhook.admission.k8s.io/round_0_index_4":7})");
  CHECK(damaged.webhooks.empty());
  std::string many = "{";
  for (int i = 0; i < 10; ++i) {
    if (i > 0) many += ',';
    many += R"("mutation.webhook.admission.k8s.io/round_0_index_)" + std::to_string(i) +
            R"(":"{\"configuration\":\"c\",\"webhook\":\"w)" + std::to_string(i) + R"(\"}")";
  }
  many += '}';
  EventCopy e = raw_event(many);
  REQUIRE(e.webhooks.size() == 8);
  CHECK(e.webhooks[7].name == "w7");
  CHECK(e.webhooks_dropped == 2);
}

// Kusto writes a dynamic column as JSON text in a string (az -o json) or as an object (REST).
TEST_CASE("AKSAudit's Annotations column is read as JSON text or as an object",
          "[decode][annotations][la]") {
  std::string as_object = kSlowRequest;
  as_object.insert(
      as_object.size() - 1,
      std::string(",") + std::string(kWebhooks).substr(1, std::string(kWebhooks).size() - 2));
  EventCopy from_object = la_row(as_object);
  check_slow_request(from_object.latency);
  CHECK(from_object.webhooks == kExpectedWebhooks);

  std::string as_text = "\"";
  for (char c : as_object) {
    if (c == '"' || c == '\\') as_text += '\\';
    as_text += c;
  }
  as_text += '"';
  EventCopy from_text = la_row(as_text);
  check_slow_request(from_text.latency);
  CHECK(from_text.webhooks == kExpectedWebhooks);
}

TEST_CASE("a damaged Annotations column costs the breakdown, not the row",
          "[decode][annotations][la]") {
  EventCopy e = la_row(R"("{\"apiserver.latency.k8s.io/etcd\":\"1s\",")");
  CHECK(e.audit_id == "x1");
  CHECK_FALSE(e.latency.traced);
  EventCopy plain = la_row(R"("{\"authorization.k8s.io/decision\":\"allow\"}")");
  CHECK_FALSE(plain.latency.traced);
  CHECK(plain.webhooks.empty());
}

TEST_CASE("may_have_anatomy is a cheap test of the column's text", "[decode][annotations]") {
  CHECK(may_have_anatomy(R"({"apiserver.latency.k8s.io/etcd":"1s"})"));
  CHECK(may_have_anatomy(R"({"patch.webhook.admission.k8s.io/round_0_index_0":"{}"})"));
  CHECK_FALSE(may_have_anatomy(R"({"authorization.k8s.io/decision":"allow"})"));
  CHECK_FALSE(may_have_anatomy(""));
}

}  // namespace
}  // namespace kubeblame::decode
