// Export-limit accounting in Shard/InputStats: records per input file (all of them, Log Analytics
// rows apart, with the rows' times), dropped and truncated bodies, cut payloads and event times;
// and merging shards that saw different files.
#include <catch2/catch.hpp>

#include "kubeblame/analyze/shard.h"

namespace kubeblame::analyze {
namespace {

constexpr model::TimeNs kSecond = 1'000'000'000;
using decode::Format;

model::AuditEvent event_at(model::TimeNs received) {
  model::AuditEvent e;
  e.verb = "get";
  e.stage = model::Stage::kResponseComplete;
  e.received = received;
  return e;
}

void feed_file_one(Shard& shard) {  // input 1: two AKSAudit rows and a skipped row
  shard.set_position(1, 1);
  model::AuditEvent big = event_at(100 * kSecond);
  big.request_object_too_big = true;
  shard.on_event(big, Format::kAksAuditAzJson);
  shard.set_position(1, 2);
  model::AuditEvent truncated = event_at(300 * kSecond);
  truncated.truncated_annotation = true;
  shard.on_event(truncated, Format::kAksAuditAzJson);
  shard.set_position(1, 3);
  shard.on_skip(decode::SkipReason::kTooLong, Format::kUnknown);
}

void feed_file_three(Shard& shard) {  // input 3: a raw audit line, a cut log_s row, a log line
  shard.set_position(3, 1);
  shard.on_event(event_at(200 * kSecond), Format::kAuditJsonLines);
  shard.set_position(3, 2);
  shard.on_export_cut(decode::ExportCut::kLogS);
  shard.on_skip(decode::SkipReason::kTruncated, Format::kDiagnosticsAzJson);
  model::LogLine line;
  line.time = 50 * kSecond;
  shard.on_log_line(line, Format::kControlPlaneRest);
}

void check(const InputStats& s) {
  REQUIRE(s.files.size() == 4);
  CHECK(s.files[0].records == 0);
  CHECK(s.files[2].records == 0);
  CHECK(s.files[1].records == 3);
  CHECK(s.files[1].table_rows == 2);
  CHECK(s.files[1].first == 100 * kSecond);
  CHECK(s.files[1].last == 300 * kSecond);
  CHECK(s.files[3].records == 3);
  CHECK(s.files[3].table_rows == 2);  // the AzureDiagnostics skip and the AKSControlPlane line
  CHECK(s.files[3].first == 50 * kSecond);  // only table rows' times: not the raw line's 200 s
  CHECK(s.files[3].last == 50 * kSecond);
  CHECK(s.bodies_too_big == 1);
  CHECK(s.truncated_events == 1);
  CHECK(s.cuts[static_cast<std::size_t>(decode::ExportCut::kLogS)] == 1);
  CHECK(s.cuts[static_cast<std::size_t>(decode::ExportCut::kPropertiesLog)] == 0);
  // Audit events only: the log line's time is not in the histogram.
  CHECK(s.event_times.count() == 3);
  CHECK(s.event_times.first() == 100 * kSecond);
  CHECK(s.event_times.last() == 300 * kSecond);
  CHECK(s.lines == 6);
}

TEST_CASE("Shard counts export-limit signs per file and in total", "[analyze][export]") {
  Shard shard(AnalysisPlan{});
  feed_file_one(shard);
  feed_file_three(shard);
  check(shard.stats());
}

TEST_CASE("export-limit accounting merges across shards", "[analyze][export]") {
  Shard a(AnalysisPlan{});
  Shard b(AnalysisPlan{});
  feed_file_three(a);  // a saw the later file only: its files vector is the longer one
  feed_file_one(b);
  b.merge(a);
  check(b.stats());
  Shard c(AnalysisPlan{});
  Shard d(AnalysisPlan{});
  feed_file_one(c);
  feed_file_three(d);
  c.merge(d);
  check(c.stats());
}

}  // namespace
}  // namespace kubeblame::analyze
