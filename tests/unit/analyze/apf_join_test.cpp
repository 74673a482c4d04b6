// The APF join: HTTP log lines parsed, joined by audit ID whatever their order or split, bounded
// by the smallest keys, and "(unknown)" for a request without a line.
#include "kubeblame/analyze/apf_join.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/redact.h"
#include "kubeblame/analyze/shard.h"

namespace kubeblame::analyze {
namespace {

constexpr std::string_view kLine =
    R"("HTTP" verb="PATCH" URI="/api/v1/nodes/kind-worker8/status?timeout=10s" latency="6.487576ms" )"
    R"(userAgent="kubelet/v1.33.1 (linux/amd64) kubernetes/8adc0f0" audit-ID="a28a438b-e11f-4e2c-84ae-189a234d6168" )"
    R"(srcIP="172.18.0.5:39086" apf_pl="node-high" apf_fs="system-node-high" apf_iseats=1 apf_fseats=2 )"
    R"(apf_additionalLatency="5ms" apf_execution_time="5.956469ms" resp=200)";

TEST_CASE("parse_http_log_line reads the audit ID and the APF names", "[analyze][apf]") {
  std::optional<HttpLogFields> fields = parse_http_log_line(kLine);
  REQUIRE(fields);
  CHECK(fields->audit_id == "a28a438b-e11f-4e2c-84ae-189a234d6168");
  CHECK(fields->priority_level == "node-high");
  CHECK(fields->flow_schema == "system-node-high");
  // A URI quoting the keys does not fool it: a quote inside a value is escaped.
  auto tricky = parse_http_log_line(
      R"("HTTP" verb="GET" URI="/x?q=\" audit-ID=\"evil" audit-ID="id1" apf_pl="pl" apf_fs="fs" resp=200)");
  REQUIRE(tricky);
  CHECK(tricky->audit_id == "id1");
  for (std::string_view other :
       {std::string_view(R"("HTTP" verb="GET" audit-ID="id1" resp=200)"),
        std::string_view(R"("HTTP" verb="GET" apf_pl="pl" apf_fs="fs")"),
        std::string_view(R"("HTTP" verb="GET" audit-ID="" apf_pl="pl" apf_fs="fs")"),
        std::string_view(R"("HTTP" verb="GET" audit-ID="id1" apf_pl="pl" apf_fs="fs)"),
        std::string_view(R"(Trace[1]: "HTTP" audit-ID="id1" apf_pl="pl" apf_fs="fs")"),
        std::string_view(R"("HTTP" verb="GET" xaudit-ID="id1" apf_pl="pl" apf_fs="fs")"),
        std::string_view("")}) {
    INFO(other);
    CHECK_FALSE(parse_http_log_line(other));
  }
}

void add(ApfCollector& collector, const std::string& id, std::string_view pl, std::string_view fs) {
  collector.add({id, pl, fs});
}

TEST_CASE("the join finds every line's audit ID and (unknown) for the others", "[analyze][apf]") {
  ApfCollector collector;
  add(collector, "b", "workload-low", "service-accounts");
  add(collector, "a", "node-high", "system-nodes");
  ApfJoin join = collector.take_join();
  REQUIRE(join.find("a") != nullptr);
  CHECK(join.find("a")->priority_level == "node-high");
  CHECK(join.find("b")->flow_schema == "service-accounts");
  CHECK(join.find("c") == nullptr);
  CHECK(join.find("") == nullptr);
  CHECK(join.stats().lines == 2);
  CHECK(join.stats().kept == 2);
  CHECK(join.stats().dropped == 0);

  model::AuditEvent event;
  event.audit_id = "b";
  DimensionValues values;
  values.set_apf_join(&join);
  values.reset(event);
  CHECK(values.get(Dimension::kPriorityLevel) == "workload-low");
  CHECK(values.get(Dimension::kFlowSchema) == "service-accounts");
  event.audit_id = "missing";
  values.reset(event);
  CHECK(values.get(Dimension::kFlowSchema) == "(unknown)");
  DimensionValues without;
  without.reset(event);
  CHECK(without.get(Dimension::kPriorityLevel) == "(unknown)");
}

// Which IDs a join of these lines keeps, split between two collectors at `split`.
std::vector<std::string> kept_ids(const std::vector<std::string>& ids, std::size_t split,
                                  std::size_t bound, ApfJoinStats& stats) {
  ApfCollector first(bound), second(bound);
  for (std::size_t i = 0; i < ids.size(); ++i)
    add(i < split ? first : second, ids[i], "pl" + ids[i], "fs");
  second.merge(first);
  ApfJoin join = second.take_join();
  stats = join.stats();
  std::vector<std::string> kept;
  for (const std::string& id : ids) {
    const ApfJoin::Names* names = join.find(id);
    if (names == nullptr) continue;
    CHECK(names->priority_level == "pl" + id);  // never another line's names
    kept.push_back(id);
  }
  std::sort(kept.begin(), kept.end());
  return kept;
}

TEST_CASE("past its bound the join keeps the same IDs for any order and split", "[analyze][apf]") {
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back("id-" + std::to_string(i));
  ApfJoinStats stats;
  std::vector<std::string> expected = kept_ids(ids, 0, 1000, stats);
  CHECK(expected.size() == 1000);
  CHECK(stats.lines == 5000);
  CHECK(stats.kept == 1000);
  CHECK(stats.dropped == 4000);
  std::vector<std::string> reversed(ids.rbegin(), ids.rend());
  for (std::size_t split : {std::size_t{1}, std::size_t{2500}, std::size_t{4999}}) {
    CHECK(kept_ids(ids, split, 1000, stats) == expected);
    CHECK(kept_ids(reversed, split, 1000, stats) == expected);
    CHECK(stats.dropped == 4000);
  }
  // Under the bound, repeated lines are not "dropped".
  std::vector<std::string> twice = {"x", "y", "x"};
  CHECK(kept_ids(twice, 1, 10, stats) == std::vector<std::string>{"x", "x", "y"});
  CHECK(stats.lines == 3);
  CHECK(stats.kept == 2);
  CHECK(stats.dropped == 0);
}

}  // namespace
}  // namespace kubeblame::analyze

namespace kubeblame::analyze {
namespace {

TEST_CASE("an HTTP log line's resp=429 marks it throttled", "[analyze][apf]") {
  CHECK_FALSE(parse_http_log_line(kLine)->throttled);
  std::string throttled(kLine);
  throttled.replace(throttled.rfind("resp=200"), 8, "resp=429");
  CHECK(parse_http_log_line(throttled)->throttled);
  // Only the response code counts: 4290 or a quoted 429 elsewhere is not a throttle.
  CHECK_FALSE(
      parse_http_log_line(R"("HTTP" audit-ID="a" apf_pl="p" apf_fs="f" resp=4290)")->throttled);
  CHECK_FALSE(parse_http_log_line(R"("HTTP" URI="/x?resp=429" audit-ID="a" apf_pl="p" apf_fs="f")")
                  ->throttled);
}

TEST_CASE("the join counts the AKS guard's requests and 429s once per audit ID", "[analyze][apf]") {
  ApfCollector collector;
  collector.add({"g1", "aks-managed-apiserver-guard", "aks-managed-apiserver-guard", true});
  collector.add({"g1", "aks-managed-apiserver-guard", "aks-managed-apiserver-guard", true});
  collector.add({"g2", "aks-managed-apiserver-guard", "aks-managed-apiserver-guard", false});
  collector.add({"o1", "workload-low", "service-accounts", true});
  ApfJoin copy = collector.join();
  CHECK(copy.stats().guard_requests == 2);
  CHECK(copy.stats().guard_throttled == 1);
  CHECK(copy.stats().lines == 4);
  CHECK(copy.stats().kept == 3);
  // join() leaves the collector as it was: taking the join afterwards gives the same.
  CHECK(collector.lines() == 4);
  ApfJoin taken = collector.take_join();
  CHECK(taken.stats().guard_requests == 2);
  CHECK(taken.stats().guard_throttled == 1);
  CHECK(taken.find("g2") != nullptr);
}

TEST_CASE("a shard with the join counts the requests no HTTP log line named", "[analyze][apf]") {
  ApfCollector collector;
  collector.add({"joined", "workload-low", "service-accounts", false});
  AnalysisPlan plan;
  plan.groupings = {{Dimension::kFlowSchema}};
  plan.apf_join = std::make_shared<ApfJoin>(collector.take_join());
  Shard shard(plan);
  CHECK(shard.stats().apf_joined);
  for (std::string_view id : {"joined", "missing", ""}) {
    model::AuditEvent event;
    event.audit_id = id;
    event.verb = "get";
    event.stage = model::Stage::kResponseComplete;
    event.code = 200;
    shard.on_event(event, decode::Format::kAuditJsonLines);
  }
  CHECK(shard.stats().requests == 3);
  CHECK(shard.stats().apf_unjoined == 2);
  // Without a join nothing is counted as unjoined.
  Shard plain(AnalysisPlan{});
  CHECK_FALSE(plain.stats().apf_joined);
}

TEST_CASE("a shard feeds its collector every raw log line, before filters", "[analyze][apf]") {
  AnalysisPlan plan;
  plan.analyzers.push_back(apf_collector_factory());
  plan.filter.since = std::numeric_limits<model::TimeNs>::max();  // every record filtered out
  plan.redact = redact_key_from_text("key");                      // and log lines masked
  Shard shard(plan);
  model::LogLine line;
  line.message = kLine;
  shard.on_log_line(line, decode::Format::kLogText);
  CHECK(shard.stats().filtered == 1);
  const ApfCollector& collector = shard.get<ApfCollector>();
  CHECK(collector.lines() == 1);
  CHECK(collector.join().find("a28a438b-e11f-4e2c-84ae-189a234d6168") != nullptr);
}

}  // namespace
}  // namespace kubeblame::analyze
