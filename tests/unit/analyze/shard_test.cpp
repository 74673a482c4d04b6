// Shard: the counting rules of docs/counting.md applied per event, line accounting, and merging shards.
#include "kubeblame/analyze/shard.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace kubeblame::analyze {
namespace {

model::AuditEvent event(std::string_view verb, model::Stage stage, int code,
                        model::TimeNs received = 0, model::TimeNs stage_time = 0) {
  model::AuditEvent e;
  e.verb = verb;
  e.stage = stage;
  e.code = code;
  e.received = received;
  e.stage_time = stage_time;
  e.user_agent = "kubectl/v1.30";
  return e;
}

const GroupMetrics& group(const GroupTable& table, std::string_view verb) {
  for (std::size_t g = 0; g < table.size(); ++g) {
    if (table.key(g, 0) == verb) return table.metrics(g);
  }
  FAIL("no group " << verb);
  throw;
}

constexpr model::TimeNs kMs = 1'000'000;
using decode::Format;
using model::Stage;

void feed(Shard& shard) {
  shard.on_event(event("get", Stage::kRequestReceived, 0, 1000 * kMs), Format::kAuditJsonLines);
  shard.on_event(event("get", Stage::kResponseComplete, 200, 1000 * kMs, 1005 * kMs), Format::kAuditJsonLines);
  shard.on_event(event("get", Stage::kPanic, 500, 1010 * kMs, 1030 * kMs), Format::kAuditJsonLines);
  shard.on_event(event("get", Stage::kResponseStarted, 200, 1011 * kMs, 1012 * kMs), Format::kAuditJsonLines);
  shard.on_event(event("get", Stage::kResponseStarted, 401, 1020 * kMs, 1021 * kMs), Format::kAuditJsonLines);
  shard.on_event(event("get", Stage::kAbsent, 404, 1040 * kMs, 1042 * kMs), Format::kAksAuditAzJson);
  shard.on_event(event("get", Stage::kUnknown, 200, 1041 * kMs, 1042 * kMs), Format::kAksAuditAzJson);
  // long-running: no latency, counted as watches
  shard.on_event(event("watch", Stage::kResponseStarted, 200, 900 * kMs, 901 * kMs), Format::kAuditJsonLines);
  shard.on_event(event("watch", Stage::kResponseComplete, 200, 900 * kMs, 1900 * kMs), Format::kAuditJsonLines);
  // an exec (101) is counted at ResponseStarted; its ResponseComplete is an event only
  shard.on_event(event("create", Stage::kResponseStarted, 101, 950 * kMs, 951 * kMs), Format::kAuditJsonLines);
  shard.on_event(event("create", Stage::kResponseComplete, 101, 950 * kMs, 1950 * kMs), Format::kAuditJsonLines);
  // a stage time before the received time is not a latency
  shard.on_event(event("list", Stage::kResponseComplete, 200, 1100 * kMs, 1000 * kMs), Format::kAuditJsonLines);
  // no received time: attributed to the stage time, no latency
  shard.on_event(event("list", Stage::kResponseComplete, 200, 0, 1200 * kMs), Format::kAuditJsonLines);
  shard.set_position(0, 7);
  shard.on_skip(decode::SkipReason::kTruncated, Format::kAuditJsonLines);
  shard.set_position(1, 3);
  shard.on_skip(decode::SkipReason::kNotAudit, Format::kLogText);
}

TEST_CASE("Shard applies the counting rules", "[analyze][shard]") {
  AnalysisPlan plan;
  plan.groupings = {{Dimension::kVerb}, {Dimension::kAgent, Dimension::kCode}};
  Shard shard(plan);
  feed(shard);
  const InputStats& s = shard.stats();
  CHECK(s.lines == 15);
  CHECK(s.events == 13);
  CHECK(s.decoded == 13);
  CHECK(s.filtered == 0);
  CHECK(s.skipped_total() == 2);
  CHECK(s.lines == s.decoded + s.filtered + s.skipped_total());
  CHECK(s.requests == 8);  // complete 200, panic, 401, no stage, watch complete, 101 started, two lists
  CHECK(s.formats[static_cast<std::size_t>(Format::kAuditJsonLines)] == 12);
  CHECK(s.formats[static_cast<std::size_t>(Format::kAksAuditAzJson)] == 2);
  CHECK(s.formats[static_cast<std::size_t>(Format::kLogText)] == 1);
  CHECK(s.first == 900 * kMs);   // every event's time counts for the span, not only requests
  CHECK(s.last == 1200 * kMs);
  REQUIRE(s.samples.size() == 2);
  CHECK(s.samples[0].input == 0);
  CHECK(s.samples[0].line == 7);
  CHECK(s.samples[0].reason == decode::SkipReason::kTruncated);
  CHECK(s.samples[1].input == 1);

  const GroupTable& by_verb = shard.tables()[0];
  REQUIRE(by_verb.size() == 4);
  const GroupMetrics& get = group(by_verb, "get");
  CHECK(get.requests == 4);
  CHECK(get.errors == 3);  // 500, 401, 404
  CHECK(get.watches == 0);
  CHECK(get.cost_ns == (5 + 20 + 1 + 2) * kMs);
  CHECK(get.max_ns == 20 * kMs);
  CHECK(get.latency.count() == 4);
  CHECK(get.first == 1000 * kMs);
  CHECK(get.last == 1040 * kMs);
  const GroupMetrics& watch = group(by_verb, "watch");
  CHECK(watch.requests == 1);
  CHECK(watch.watches == 1);
  CHECK(watch.cost_ns == 0);
  CHECK(watch.latency.count() == 0);
  const GroupMetrics& create = group(by_verb, "create");
  CHECK(create.requests == 1);
  CHECK(create.watches == 1);
  CHECK(create.latency.count() == 0);
  CHECK(create.errors == 0);
  const GroupMetrics& list = group(by_verb, "list");
  CHECK(list.requests == 2);
  CHECK(list.latency.count() == 0);
  CHECK(list.first == 1100 * kMs);
  CHECK(list.last == 1200 * kMs);

  const GroupTable& by_agent_code = shard.tables()[1];
  CHECK(by_agent_code.size() == 5);  // 200, 500, 401, 404, 101
}

TEST_CASE("Shard::merge equals one shard fed everything", "[analyze][shard]") {
  AnalysisPlan plan;
  plan.groupings = {{Dimension::kVerb}};
  Shard one(plan), a(plan), b(plan);
  feed(one);
  feed(one);
  feed(a);
  feed(b);
  a.merge(b);
  CHECK(a.stats().lines == one.stats().lines);
  CHECK(a.stats().requests == one.stats().requests);
  CHECK(a.stats().skipped == one.stats().skipped);
  CHECK(a.stats().formats == one.stats().formats);
  REQUIRE(a.tables()[0].size() == one.tables()[0].size());
  for (std::string_view verb : {"get", "watch", "create", "list"}) {
    CHECK(group(a.tables()[0], verb).requests == group(one.tables()[0], verb).requests);
    CHECK(group(a.tables()[0], verb).cost_ns == group(one.tables()[0], verb).cost_ns);
  }
}

}  // namespace
}  // namespace kubeblame::analyze

namespace kubeblame::analyze {
namespace {

// Everything a report shows of a table, as text: keys, counts, latency quantiles, times, the
// (other) row and the distinct count.
std::string describe(const GroupTable& table) {
  std::vector<std::string> rows;
  auto metrics_text = [](const GroupMetrics& m) {
    return std::to_string(m.requests) + " " + std::to_string(m.errors) + " " + std::to_string(m.watches) +
           " " + std::to_string(m.cost_ns) + " " + std::to_string(m.max_ns) + " " + std::to_string(m.first) +
           " " + std::to_string(m.last) + " " + std::to_string(m.latency.quantile(0.5)) + " " +
           std::to_string(m.latency.quantile(0.99));
  };
  for (std::size_t g = 0; g < table.size(); ++g) {
    std::string row;
    for (std::size_t d = 0; d < table.dimensions().size(); ++d) row += std::string(table.key(g, d)) + "|";
    rows.push_back(row + metrics_text(table.metrics(g)));
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const std::string& row : rows) out += row + "\n";
  out += "other " + metrics_text(table.overflow()) + " folded " + std::to_string(table.folded()) +
         " distinct " + std::to_string(table.distinct_groups()) + "\n";
  return out;
}

// Events from `agents` agents, each with several verbs and resources, latencies and errors.
void feed_many(Shard& shard, int agents, int events) {
  std::vector<std::string> names;
  for (int a = 0; a < agents; ++a) names.push_back("agent-" + std::to_string(a) + "/v1");
  const char* verbs[] = {"get", "list", "update", "patch"};
  const char* resources[] = {"pods", "configmaps", "leases", "nodes", "secrets"};
  std::uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<int>(state >> 33);
  };
  for (int i = 0; i < events; ++i) {
    // A few heavy agents and a long tail, so that folding keeps some and drops others.
    int a = next() % 4 == 0 ? next() % 3 : next() % agents;
    model::AuditEvent e = event(verbs[next() % 4], Stage::kResponseComplete, next() % 9 == 0 ? 500 : 200,
                                (1000 + i) * kMs, (1000 + i) * kMs + (next() % 5000) * 1000);
    e.user_agent = names[static_cast<std::size_t>(a)];
    e.has_object_ref = true;
    e.object_ref.resource = resources[next() % 5];
    shard.on_event(e, Format::kAuditJsonLines);
  }
}

TEST_CASE("Shard: a table derived from a wider one is exactly the table computed alone", "[analyze][shard]") {
  for (std::size_t max_groups : {std::size_t{0}, std::size_t{40}, std::size_t{400}}) {
    INFO("max_groups " << max_groups);
    AnalysisPlan alone;
    alone.groupings = {{Dimension::kAgent}};
    alone.max_groups = max_groups;
    // As in `report`: the narrow table first, the wide one (agent, verb, resource) after it.
    AnalysisPlan derived = alone;
    derived.groupings = {{Dimension::kAgent},
                         {Dimension::kUser, Dimension::kVerb},
                         {Dimension::kAgent, Dimension::kVerb, Dimension::kResource}};
    Shard a(alone);
    Shard b(derived);
    feed_many(a, 300, 20000);
    feed_many(b, 300, 20000);
    CHECK(describe(a.tables()[0]) == describe(b.tables()[0]));
    if (max_groups == 40) {
      CHECK(b.tables()[0].folded());  // the narrow table folded too, not only the wide one
      CHECK(b.tables()[2].folded());
    }
  }
}

}  // namespace
}  // namespace kubeblame::analyze
