// Export-limit signs the decoders report: the truncating backend's audit.k8s.io/truncated
// annotation (raw events and AKSAudit's Annotations column), AzureDiagnostics log_s cut at 32,766
// bytes and properties.log cut at 16 KiB (an ExportCut note next to the record's skip).
#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/audit_fields.h"
#include "kubeblame/decode/azure_record_decoder.h"
#include "kubeblame/decode/la_row_decoder.h"
#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using test::PaddedRecord;
using test::RecordingSink;
using test::SkipCopy;

template <typename DecoderType>
RecordingSink decode_with(std::string_view line) {
  ParseContext parse_context;
  DecoderType decoder(parse_context);
  PaddedRecord record(line);
  RecordingSink sink;
  REQUIRE(decoder.decode(record.record(), sink));
  return sink;
}

std::string event_with_annotations(std::string_view annotations) {
  return R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a",)"
         R"("stage":"ResponseComplete","requestURI":"/api/v1/nodes/n1/status","verb":"patch",)"
         R"("responseStatus":{"code":200},"requestReceivedTimestamp":"2025-02-25T08:00:00Z",)"
         R"("stageTimestamp":"2025-02-25T08:00:00.100Z","annotations":)" +
         std::string(annotations) + "}";
}

TEST_CASE("audit.k8s.io/truncated is read from a raw event's annotations", "[decode][export]") {
  auto truncated = [](std::string_view annotations) {
    RecordingSink sink = decode_with<AuditEventDecoder>(event_with_annotations(annotations));
    REQUIRE(sink.events.size() == 1);
    return sink.events[0].truncated_annotation;
  };
  CHECK(truncated(R"({"authorization.k8s.io/decision":"allow","audit.k8s.io/truncated":"true"})"));
  CHECK(truncated(R"({ "audit.k8s.io/truncated" : "true" })"));
  CHECK_FALSE(truncated(R"({"authorization.k8s.io/decision":"allow"})"));
  CHECK_FALSE(truncated(R"({"audit.k8s.io/truncated":"false"})"));
  CHECK_FALSE(truncated("{}"));
  // The key quoted inside another annotation's value is not the annotation.
  CHECK_FALSE(truncated(R"({"note":"\"audit.k8s.io/truncated\":\"true\""})"));
  CHECK_FALSE(truncated(R"("audit.k8s.io/truncated")"));  // not an object
}

TEST_CASE("the annotation is only looked for when the level could carry bodies", "[decode][export]") {
  auto truncated = [](std::string_view level_member) {
    std::string event = R"({"kind":"Event",)" + std::string(level_member) +
                        R"("verb":"update","requestURI":"/api/v1/nodes/n1",)"
                        R"("annotations":{"audit.k8s.io/truncated":"true"}})";
    RecordingSink sink = decode_with<AuditEventDecoder>(event);
    REQUIRE(sink.events.size() == 1);
    return sink.events[0].truncated_annotation;
  };
  CHECK(truncated(R"("level":"Request",)"));
  CHECK(truncated(R"("level":"RequestResponse",)"));
  CHECK(truncated(""));  // no level: looked for
  CHECK(truncated(R"("level":7,)"));  // not a string: looked for
  // The truncating backend only acts at Request and above: Metadata events had nothing to drop.
  CHECK_FALSE(truncated(R"("level":"Metadata",)"));
  CHECK_FALSE(truncated(R"("level":"None",)"));
}

TEST_CASE("has_truncated_annotation reads the key's value only", "[decode][export]") {
  CHECK(has_truncated_annotation(R"({"audit.k8s.io/truncated":"true"})"));
  CHECK_FALSE(has_truncated_annotation(R"({"audit.k8s.io/truncated":"true)"));
  CHECK_FALSE(has_truncated_annotation(R"({"audit.k8s.io/truncated":)"));
  CHECK_FALSE(has_truncated_annotation(R"({"x-audit.k8s.io/truncated-not":"true"})"));
  CHECK_FALSE(has_truncated_annotation(""));
  CHECK_FALSE(has_truncated_annotation(std::string_view{}));  // null data: no memmem
}

TEST_CASE("AKSAudit rows carry the truncated annotation from their Annotations column",
          "[decode][export]") {
  RecordingSink sink = decode_with<LaRowDecoder>(
      R"({"TableName":"PrimaryResult","AuditId":"a","Verb":"patch","Stage":"ResponseComplete",)"
      R"("RequestObject":"skipped-too-big-size-object",)"
      R"("Annotations":"{\"audit.k8s.io/truncated\":\"true\"}","TimeGenerated":"2025-02-25T08:00:00Z"})");
  REQUIRE(sink.events.size() == 1);
  CHECK(sink.events[0].truncated_annotation);
  CHECK(sink.events[0].request_object_too_big);
  RecordingSink plain = decode_with<LaRowDecoder>(
      R"({"AuditId":"a","Verb":"get","Annotations":"{\"authorization.k8s.io/decision\":\"allow\"}"})");
  REQUIRE(plain.events.size() == 1);
  CHECK_FALSE(plain.events[0].truncated_annotation);
}

// An audit event's JSON cut to exactly `size` bytes (no escapes needed: plain ASCII).
std::string cut_event(std::size_t size) {
  std::string event = R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"update",)"
                      R"("requestObject":{"data":{"blob":")";
  event.append(size - event.size(), 'x');
  return event;
}

std::string diagnostics_row(std::size_t log_size) {
  std::string log = cut_event(log_size);
  std::string escaped;
  for (char c : log) {
    if (c == '"') escaped += '\\';
    escaped += c;
  }
  return R"({"Category":"kube-audit","log_s":")" + escaped + R"(","TimeGenerated":"2025-02-25T08:00:00Z"})";
}

TEST_CASE("AzureDiagnostics log_s of exactly 32,766 bytes is reported as cut", "[decode][export]") {
  RecordingSink at_limit = decode_with<LaRowDecoder>(diagnostics_row(32766));
  CHECK(at_limit.cuts == std::vector<ExportCut>{ExportCut::kLogS});
  REQUIRE(at_limit.skips.size() == 1);
  CHECK(at_limit.skips[0].format == Format::kDiagnosticsAzJson);
  CHECK(at_limit.events.empty());

  RecordingSink shorter = decode_with<LaRowDecoder>(diagnostics_row(32765));
  CHECK(shorter.cuts.empty());
  CHECK(shorter.skips.size() == 1);
}

std::string storage_record(const std::string& log) {
  std::string escaped;
  for (char c : log) {
    if (c == '"') escaped += "\\\"";
    else if (c == '\n') escaped += "\\n";
    else escaped += c;
  }
  return R"({"category":"kube-audit","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",)"
         R"("properties":{"log":")" + escaped + R"(","stream":"stdout","pod":"kube-apiserver-1"},)"
         R"("resourceId":"/SUBSCRIPTIONS/X","time":"2025-10-07T16:19:19.647880072Z"})";
}

TEST_CASE("properties.log of exactly 16 KiB is reported as cut", "[decode][export]") {
  RecordingSink at_limit = decode_with<AzureRecordDecoder>(storage_record(cut_event(16384)));
  CHECK(at_limit.cuts == std::vector<ExportCut>{ExportCut::kPropertiesLog});
  REQUIRE(at_limit.skips.size() == 1);
  CHECK(at_limit.skips[0].format == Format::kAzureStorage);

  RecordingSink with_newline = decode_with<AzureRecordDecoder>(storage_record(cut_event(16384) + "\n"));
  CHECK(with_newline.cuts == std::vector<ExportCut>{ExportCut::kPropertiesLog});

  RecordingSink shorter = decode_with<AzureRecordDecoder>(storage_record(cut_event(16383)));
  CHECK(shorter.cuts.empty());
  CHECK(shorter.skips.size() == 1);
}

TEST_CASE("a whole event of exactly 16 KiB is decoded, not reported as cut", "[decode][export]") {
  std::string event = R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"get","requestURI":"/)";
  event.append(16384 - event.size() - 2, 'a');
  event += "\"}";
  REQUIRE(event.size() == 16384);
  RecordingSink sink = decode_with<AzureRecordDecoder>(storage_record(event));
  CHECK(sink.cuts.empty());
  CHECK(sink.events.size() == 1);
}

}  // namespace
}  // namespace kubeblame::decode
