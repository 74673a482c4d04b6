// CloudWatchDecoder: one CloudWatch log event per record, in every EKS export shape (by the
// record's container), with the audit Event in its message; control messages, messages cut by
// CloudWatch and messages that are not audit events are counted skips.
#include "kubeblame/decode/cloudwatch_decoder.h"

#include <catch2/catch.hpp>

#include <string>

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

Decoded decode_record(std::string_view text, Container container,
                      std::vector<std::string> columns = {}) {
  ParseContext parse_context;
  CloudWatchDecoder decoder(parse_context);
  InputContext context;
  context.container = container;
  context.columns = std::move(columns);
  PaddedRecord record(text, &context);
  Decoded out;
  out.accepted = decoder.decode(record.record(), out.sink);
  return out;
}

// The audit event as kube-apiserver writes it, and as JSON text inside a JSON string.
const std::string kEvent =
    R"({"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a-1",)"
    R"("stage":"ResponseComplete","requestURI":"/api/v1/namespaces/x/pods?limit=500",)"
    R"("verb":"list","user":{"username":"arn:aws:iam::1:role/ops"},"sourceIPs":["10.0.0.9"],)"
    R"("userAgent":"kubectl/v1.31.0 (linux/amd64) kubernetes/abc","objectRef":{"resource":"pods",)"
    R"("namespace":"x","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},)"
    R"("requestReceivedTimestamp":"2025-02-25T08:00:00.300000Z",)"
    R"("stageTimestamp":"2025-02-25T08:00:00.309000Z"})";

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void check_event(const Decoded& d, Format format) {
  REQUIRE(d.accepted);
  REQUIRE(d.sink.skips.empty());
  REQUIRE(d.sink.events.size() == 1);
  const test::EventCopy& e = d.sink.events[0];
  CHECK(e.format == format);
  CHECK(e.audit_id == "a-1");
  CHECK(e.verb == "list");
  CHECK(e.username == "arn:aws:iam::1:role/ops");
  CHECK(e.resource == "pods");
  CHECK(e.code == 200);
  CHECK(e.received == ns(1740470400, 300000000));  // the event's own time, not CloudWatch's
}

TEST_CASE("CloudWatchDecoder: filter-log-events and get-log-events events",
          "[decode][cloudwatch]") {
  check_event(decode_record(R"({"logStreamName":"kube-apiserver-audit-5e1c","timestamp":1740470400309,)"
                            R"("message":)" + json_string(kEvent) +
                                R"(,"ingestionTime":1740470401120,"eventId":"3842"})",
                            Container::kCwlEvents),
              Format::kEksCloudWatchJson);
  check_event(decode_record(R"({"timestamp":1740470400309,"message":)" + json_string(kEvent) +
                                R"(,"ingestionTime":1740470401120})",
                            Container::kCwlEvents),
              Format::kEksCloudWatchJson);
}

TEST_CASE("CloudWatchDecoder: Firehose logEvents, and a control message is its own skip",
          "[decode][cloudwatch]") {
  check_event(decode_record(R"({"id":"3842","timestamp":1740470400309,"message":)" +
                                json_string(kEvent) + "}",
                            Container::kCwlLogEvents),
              Format::kEksFirehose);
  Decoded control = decode_record(
      R"({"id":"","timestamp":1763029869851,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."})",
      Container::kCwlLogEvents);
  REQUIRE(control.accepted);
  CHECK(control.sink.events.empty());
  CHECK(control.sink.skips == std::vector<SkipCopy>{{SkipReason::kControlMessage, Format::kEksFirehose}});
}

TEST_CASE("CloudWatchDecoder: a whole subscription document on one line is a batch",
          "[decode][cloudwatch]") {
  std::string doc =
      R"({"messageType":"DATA_MESSAGE","owner":"4182","logGroup":"/aws/eks/c/cluster",)"
      R"("logStream":"kube-apiserver-audit-1","subscriptionFilters":["f"],"logEvents":[)"
      R"({"id":"1","timestamp":1740470400309,"message":)" + json_string(kEvent) + R"(},)"
      R"({"id":"2","timestamp":1740470400309,"message":"{\"kind\":\"Event\",\"verb\":[Truncated...]"},)"
      R"(7]})";
  Decoded d = decode_record(doc, Container::kLines);
  REQUIRE(d.accepted);
  REQUIRE(d.sink.events.size() == 1);
  CHECK(d.sink.events[0].format == Format::kEksFirehose);
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kEksFirehose},
                                              {SkipReason::kNotAudit, Format::kEksFirehose}});
}

TEST_CASE("CloudWatchDecoder: messages cut by CloudWatch are truncated, never half-decoded",
          "[decode][cloudwatch]") {
  std::string cut = kEvent.substr(0, 120) + "[Truncated...]";
  Decoded d = decode_record(R"({"timestamp":1740470400309,"message":)" + json_string(cut) + "}",
                            Container::kCwlEvents);
  REQUIRE(d.accepted);
  CHECK(d.sink.events.empty());
  CHECK(d.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kEksCloudWatchJson}});
  // Even when the part kept happens to be whole JSON.
  Decoded whole = decode_record(R"({"message":)" + json_string(kEvent + "[Truncated...]") + "}",
                                Container::kCwlEvents);
  CHECK(whole.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kEksCloudWatchJson}});
}

TEST_CASE("CloudWatchDecoder: messages that are not audit events", "[decode][cloudwatch]") {
  Decoded text = decode_record(R"({"timestamp":1,"message":"I0225 08:00:00.1 1 x.go:1] hi"})",
                               Container::kCwlEvents);
  CHECK(text.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kEksCloudWatchJson}});
  Decoded core = decode_record(R"({"message":"{\"kind\":\"Event\",\"apiVersion\":\"v1\"}"})",
                               Container::kCwlEvents);
  CHECK(core.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kEksCloudWatchJson}});
  Decoded broken = decode_record(R"({"message":"{\"verb\":\"get\",,}"})", Container::kCwlEvents);
  CHECK(broken.sink.skips == std::vector<SkipCopy>{{SkipReason::kMalformedJson, Format::kEksCloudWatchJson}});
  // An event without times of its own takes CloudWatch's `timestamp` (ms), unless it is out of
  // range.
  Decoded timed = decode_record(R"({"timestamp":1740470400309,"message":"{\"verb\":\"get\"}"})",
                                Container::kCwlEvents);
  REQUIRE(timed.sink.events.size() == 1);
  CHECK(timed.sink.events[0].received == ns(1740470400, 309000000));
  Decoded far = decode_record(R"({"timestamp":9999999999999,"message":"{\"verb\":\"get\"}"})",
                              Container::kCwlEvents);
  REQUIRE(far.sink.events.size() == 1);
  CHECK(far.sink.events[0].received == 0);
  // No message at all: not this decoder's record, nothing reported.
  Decoded other = decode_record(R"({"verb":"get"})", Container::kCwlEvents);
  CHECK_FALSE(other.accepted);
  CHECK(other.sink.skips.empty());
}

TEST_CASE("CloudWatchDecoder: export-task lines", "[decode][cloudwatch]") {
  check_event(decode_record("2025-02-25T08:00:00.309Z " + kEvent, Container::kLines),
              Format::kEksExportTask);
  Decoded cut = decode_record("2025-02-25T08:00:00.309Z " + kEvent.substr(0, 50) + "[Truncated...]",
                              Container::kLines);
  CHECK(cut.sink.skips == std::vector<SkipCopy>{{SkipReason::kTruncated, Format::kEksExportTask}});
  Decoded text = decode_record("2025-02-25T08:00:00.309Z some log text", Container::kLines);
  CHECK(text.sink.skips == std::vector<SkipCopy>{{SkipReason::kNotAudit, Format::kEksExportTask}});
  Decoded stray = decode_record("not an export line", Container::kLines);
  CHECK_FALSE(stray.accepted);
  // An event without its own times takes the line's.
  Decoded old = decode_record(R"(2025-02-25T08:00:00.309Z {"kind":"Event","verb":"get"})",
                              Container::kLines);
  REQUIRE(old.sink.events.size() == 1);
  CHECK(old.sink.events[0].received == ns(1740470400, 309000000));
}

TEST_CASE("split_export_line", "[decode][cloudwatch]") {
  model::TimeNs time = 0;
  std::string_view message;
  CHECK(split_export_line("2025-02-25T08:00:00.309Z {\"a\":1}", time, message));
  CHECK(time == ns(1740470400, 309000000));
  CHECK(message == "{\"a\":1}");
  CHECK_FALSE(split_export_line("2025-02-25 08:00:00.309 {}", time, message));  // no T
  CHECK_FALSE(split_export_line("E0225 08:00:00.309000 1 x.go:1] {}", time, message));
  CHECK_FALSE(split_export_line("{\"a\":1}", time, message));
}

TEST_CASE("CloudWatchDecoder: Logs Insights CSV rows", "[decode][cloudwatch]") {
  std::string csv_message = "\"";
  for (char c : kEvent) csv_message += c == '"' ? std::string("\"\"") : std::string(1, c);
  csv_message += "\"";
  const std::vector<std::string> columns = {"@timestamp", "@message", "@logStream"};
  check_event(decode_record("2025-02-25 08:00:00.309," + csv_message + ",kube-apiserver-audit-1",
                            Container::kCsvRows, columns),
              Format::kEksInsightsCsv);
  Decoded short_row = decode_record("2025-02-25 08:00:00.309", Container::kCsvRows, columns);
  CHECK(short_row.sink.skips == std::vector<SkipCopy>{{SkipReason::kMalformedJson, Format::kEksInsightsCsv}});
  Decoded open_quote = decode_record("2025-02-25 08:00:00.309,\"{", Container::kCsvRows, columns);
  CHECK(open_quote.sink.skips == std::vector<SkipCopy>{{SkipReason::kMalformedJson, Format::kEksInsightsCsv}});
}

TEST_CASE("CloudWatchDecoder: Logs Insights JSON and get-query-results rows",
          "[decode][cloudwatch]") {
  check_event(decode_record(R"({"@timestamp":"2025-02-25 08:00:00.309","@message":)" +
                                json_string(kEvent) + "}",
                            Container::kJsonArray),
              Format::kEksInsightsJson);
  std::string row = R"([{"field":"@timestamp","value":"2025-02-25 08:00:00.309"},)"
                    R"({"field":"@message","value":)" + json_string(kEvent) + R"(},)"
                    R"({"field":"@ptr","value":"CmAKJw"}])";
  check_event(decode_record(row, Container::kQueryRows), Format::kEksQueryResults);
  // A single cell, pretty-printed on its own (the line-oriented container).
  check_event(decode_record(R"({"field":"@message","value":)" + json_string(kEvent) + "}",
                            Container::kLines),
              Format::kEksQueryResults);
  // A row without @message (a query of other fields) is not this decoder's record.
  Decoded fields = decode_record(R"([{"field":"verb","value":"get"}])", Container::kQueryRows);
  CHECK_FALSE(fields.accepted);
  CHECK(fields.sink.skips.empty());
}

}  // namespace
}  // namespace kubeblame::decode
