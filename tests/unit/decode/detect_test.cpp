// Format detection: per input from its first bytes, and per record from its first known key.
#include "kubeblame/decode/detect.h"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kubeblame::decode {
namespace {

TEST_CASE("detect_input: JSON lines", "[decode][detect]") {
  const std::string head =
      "{\"kind\":\"Event\",\"verb\":\"get\",\"stage\":\"ResponseComplete\"}\n"
      "{\"kind\":\"Event\",\"verb\":\"list\"}\n";
  for (bool complete : {true, false}) {
    InputPlan plan = detect_input(head, complete);
    CHECK(plan.framing == Framing::kLines);
    CHECK(plan.decoder == DecoderKind::kAuditEvent);
    CHECK(plan.skip_bytes == 0);
    CHECK(plan.first_line == 1);
    REQUIRE(plan.context);
    CHECK(plan.context->container == Container::kLines);
  }
  // The first line cut off by the 64 KiB sniff window is still a line.
  InputPlan cut = detect_input("{\"verb\":\"get\",\"requestObject\":{\"spec\":{\"a\":", false);
  CHECK(cut.framing == Framing::kLines);
  CHECK(cut.decoder == DecoderKind::kAuditEvent);
  // A UTF-8 BOM is skipped.
  InputPlan bom = detect_input("\xEF\xBB\xBF{\"verb\":\"get\"}\n", true);
  CHECK(bom.framing == Framing::kLines);
  CHECK(bom.skip_bytes == 3);
}

TEST_CASE("detect_input: JSON documents", "[decode][detect]") {
  struct Case {
    std::string head;
    DecoderKind decoder;
  };
  const Case cases[] = {
      // az -o json: a pretty array of row objects
      {"[\n  {\n    \"TableName\": \"PrimaryResult\",\n    \"Verb\": \"get\"\n  }\n]\n",
       DecoderKind::kLaRow},
      // jq . output of one event
      {"{\n  \"kind\": \"Event\",\n  \"verb\": \"get\"\n}\n", DecoderKind::kAuditEvent},
      // a one-line array of events
      {"[{\"verb\":\"get\"},{\"verb\":\"list\"}]\n", DecoderKind::kAuditEvent},
      // one-line batches: detected by the batch key even though they fit on one line
      {"{\"records\":[{\"category\":\"kube-audit\",\"properties\":{}}]}\n",
       DecoderKind::kAzureRecord},
      {"{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[],\"rows\":[]}]}",
       DecoderKind::kLaRow},
      {"{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[{\"verb\":\"get\"}]}",
       DecoderKind::kAuditEvent},
      // an array of something unknown defaults to audit events
      {"[1, 2, 3]", DecoderKind::kAuditEvent},
  };
  for (const Case& c : cases) {
    INFO(c.head);
    InputPlan plan = detect_input(c.head, true);
    CHECK(plan.framing == Framing::kJsonDocument);
    CHECK(plan.decoder == c.decoder);
    CHECK(plan.skip_bytes == 0);
  }
}

TEST_CASE("detect_input: portal CSV with a BOM and a header", "[decode][detect]") {
  const std::string header = "TimeGenerated [UTC],Verb,RequestUri,User,Level";
  const std::string head = "\xEF\xBB\xBF" + header + "\r\n\"2/25/2025, 9:19:25.391 AM\",get,/api,{},Metadata\r\n";
  InputPlan plan = detect_input(head, true);
  CHECK(plan.framing == Framing::kCsv);
  CHECK(plan.decoder == DecoderKind::kLaRow);
  CHECK(plan.skip_bytes == 3 + header.size() + 2);
  CHECK(plan.first_line == 2);
  REQUIRE(plan.context);
  CHECK(plan.context->container == Container::kCsvRows);
  CHECK(plan.context->columns ==
        std::vector<std::string>{"TimeGenerated [UTC]", "Verb", "RequestUri", "User", "Level"});
  CHECK(plan.context->column_ids == std::vector<Column>{Column::kTimeGenerated, Column::kVerb,
                                                        Column::kRequestUri, Column::kUser,
                                                        Column::kLevel});
}

TEST_CASE("detect_input: an unknown CSV header only with the CSV hint", "[decode][detect]") {
  const std::string head = "a,b,c\n1,2,3\n";
  InputPlan automatic = detect_input(head, true);
  CHECK(automatic.framing == Framing::kLines);
  CHECK(automatic.decoder == DecoderKind::kUnknown);
  InputPlan hinted = detect_input(head, true, FormatHint::kLogAnalyticsCsv);
  CHECK(hinted.framing == Framing::kCsv);
  CHECK(hinted.decoder == DecoderKind::kLaRow);
  CHECK(hinted.skip_bytes == 6);
  CHECK(hinted.context->columns == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("detect_input: log text, binary and empty input", "[decode][detect]") {
  InputPlan klog = detect_input(
      "E1128 04:20:08.123456       1 cacher.go:450] cacher (subscriptions.dapr.io): unexpected\n"
      "I1128 04:20:09.000001       1 trace.go:236] Trace[1]: done\n",
      true);
  CHECK(klog.framing == Framing::kLines);
  CHECK(klog.decoder == DecoderKind::kLogText);

  InputPlan cri = detect_input("2022-06-06T06:01:46.817224179Z stderr F E0606 msg\n", true);
  CHECK(cri.decoder == DecoderKind::kLogText);

  const std::string binary("\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10);
  CHECK(detect_input(binary, true).decoder == DecoderKind::kUnknown);
  std::string controls(100, '\x01');
  CHECK(detect_input(controls, true).decoder == DecoderKind::kUnknown);

  CHECK(detect_input("", true).decoder == DecoderKind::kUnknown);
  CHECK(detect_input(" \n\t\r\n", true).decoder == DecoderKind::kUnknown);
}

TEST_CASE("detect_input: log text is told from other text", "[decode][detect][logtext]") {
  // kube-apiserver starts with a few plain lines before its first klog header.
  std::string head = "Flag --insecure-port has been deprecated, will be removed\n\n"
                     "Flag --x has been deprecated\r\n"
                     "I0101 00:00:00.000001       1 server.go:148] Version: v1.28.15\r\n";
  CHECK(detect_input(head, true).decoder == DecoderKind::kLogText);
  CHECK(detect_input("Trace[123]: [1s] [1s] END\n", true).decoder == DecoderKind::kLogText);
  CHECK(detect_input("2022-06-06T06:01:46.817224179Z stdout F plain\n", true).decoder ==
        DecoderKind::kLogText);
  // Sixteen non-log lines first: not recognised.
  std::string late;
  for (int i = 0; i < 16; ++i) late += "some line\n";
  late += "I0101 00:00:00.000001       1 server.go:148] Version: v1.28.15\n";
  CHECK(detect_input(late, true).decoder == DecoderKind::kUnknown);
  CHECK(detect_input("hello world\nthis is a README\n", true).decoder == DecoderKind::kUnknown);
  CHECK(detect_input("E1128 garbage\n", true).decoder == DecoderKind::kUnknown);
  // A cut header at the end of a partial head does not count, an earlier whole one does.
  CHECK(detect_input("x\nE1128 04:20", false).decoder == DecoderKind::kUnknown);
  // JSON log lines (etcd, --logging-format=json) vs. JSON of no known format.
  InputPlan json_log = detect_input(
      "{\"level\":\"warn\",\"ts\":\"2024-10-31T10:16:37.179181Z\",\"msg\":\"retrying\"}\n", true);
  CHECK(json_log.framing == Framing::kLines);
  CHECK(json_log.decoder == DecoderKind::kLogText);
  CHECK(detect_input("{\"note\":\"x\",\"msg\":\"y\"}\n", true).decoder == DecoderKind::kAuditEvent);
  CHECK(detect_input("{\"kind\": 0}\n", true).decoder == DecoderKind::kAuditEvent);
}

TEST_CASE("detect_input: AKSControlPlane exports are Log Analytics rows", "[decode][detect][controlplane]") {
  InputPlan az = detect_input(
      "[\n  {\n    \"Category\": \"kube-apiserver\",\n    \"Level\": \"ERROR\",\n"
      "    \"Message\": \"E0225 09:19:20.123456 1 a.go:1] x\",\n", false);
  CHECK(az.framing == Framing::kJsonDocument);
  CHECK(az.decoder == DecoderKind::kLaRow);
  InputPlan rest = detect_input("{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[", false);
  CHECK(rest.framing == Framing::kJsonDocument);
  CHECK(rest.decoder == DecoderKind::kLaRow);
  InputPlan csv = detect_input(
      "\xEF\xBB\xBFTimeGenerated [UTC],Category,Level,Message,PodName\r\n"
      "\"2/25/2025, 9:19:25.391 AM\",kube-apiserver,ERROR,x,p\r\n", true);
  CHECK(csv.framing == Framing::kCsv);
  CHECK(csv.decoder == DecoderKind::kLaRow);
  CHECK(csv.context->column_ids == std::vector<Column>{Column::kTimeGenerated, Column::kCategory,
                                                       Column::kLevel, Column::kMessage,
                                                       Column::kIgnored});
}

TEST_CASE("detect_input: a hint overrides the decoder, not the framing", "[decode][detect]") {
  InputPlan plan = detect_input("E1128 04:20:08.123456 1 x.go:1] m\n", true, FormatHint::kAuditJson);
  CHECK(plan.framing == Framing::kLines);
  CHECK(plan.decoder == DecoderKind::kAuditEvent);
  plan = detect_input("{\"verb\":\"get\"}\n", true, FormatHint::kAzureRecords);
  CHECK(plan.decoder == DecoderKind::kAzureRecord);
  plan = detect_input("[\n{\"verb\":\"get\"}\n]", true, FormatHint::kLogAnalyticsJson);
  CHECK(plan.framing == Framing::kJsonDocument);
  CHECK(plan.decoder == DecoderKind::kLaRow);
  // log-text reads every line as text, even a first line that looks like a CSV header or JSON.
  plan = detect_input("\"a\",\"b\"\nE1128 04:20:08.123456 1 x.go:1] m\n", true, FormatHint::kLogText);
  CHECK(plan.framing == Framing::kLines);
  CHECK(plan.decoder == DecoderKind::kLogText);
  CHECK(plan.skip_bytes == 0);
  plan = detect_input("[\n{\"verb\":\"get\"}\n]", true, FormatHint::kLogText);
  CHECK(plan.framing == Framing::kLines);
  CHECK(plan.decoder == DecoderKind::kLogText);
}

TEST_CASE("detect_input: the log-text hint reads any text line by line", "[decode][detect][logtext]") {
  InputPlan plan = detect_input("hello world\nthis is a README\n", true, FormatHint::kLogText);
  CHECK(plan.framing == Framing::kLines);
  CHECK(plan.decoder == DecoderKind::kLogText);
  CHECK(plan.skip_bytes == 0);
  CHECK(plan.context->container == Container::kLines);
  // Not CSV even with a known header, not a JSON document even when it spans lines.
  plan = detect_input("\xEF\xBB\xBFTimeGenerated,Verb\nx,get\n", true, FormatHint::kLogText);
  CHECK(plan.framing == Framing::kLines);
  CHECK(plan.skip_bytes == 3);
  CHECK(plan.first_line == 1);
  plan = detect_input("[\n{\"verb\":\"get\"}\n]", true, FormatHint::kLogText);
  CHECK(plan.framing == Framing::kLines);
  CHECK(plan.decoder == DecoderKind::kLogText);
}

TEST_CASE("detect_record: the first known key decides", "[decode][detect]") {
  CHECK(detect_record("{\"kind\":\"Event\",\"auditID\":\"x\"}") == DecoderKind::kAuditEvent);
  CHECK(detect_record("{\"apiVersion\":\"v1\", \"requestReceivedTimestamp\" : \"t\"}") ==
        DecoderKind::kAuditEvent);
  CHECK(detect_record("{\"TimeGenerated\":\"t\",\"Verb\":\"get\"}") == DecoderKind::kLaRow);
  CHECK(detect_record("{\"Category\":\"kube-audit\",\"log_s\":\"{}\"}") == DecoderKind::kLaRow);
  CHECK(detect_record("{\"time\":\"t\",\"category\":\"kube-audit\",\"properties\":"
                      "{\"log\":\"{\\\"verb\\\":\\\"get\\\"}\"}}") == DecoderKind::kAzureRecord);
  CHECK(detect_record("{\"records\":[]}") == DecoderKind::kAzureRecord);
  // Values that look like keys, escaped nested keys and unknown keys decide nothing.
  CHECK(detect_record("{\"note\":\"verb\",\"x\":1}") == DecoderKind::kUnknown);
  CHECK(detect_record("{\"message\":\"verb: get\"}") == DecoderKind::kUnknown);
  CHECK(detect_record("{\"payload\":\"{\\\"verb\\\":\\\"get\\\"}\"}") == DecoderKind::kUnknown);
  CHECK(detect_record("E1128 04:20:08.123456 1 x.go:1] \"verb\" failed") == DecoderKind::kUnknown);
  CHECK(detect_record("") == DecoderKind::kUnknown);
}

TEST_CASE("decoder_kind_name", "[decode][detect]") {
  CHECK(decoder_kind_name(DecoderKind::kAuditEvent) == "audit-event");
  CHECK(decoder_kind_name(DecoderKind::kLaRow) == "log-analytics-row");
  CHECK(decoder_kind_name(DecoderKind::kAzureRecord) == "azure-record");
  CHECK(decoder_kind_name(DecoderKind::kLogText) == "log-text");
  CHECK(decoder_kind_name(DecoderKind::kUnknown) == "unknown");
}

TEST_CASE("detect_input: EKS exports out of CloudWatch Logs", "[decode][detect][cloudwatch]") {
  struct Case {
    std::string head;
    Framing framing;
    std::optional<Container> top_array;
  };
  const Case cases[] = {
      // filter-log-events and get-log-events, pretty (the CLI) and compact
      {"{\n    \"events\": [\n        {\n            \"logStreamName\": \"k\",", Framing::kJsonDocument, {}},
      {"{\"events\":[{\"timestamp\":1,\"message\":\"{}\",\"ingestionTime\":2}]}\n", Framing::kJsonDocument, {}},
      // Firehose: subscription documents back to back, a control message first
      {"{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logEvents\":[{\"id\":\"\"}]}"
       "{\"messageType\":\"DATA_MESSAGE\"", Framing::kJsonDocument, {}},
      // Logs Insights JSON and get-query-results
      {"[\n  {\n    \"@timestamp\": \"2025-02-25 08:00:00.309\",\n    \"@message\": \"{}\"", Framing::kJsonDocument, {}},
      {"{\n    \"results\": [\n        [\n            {\n                \"field\": \"@timestamp\",", Framing::kJsonDocument, {}},
      // a bare get-query-results row (one record) and a bare cell
      {"[\n    {\n        \"field\": \"@timestamp\",\n        \"value\": \"2023\"\n    }\n]\n", Framing::kJsonDocument, Container::kQueryRows},
      {"{\n    \"field\": \"@message\",\n    \"value\": \"{}\"\n}\n", Framing::kJsonDocument, {}},
      // an export-task object: RFC 3339 time, one space, the message
      {"2025-02-25T08:00:00.309Z {\"kind\":\"Event\",\"verb\":\"get\"}\n", Framing::kLines, {}},
  };
  for (const Case& c : cases) {
    INFO(c.head);
    InputPlan plan = detect_input(c.head, false);
    CHECK(plan.decoder == DecoderKind::kCloudWatch);
    CHECK(plan.framing == c.framing);
    CHECK(plan.top_array_container == c.top_array);
  }
  // Logs Insights CSV: the header names the columns the rows are read with.
  InputPlan csv = detect_input("@timestamp,@message,@logStream\n2025-02-25 08:00:00.309,\"{}\",k\n", true);
  CHECK(csv.decoder == DecoderKind::kCloudWatch);
  CHECK(csv.framing == Framing::kCsv);
  CHECK(csv.skip_bytes == 31);
  REQUIRE(csv.context);
  CHECK(csv.context->container == Container::kCsvRows);
  CHECK(csv.context->columns == std::vector<std::string>{"@timestamp", "@message", "@logStream"});
  // A CRI-prefixed log line also starts with a time, but is log text, not an export task.
  CHECK(detect_input("2022-06-06T06:01:46.817224179Z stderr F E0606 06:01:46.817 1 x.go:1] e\n", true)
            .decoder == DecoderKind::kLogText);
  // Fields named like cells but not Insights fields are no query result.
  CHECK(detect_input("[{\"field\":\"spec.replicas\",\"value\":3}]", true).decoder ==
        DecoderKind::kAuditEvent);
}

}  // namespace
}  // namespace kubeblame::decode
