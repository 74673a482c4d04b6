// AzureRecordDecoder: Storage Account records (one per line), Event Hub batches, and the
// records that are not audit events (control-plane klog text, activity log).
#include "kubeblame/decode/azure_record_decoder.h"

#include <catch2/catch.hpp>

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
  AzureRecordDecoder decoder(parse_context);
  PaddedRecord record(line, context);
  Decoded out;
  out.accepted = decoder.decode(record.record(), out.sink);
  return out;
}

// properties.log as JSON text with a trailing newline, as AKS writes it.
const char* const kStorageRecord =
    R"({"category":"kube-audit","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",)"
    R"("properties":{"log":"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"abc-123\",\"stage\":\"ResponseComplete\",)"
    R"(\"requestURI\":\"/api/v1/namespaces/default/pods/test-pod\",\"verb\":\"get\",\"user\":{\"username\":\"system:anonymous\"},)"
    R"(\"sourceIPs\":[\"10.0.0.1\"],\"userAgent\":\"kubectl/v1.28.0\",\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"test-pod\"},)"
    R"(\"responseStatus\":{\"code\":200},\"requestReceivedTimestamp\":\"2024-06-30T19:41:14.278898Z\",\"stageTimestamp\":\"2024-06-30T19:41:14.281020Z\"}\n",)"
    R"("stream":"stdout","pod":"kube-apiserver-7d9f","containerID":"c1"},)"
    R"("resourceId":"/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/C","time":"2025-10-07T16:19:19.647880072Z"})";

TEST_CASE("AzureRecordDecoder reads a storage record whose log is JSON text", "[decode][azure]") {
  Decoded d = decode_line(kStorageRecord);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  const test::EventCopy& e = d.sink.events[0];
  CHECK(e.format == Format::kAzureStorage);
  CHECK(e.audit_id == "abc-123");
  CHECK(e.verb == "get");
  CHECK(e.username == "system:anonymous");
  CHECK(e.user_agent == "kubectl/v1.28.0");
  CHECK(e.resource == "pods");
  CHECK(e.namespace_name == "default");
  CHECK(e.name == "test-pod");
  CHECK(e.code == 200);
  CHECK(e.source_ip == "10.0.0.1");
  CHECK(e.stage == model::Stage::kResponseComplete);
  CHECK(e.received == ns(1719776474, 278898000));  // the event's own time, not the record's
  CHECK(e.stage_time == ns(1719776474, 281020000));
}

TEST_CASE("AzureRecordDecoder reads a log given as an object and falls back to the record time",
          "[decode][azure]") {
  // time: 2024-06-30T19:41:14Z = 1719776474
  Decoded d = decode_line(
      R"({"time":"2024-06-30T19:41:14.5Z","resourceId":"/S","category":"kube-audit-admin","properties":{"pod":"p","log":{"kind":"Event","verb":"update","requestObject":{"spec":{"a":1}},"responseStatus":{"code":409,"reason":"Conflict"}}}})");
  REQUIRE(d.accepted);
  REQUIRE(d.sink.events.size() == 1);
  const test::EventCopy& e = d.sink.events[0];
  CHECK(e.verb == "update");
  CHECK(e.code == 409);
  CHECK(e.reason == "Conflict");
  CHECK(e.request_object == R"({"spec":{"a":1}})");
  CHECK(e.received == ns(1719776474, 500000000));
  CHECK(e.stage == model::Stage::kAbsent);
}

TEST_CASE("AzureRecordDecoder reads an Event Hub batch", "[decode][azure]") {
  std::string batch = std::string(R"({"records":[)") + kStorageRecord + "," +
                      R"({"category":"kube-apiserver","properties":{"log":"E1128 04:20:08.123456 1 x.go:1] boom"}},)" +
                      R"({"category":"kube-audit","properties":{"log":"{\"verb\":\"list\"}"}},)" +
                      R"("not a record",)" + R"({"unrelated":true}]})";
  Decoded d = decode_line(batch);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.events.size() == 2);
  CHECK(d.sink.events[0].verb == "get");
  CHECK(d.sink.events[0].format == Format::kAzureEventHub);
  CHECK(d.sink.events[1].verb == "list");
  CHECK(d.sink.events[1].format == Format::kAzureEventHub);
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kAzureEventHub},
                                              {SkipReason::kNotAudit, Format::kAzureEventHub}});
  REQUIRE(d.sink.logs.size() == 1);
  CHECK(d.sink.logs[0].component == "kube-apiserver");
  CHECK(d.sink.logs[0].message == "boom");
  CHECK(d.sink.logs[0].format == Format::kAzureEventHub);
  CHECK(d.sink.calls() == 5);
}

// kube-audit-admin holds no get or list requests: each event read from it comes with a note.
TEST_CASE("AzureRecordDecoder notes events from the kube-audit-admin category",
          "[decode][azure][admin]") {
  std::string admin = kStorageRecord;
  admin.replace(admin.find("kube-audit"), 10, "kube-audit-admin");
  Decoded storage = decode_line(admin);
  REQUIRE(storage.sink.events.size() == 1);
  CHECK(storage.sink.events[0].format == Format::kAzureStorage);
  CHECK(storage.sink.admins == std::vector<AdminSource>{AdminSource::kKubeAuditAdmin});
  CHECK(decode_line(kStorageRecord).sink.admins.empty());

  std::string batch = std::string(R"({"records":[)") + admin + "," + kStorageRecord + "," +
                      R"({"category":"KUBE-AUDIT-ADMIN","properties":{"log":{"kind":"Event","verb":"delete"}}},)" +
                      R"({"category":"kube-audit-admin","properties":{"log":"not an event"}}]})";
  Decoded hub = decode_line(batch);
  REQUIRE(hub.sink.events.size() == 3);
  CHECK(hub.sink.events[2].format == Format::kAzureEventHub);
  CHECK(hub.sink.admins ==
        std::vector<AdminSource>{AdminSource::kKubeAuditAdmin, AdminSource::kKubeAuditAdmin});
  CHECK(hub.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kAzureEventHub}});
}

TEST_CASE("AzureRecordDecoder: an empty batch is counted once", "[decode][azure]") {
  Decoded d = decode_line(R"({"records":[]})");
  REQUIRE(d.accepted);
  CHECK(d.sink.events.empty());
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kEmptyBatch, Format::kAzureEventHub}});
}

TEST_CASE("AzureRecordDecoder: records framed from a batch are Event Hub records", "[decode][azure]") {
  InputContext records;
  records.container = Container::kRecords;
  Decoded d = decode_line(kStorageRecord, &records);
  REQUIRE(d.sink.events.size() == 1);
  CHECK(d.sink.events[0].format == Format::kAzureEventHub);
}

TEST_CASE("AzureRecordDecoder counts records that are not audit events", "[decode][azure]") {
  const char* lines[] = {
      // activity log: no properties.log at all
      R"({"time":"2025-01-01T00:00:00Z","resourceId":"/S","operationName":"MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE","category":"Administrative","properties":{"statusCode":"Created"}})",
      R"({"category":"Administrative","operationName":"Microsoft.Compute/virtualMachines/write"})",
      // JSON that is not an event, under an audit category
      R"({"category":"kube-audit","properties":{"log":"{\"level\":\"warn\",\"ts\":\"2024-01-01T00:00:00Z\"}"}})",
      R"({"category":"kube-audit","properties":{"log":""}})",
      // log text under an audit category, or under no category at all, is not a log line
      R"({"category":"kube-audit","properties":{"log":"E0710 02:46:38.993347       1 status.go:71] boom\n"}})",
      R"({"category":"KUBE-AUDIT-ADMIN","properties":{"log":"E0710 02:46:38.993347       1 status.go:71] boom"}})",
      R"({"resourceId":"/S","properties":{"log":"E0710 02:46:38.993347       1 status.go:71] boom"}})",
      R"({"category":"","properties":{"log":"I0710 02:46:38.993347       1 status.go:71] boom"}})",
  };
  for (const char* line : lines) {
    Decoded d = decode_line(line);
    INFO(line);
    CHECK(d.accepted);
    CHECK(d.sink.events.empty());
    CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kAzureStorage}});
  }
}

TEST_CASE("AzureRecordDecoder reads control-plane categories as log lines", "[decode][azure]") {
  // The public AKS#3773 records: trace continuations, the record time as the line's time.
  // 2023-07-10T02:46:10Z = 1688957170
  Decoded trace = decode_line(
      R"({ "category": "kube-apiserver", "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read", "properties": {"log":"Trace[711846624]: ---\"Write to database call finished\" len:8917,err:nil 5010ms (02:46:10.192)\n","stream":"stderr","pod":"kube-apiserver-86bbd744c-4wzqh","collectedBy":"fluent-bit"}, "resourceId": "REDACTED", "time": "2023-07-10T02:46:10.193911949Z"})");
  REQUIRE(trace.accepted);
  CHECK(trace.sink.events.empty());
  CHECK(trace.sink.skips.empty());
  REQUIRE(trace.sink.logs.size() == 1);
  const test::LogCopy& t = trace.sink.logs[0];
  CHECK(t.shape == model::LogShape::kContinuation);
  CHECK(t.level == model::LogLevel::kUnknown);
  CHECK(t.time == ns(1688957170, 193911949));
  CHECK(t.component == "kube-apiserver");
  CHECK(t.source.empty());
  CHECK(t.message ==
        R"(Trace[711846624]: ---"Write to database call finished" len:8917,err:nil 5010ms (02:46:10.192))");
  CHECK(t.text == t.message);
  CHECK(t.format == Format::kAzureStorage);

  // A klog line whose record time comes after properties; its year comes from that time.
  Decoded klog = decode_line(
      R"({"category":"kube-controller-manager","properties":{"log":"W0710 02:46:38.993347       1 garbagecollector.go:246] failed to discover\n","stream":"stderr"},"time":"2023-07-10T02:46:40Z"})");
  REQUIRE(klog.sink.logs.size() == 1);
  const test::LogCopy& k = klog.sink.logs[0];
  CHECK(k.shape == model::LogShape::kKlog);
  CHECK(k.level == model::LogLevel::kWarning);
  CHECK(k.time == ns(1688957198, 993347000));
  CHECK(k.component == "kube-controller-manager");
  CHECK(k.source == "garbagecollector.go");
  CHECK(k.message == "failed to discover");

  // JSON log text (etcd client) under a component category is a log line, not an audit event.
  Decoded etcd = decode_line(
      R"({"category":"kube-apiserver","properties":{"log":"{\"level\":\"warn\",\"ts\":\"2024-01-01T00:00:00Z\",\"msg\":\"retrying\"}"}})");
  REQUIRE(etcd.sink.logs.size() == 1);
  CHECK(etcd.sink.logs[0].shape == model::LogShape::kJson);
  CHECK(etcd.sink.logs[0].level == model::LogLevel::kWarning);
  CHECK(etcd.sink.logs[0].time == ns(1704067200));
  CHECK(etcd.sink.logs[0].message == "retrying");
  // Even one that is shaped like an audit event, and even a truncated one.
  Decoded odd = decode_line(
      R"({"category":"guard","properties":{"log":"{\"verb\":\"get\",\"user"}})");
  REQUIRE(odd.sink.logs.size() == 1);
  CHECK(odd.sink.logs[0].component == "guard");
  CHECK(odd.sink.logs[0].shape == model::LogShape::kOther);
  CHECK(odd.sink.calls() == 1);
}

TEST_CASE("AzureRecordDecoder counts a log cut mid-JSON as truncated", "[decode][azure]") {
  Decoded d = decode_line(
      R"({"category":"kube-audit","properties":{"log":"{\"kind\":\"Event\",\"verb\":\"get\",\"user\":{\"usern"},"time":"2025-01-01T00:00:00Z"})");
  REQUIRE(d.accepted);
  CHECK(d.sink.events.empty());
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kAzureStorage}});

  Decoded cut_object = decode_line(
      R"({"category":"kube-audit","properties":{"log":"{\"kind\":\"Event\",\"verb\":\"get\",\"objectRef\":{\"resource\":\"pods\""}})");
  CHECK(cut_object.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kAzureStorage}});
}

TEST_CASE("AzureRecordDecoder counts a truncated record line", "[decode][azure]") {
  std::string cut = std::string(kStorageRecord).substr(0, 120);
  Decoded d = decode_line(cut);
  REQUIRE(d.accepted);
  CHECK(d.sink.events.empty());
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kAzureStorage}});
}

TEST_CASE("AzureRecordDecoder declines objects that are not diagnostic records", "[decode][azure]") {
  for (const char* line : {R"({"kind":"Event","verb":"get"})", R"({"Verb":"get"})", "17"}) {
    Decoded d = decode_line(line);
    INFO(line);
    CHECK_FALSE(d.accepted);
    CHECK(d.sink.calls() == 0);
  }
}

}  // namespace
}  // namespace kubeblame::decode
