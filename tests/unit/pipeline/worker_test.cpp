// RecordRouter: splitting a chunk into records, routing each to its input's decoder (or, for a
// record of another format, to the decoder its own keys name), and where skips are reported.
#include "kubeblame/pipeline/worker.h"

#include <catch2/catch.hpp>

#include <cstring>

namespace kubeblame::pipeline {
namespace {

using decode::Format;
using decode::SkipReason;

WorkItem item_of(std::string_view text, decode::DecoderKind decoder, std::uint64_t first_line = 1) {
  WorkItem item;
  item.chunk.slack = simdjson::SIMDJSON_PADDING;
  item.chunk.reserve(text.size() + 1, 0);
  std::memcpy(item.chunk.data.get(), text.data(), text.size());
  std::memset(item.chunk.data.get() + text.size(), ' ', item.chunk.slack);
  item.chunk.size = text.size();
  item.chunk.first_line = first_line;
  item.chunk.input_index = 2;
  item.context = std::make_shared<decode::InputContext>();
  item.decoder = decoder;
  return item;
}

analyze::AnalysisPlan verb_plan() {
  analyze::AnalysisPlan plan;
  plan.groupings = {{analyze::Dimension::kVerb}};
  return plan;
}

std::size_t skipped(const analyze::Shard& shard, SkipReason reason) {
  return shard.stats().skipped[static_cast<std::size_t>(reason)];
}
std::size_t format_count(const analyze::Shard& shard, Format format) {
  return shard.stats().formats[static_cast<std::size_t>(format)];
}

TEST_CASE("RecordRouter decodes each line and falls back by the record's own keys", "[pipeline]") {
  WorkItem item = item_of(
      "{\"verb\":\"get\",\"stage\":\"ResponseComplete\"}\n"
      "\n"
      "{\"a\":1,,}\n"
      "{\"category\":\"kube-audit\",\"properties\":{\"log\":\"{\\\"verb\\\":\\\"list\\\"}\"}}\r\n"
      "   \t\r\n"
      "{\"note\":\"nothing known\"}\n"
      "{\"Verb\":\"patch\",\"AuditId\":\"r1\"}\n"
      "{\"verb\":\"watch\"}",
      decode::DecoderKind::kAuditEvent, 10);
  analyze::Shard shard(verb_plan());
  RecordRouter router;
  router.process(item, shard);
  const analyze::InputStats& s = shard.stats();
  CHECK(s.events == 4);  // get, list (Azure record), patch (Log Analytics row), watch
  CHECK(s.lines == 8);   // every line, blank or not: lines = decoded + filtered + skipped
  CHECK(skipped(shard, SkipReason::kBlank) == 2);
  CHECK(s.lines == s.decoded + s.filtered + s.skipped_total());
  CHECK(s.strict_skipped() == s.skipped_total() - 2);
  CHECK(skipped(shard, SkipReason::kMalformedJson) == 1);
  CHECK(skipped(shard, SkipReason::kNotAudit) == 1);
  CHECK(format_count(shard, Format::kAuditJsonLines) == 3);
  CHECK(format_count(shard, Format::kAzureStorage) == 1);
  CHECK(format_count(shard, Format::kAksAuditAzJson) == 1);
  CHECK(format_count(shard, Format::kUnknown) == 1);
  REQUIRE(s.samples.size() == 2);
  CHECK((s.samples[0].input == 2 && s.samples[0].line == 12));
  CHECK((s.samples[1].input == 2 && s.samples[1].line == 15));
  CHECK(shard.tables()[0].size() == 4);
}

TEST_CASE("RecordRouter reports dropped records as too_long on their own lines", "[pipeline]") {
  WorkItem item = item_of("\n{\"verb\":\"get\"}\n\n", decode::DecoderKind::kAuditEvent, 5);
  item.chunk.dropped_records = {0, 2};
  analyze::Shard shard(verb_plan());
  RecordRouter router;
  router.process(item, shard);
  CHECK(shard.stats().events == 1);
  CHECK(skipped(shard, SkipReason::kTooLong) == 2);
  REQUIRE(shard.stats().samples.size() == 2);
  CHECK(shard.stats().samples[0].line == 5);
  CHECK(shard.stats().samples[1].line == 7);
}

TEST_CASE("RecordRouter uses the framer's record lines", "[pipeline]") {
  WorkItem item = item_of("{\"verb\":\"get\"}\n{\"verb\":get}\n", decode::DecoderKind::kAuditEvent);
  item.chunk.record_lines = {3, 9};
  analyze::Shard shard(verb_plan());
  RecordRouter router;
  router.process(item, shard);
  REQUIRE(shard.stats().samples.size() == 1);
  CHECK(shard.stats().samples[0].line == 9);
}

TEST_CASE("RecordRouter counts CSV lines inside quoted cells", "[pipeline]") {
  auto csv = std::make_shared<decode::InputContext>();
  csv->container = decode::Container::kCsvRows;
  csv->columns = {"Verb", "Comment"};
  csv->column_ids = decode::columns_for(csv->columns);
  WorkItem item = item_of("get,\"a\nmulti\nline cell\"\r\nlist,\"unclosed\n", decode::DecoderKind::kLaRow, 2);
  item.context = csv;
  item.quote_aware = true;
  analyze::Shard shard(verb_plan());
  RecordRouter router;
  router.process(item, shard);
  CHECK(shard.stats().events == 1);
  CHECK(format_count(shard, Format::kAksAuditCsv) == 2);
  REQUIRE(shard.stats().samples.size() == 1);
  CHECK(shard.stats().samples[0].line == 5);  // rows start on lines 2 and 5
  CHECK(shard.stats().samples[0].reason == SkipReason::kMalformedJson);
}

TEST_CASE("RecordRouter: log text is log lines, unknown input is unknown", "[pipeline]") {
  const std::string text =
      "E1128 04:20:08.123456       1 cacher.go:450] boom\nI1128 04:20:09.000000 1 x.go:1] ok\n";
  analyze::Shard logs(verb_plan());
  RecordRouter router;
  router.process(item_of(text, decode::DecoderKind::kLogText), logs);
  CHECK(logs.stats().lines == 2);
  CHECK(logs.stats().decoded == 2);
  CHECK(logs.stats().log_lines == 2);
  CHECK(logs.stats().skipped_total() == 0);
  CHECK(format_count(logs, Format::kLogText) == 2);
  analyze::Shard unknown(verb_plan());
  router.process(item_of(text, decode::DecoderKind::kUnknown), unknown);
  CHECK(skipped(unknown, SkipReason::kUnknownFormat) == 2);
  CHECK(format_count(unknown, Format::kUnknown) == 2);
}

TEST_CASE("RecordRouter: a log file's lines, blank lines and records of other formats",
          "[pipeline][logtext]") {
  const std::string text =
      "Flag --insecure-port has been deprecated\n"
      "\n"
      "2022-06-06T06:01:46.817224179Z stderr F E0606 06:01:46.816806       1 a.go:5] boom\r\n"
      "   \t\n"
      "Trace[1]: [1s] [1s] END\n"
      "{\"level\":\"warn\",\"ts\":\"2024-10-31T10:16:37Z\",\"msg\":\"retrying\",\"verb\":\"x\"}\n"
      "{\"kind\":\"Event\",\"verb\":\"get\",\"stage\":\"ResponseComplete\"}\n"
      "{\"verb\":\"get\",\"stage\":\"Resp\n"
      "{\"note\":\"json of no known format\"}";
  analyze::Shard shard(verb_plan());
  RecordRouter router;
  router.process(item_of(text, decode::DecoderKind::kLogText, 1), shard);
  const analyze::InputStats& s = shard.stats();
  CHECK(s.lines == 9);  // blank lines are skipped as `blank`, as in every line-framed input
  CHECK(skipped(shard, SkipReason::kBlank) == 2);
  CHECK(format_count(shard, Format::kUnknown) == 0);  // a blank line is no record of a format
  CHECK(s.log_lines == 5);  // plain, CRI klog, trace, JSON log line, JSON of no known format
  CHECK(s.events == 1);     // the audit event among the log lines
  CHECK(s.decoded == 6);
  CHECK(skipped(shard, SkipReason::kTruncated) == 1);
  CHECK(s.lines == s.decoded + s.filtered + s.skipped_total());
  CHECK(format_count(shard, Format::kLogText) == 5);
  CHECK(format_count(shard, Format::kAuditJsonLines) == 2);
  CHECK(s.first == 1654495306816806000LL);  // the CRI-prefixed line, 2022-06-06T06:01:46.816806Z
  CHECK(s.last == 1730369797000000000LL);   // the JSON line, 2024-10-31T10:16:37Z
}

}  // namespace
}  // namespace kubeblame::pipeline
