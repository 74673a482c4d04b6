// RecordFilter inside a Shard: excluded records count only in `filtered` and reach no table or
// analyzer; the time window is half-open; filters see raw values even with --redact.
#include "kubeblame/analyze/record_filter.h"

#include <catch2/catch.hpp>

#include "kubeblame/analyze/shard.h"
#include "kubeblame/model/time.h"

namespace kubeblame::analyze {
namespace {

constexpr model::TimeNs kS = model::kNsPerSecond;
using decode::Format;

model::AuditEvent event(std::string_view agent, std::string_view verb, int code,
                        model::TimeNs time) {
  model::AuditEvent e;
  e.user_agent = agent;
  e.verb = verb;
  e.code = code;
  e.stage = model::Stage::kResponseComplete;
  e.received = time;
  e.stage_time = time == 0 ? 0 : time + 1;
  e.username = "alice";
  return e;
}

model::LogLine log_line(model::TimeNs time) {
  model::LogLine line;
  line.shape = model::LogShape::kKlog;
  line.level = model::LogLevel::kError;
  line.time = time;
  line.message = "boom";
  line.text = "E0101 00:00:00.000000 1 x.go:1] boom";
  return line;
}

// Counts what reaches an analyzer, to prove excluded records never do.
struct CountingAnalyzer : AnalyzerOf<CountingAnalyzer> {
  int events = 0;
  int log_lines = 0;
  void on_event(const model::AuditEvent&, bool, DimensionValues&, const EventPosition&) override {
    ++events;
  }
  void on_log_line(const model::LogLine&, decode::Format, const EventPosition&) override {
    ++log_lines;
  }
  void merge(CountingAnalyzer&) {}
};

AnalysisPlan plan_with(RecordFilter filter) {
  AnalysisPlan plan;
  plan.groupings = {{Dimension::kAgent}};
  plan.analyzers.push_back([] { return std::make_unique<CountingAnalyzer>(); });
  plan.filter = std::move(filter);
  return plan;
}

void feed(Shard& shard) {
  shard.on_event(event("kubectl/v1", "get", 200, 100 * kS), Format::kAuditJsonLines);
  shard.on_event(event("kubectl/v1", "list", 404, 200 * kS), Format::kAuditJsonLines);
  shard.on_event(event("kubelet/v1", "get", 200, 300 * kS), Format::kAuditJsonLines);
  shard.on_event(event("kubelet/v1", "update", 409, 400 * kS), Format::kAuditJsonLines);
  shard.on_event(event("kube-scheduler/v1", "create", 201, 0), Format::kAuditJsonLines);
  shard.on_log_line(log_line(250 * kS), Format::kLogText);
  shard.on_log_line(log_line(0), Format::kLogText);
  shard.on_skip(decode::SkipReason::kMalformedJson, Format::kAuditJsonLines);
}

std::uint64_t requests_of(const Shard& shard, std::string_view agent) {
  const GroupTable& table = shard.tables()[0];
  for (std::size_t g = 0; g < table.size(); ++g) {
    if (table.key(g, 0) == agent) return table.metrics(g).requests;
  }
  return 0;
}

void check_accounting(const InputStats& s) {
  CHECK(s.lines == 8);
  CHECK(s.lines == s.decoded + s.filtered + s.skipped_total());
  CHECK(s.decoded == s.events + s.log_lines);
}

}  // namespace

TEST_CASE("an empty filter keeps everything", "[analyze][filter]") {
  Shard shard(plan_with({}));
  feed(shard);
  const InputStats& s = shard.stats();
  check_accounting(s);
  CHECK(s.filtered == 0);
  CHECK(s.events == 5);
  CHECK(s.log_lines == 2);
  CHECK(shard.get<CountingAnalyzer>().events == 5);
}

TEST_CASE("the time window is half-open (since <= time < until) and drops records without a time",
          "[analyze][filter]") {
  RecordFilter filter;
  filter.since = 200 * kS;
  filter.until = 400 * kS;
  Shard shard(plan_with(filter));
  feed(shard);
  const InputStats& s = shard.stats();
  check_accounting(s);
  CHECK(s.events == 2);  // t=200 (since is inclusive) and t=300; t=400 is the open end
  CHECK(s.requests == 2);
  CHECK(s.log_lines == 1);  // t=250; the log line without a time is filtered
  CHECK(s.filtered == 4);
  CHECK(s.first == 200 * kS);  // the span is over the kept records
  CHECK(s.last == 300 * kS);
  CHECK(requests_of(shard, "kubectl") == 1);
  CHECK(requests_of(shard, "kubelet") == 1);
  CHECK(requests_of(shard, "kube-scheduler") == 0);
  auto& counted = shard.get<CountingAnalyzer>();
  CHECK(counted.events == 2);
  CHECK(counted.log_lines == 1);
}

TEST_CASE("where clauses are ANDed and exclude every log line", "[analyze][filter]") {
  RecordFilter filter;
  filter.where = {parse_where_clause("agent~kube[-l]*"), parse_where_clause("code>=400")};
  Shard shard(plan_with(filter));
  feed(shard);
  const InputStats& s = shard.stats();
  check_accounting(s);
  CHECK(s.events == 1);  // kubelet update 409
  CHECK(s.log_lines == 0);
  CHECK(s.filtered == 6);
  CHECK(requests_of(shard, "kubelet") == 1);
  CHECK(requests_of(shard, "kubectl") == 0);
  CHECK(shard.get<CountingAnalyzer>().log_lines == 0);
}

TEST_CASE("filters see raw values under --redact", "[analyze][filter]") {
  RecordFilter filter;
  filter.where = {parse_where_clause("user=alice"), parse_where_clause("verb!=get")};
  AnalysisPlan plan = plan_with(filter);
  plan.groupings = {{Dimension::kUser}};
  plan.redact = redact_key_from_text("k");
  Shard shard(plan);
  feed(shard);
  const InputStats& s = shard.stats();
  check_accounting(s);
  CHECK(s.events == 3);  // list, update, create
  const GroupTable& table = shard.tables()[0];
  REQUIRE(table.size() == 1);
  CHECK(table.key(0, 0) != "alice");  // grouped by the redacted name
  CHECK(table.metrics(0).requests == 3);
}

TEST_CASE("filtered counts merge across shards", "[analyze][filter]") {
  RecordFilter filter;
  filter.where = {parse_where_clause("verb=get")};
  Shard a(plan_with(filter));
  Shard b(plan_with(filter));
  feed(a);
  feed(b);
  a.merge(b);
  CHECK(a.stats().filtered == 10);
  CHECK(a.stats().events == 4);
  CHECK(a.stats().lines == 16);
}

}  // namespace kubeblame::analyze
