// Weighted input: LatencySketch::from_parts rebuilds the sketch add() builds from the same
// latencies (exact up to 64 values, buckets above), and WeightedStage re-aggregates staged
// results into groupings exactly: the narrowest covering result, --where on its dimensions,
// partial results of one query merged, and a usage error naming the kql command to run.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <vector>

#include "kubeblame/analyze/latency_sketch.h"
#include "kubeblame/analyze/shard.h"
#include "kubeblame/analyze/timeline/timeline.h"
#include "kubeblame/analyze/weighted.h"

namespace kubeblame::analyze {
namespace {

using Histogram = std::vector<std::pair<std::uint32_t, std::uint64_t>>;

Histogram histogram_of(const std::vector<std::int64_t>& values) {
  std::map<std::uint32_t, std::uint64_t> counts;
  for (std::int64_t v : values) ++counts[LatencySketch::bucket_of(static_cast<std::uint64_t>(v))];
  return {counts.rbegin(), counts.rend()};  // any order: a KQL bag has none
}

LatencySketch added(const std::vector<std::int64_t>& values) {
  LatencySketch sketch;
  for (std::int64_t v : values) sketch.add(v);
  return sketch;
}

std::vector<std::int64_t> random_latencies(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::lognormal_distribution<double> dist(8.0, 2.0);
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<std::int64_t>(dist(rng)));
  return out;
}

TEST_CASE("from_parts equals add() of the exact values up to 64 latencies", "[analyze][weighted]") {
  for (std::size_t n : {1, 2, 17, 64}) {
    std::vector<std::int64_t> values = random_latencies(n, static_cast<std::uint32_t>(n));
    std::vector<std::int64_t> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    auto rebuilt =
        LatencySketch::from_parts(histogram_of(values), values, sorted.front(), sorted.back(), n);
    REQUIRE(rebuilt);
    CHECK(*rebuilt == added(sorted));
    LatencySketch in_order = added(values);
    for (double q : {0.0, 0.5, 0.95, 0.99, 1.0})
      CHECK(rebuilt->quantile(q) == in_order.quantile(q));
  }
}

TEST_CASE("from_parts equals add() in buckets, min and max above 64 latencies",
          "[analyze][weighted]") {
  for (std::size_t n : {65, 1000, 20000}) {
    std::vector<std::int64_t> values = random_latencies(n, 7);
    auto [low, high] = std::minmax_element(values.begin(), values.end());
    auto rebuilt = LatencySketch::from_parts(histogram_of(values), {}, *low, *high, n);
    REQUIRE(rebuilt);
    CHECK(*rebuilt == added(values));
  }
}

TEST_CASE("from_parts refuses parts that disagree", "[analyze][weighted]") {
  std::vector<std::int64_t> values = {100, 3000, 9000};
  Histogram h = histogram_of(values);
  CHECK(LatencySketch::from_parts(h, values, 100, 9000, 3));
  CHECK_FALSE(LatencySketch::from_parts(h, values, 100, 9000, 4));  // counts != total
  CHECK_FALSE(
      LatencySketch::from_parts(h, {100, 3000, 9500}, 100, 9500, 3));  // value in another bucket
  CHECK_FALSE(LatencySketch::from_parts(h, values, 101, 9000, 3));  // min is not the smallest value
  CHECK_FALSE(LatencySketch::from_parts(h, values, 100, 20000, 3));  // max outside the last bucket
  CHECK_FALSE(LatencySketch::from_parts(h, {}, 100, 9000, 3));       // <= 64 needs the values
  CHECK_FALSE(LatencySketch::from_parts(h, {}, -1, -1, 0));          // counts without latencies
  CHECK(LatencySketch::from_parts({}, {}, -1, -1, 0));
}

model::WeightedGroup row(std::vector<std::pair<std::string_view, std::string_view>> dims,
                         std::uint64_t requests, std::uint64_t errors,
                         std::vector<std::int64_t> latencies_us, model::TimeNs first) {
  model::WeightedGroup g;
  g.dimensions = std::move(dims);
  g.requests = requests;
  g.errors = errors;
  g.latency_n = latencies_us.size();
  g.histogram = histogram_of(latencies_us);
  g.exact_us = latencies_us;
  for (std::int64_t v : latencies_us) g.cost_ns += v * 1000;
  if (!latencies_us.empty()) {
    g.min_us = *std::min_element(latencies_us.begin(), latencies_us.end());
    g.max_ns = *std::max_element(latencies_us.begin(), latencies_us.end()) * 1000;
  }
  g.first = first;
  g.last = first + 1000;
  return g;
}

const GroupMetrics* find(const GroupTable& table, std::string_view key) {
  for (std::size_t g = 0; g < table.size(); ++g) {
    if (table.key(g, 0) == key) return &table.metrics(g);
  }
  return nullptr;
}

TEST_CASE("WeightedStage fills a grouping from the narrowest result, exactly",
          "[analyze][weighted]") {
  WeightedStage stage;
  // One window's results by agent,verb and by agent: --by agent must read the second only.
  REQUIRE(stage.add(row({{"agent", "kubelet"}, {"verb", "get"}}, 3, 1, {1000, 2000}, 100)));
  REQUIRE(stage.add(row({{"agent", "kubelet"}, {"verb", "update"}}, 2, 0, {5000}, 200)));
  REQUIRE(stage.add(row({{"verb", "get"}, {"agent", "kubectl"}}, 1, 1, {7000},
                        300)));  // columns in another order
  REQUIRE(stage.add(row({{"agent", "kubelet"}}, 5, 1, {1000, 2000, 5000}, 100)));
  REQUIRE(stage.add(row({{"agent", "kubectl"}}, 1, 1, {7000}, 300)));
  CHECK_FALSE(stage.add(row({{"colour", "red"}}, 1, 0, {}, 1)));  // no such dimension
  CHECK_FALSE(stage.add(row({{"agent", "a"}, {"agent", "b"}}, 1, 0, {}, 1)));
  CHECK(stage.rows() == 5);

  GroupTable by_agent({Dimension::kAgent});
  FillTotals totals;
  REQUIRE_FALSE(stage.fill(by_agent, {}, totals));
  CHECK(totals.requests == 6);  // not 12: one result per grouping
  REQUIRE(find(by_agent, "kubelet"));
  CHECK(find(by_agent, "kubelet")->requests == 5);
  CHECK(find(by_agent, "kubelet")->latency == added({1000, 2000, 5000}));

  // --where on verb needs the agent,verb result; it re-aggregates it.
  GroupTable filtered({Dimension::kAgent});
  totals = {};
  REQUIRE_FALSE(stage.fill(filtered, {parse_where_clause("verb=get")}, totals));
  CHECK(totals.requests == 4);
  CHECK(find(filtered, "kubelet")->requests == 3);
  CHECK(find(filtered, "kubectl")->errors == 1);

  GroupTable by_user({Dimension::kUser});
  auto error = stage.fill(by_user, {}, totals);
  REQUIRE(error);
  CHECK(
      *error ==
      "the Log Analytics results are grouped by agent; agent, verb; --by user needs `kubeblame kql top --by user`");
  GroupTable where_user({Dimension::kAgent});
  error = stage.fill(where_user, {parse_where_clause("user=x")}, totals);
  REQUIRE(error);
  CHECK(error->find("--by agent with --where on user needs `kubeblame kql top --by agent,user`") !=
        std::string::npos);
}

TEST_CASE("WeightedStage merges partial results of one query (kql --split)",
          "[analyze][weighted]") {
  WeightedStage first, second;
  REQUIRE(first.add(row({{"agent", "kubelet"}}, 40, 1, std::vector<std::int64_t>(40, 3000), 100)));
  REQUIRE(second.add(row({{"agent", "kubelet"}}, 30, 2, std::vector<std::int64_t>(30, 9000), 900)));
  first.merge(second);
  CHECK(first.rows() == 2);
  CHECK(first.first() == 100);
  CHECK(first.last() == 1900);
  GroupTable table({Dimension::kAgent});
  FillTotals totals;
  REQUIRE_FALSE(first.fill(table, {}, totals));
  const GroupMetrics* kubelet = find(table, "kubelet");
  REQUIRE(kubelet);
  CHECK(kubelet->requests == 70);
  CHECK(kubelet->errors == 3);
  std::vector<std::int64_t> all(40, 3000);
  all.insert(all.end(), 30, 9000);
  CHECK(kubelet->latency == added(all));  // 70 values: buckets, like a local run
}

TEST_CASE("WeightedStage fills a timeline and re-bins it to a coarser interval",
          "[analyze][weighted]") {
  constexpr model::TimeNs kMinute = 60'000'000'000;
  WeightedStage stage;
  for (int m = 0; m < 4; ++m) {
    model::WeightedGroup g = row({{"agent", "kubelet"}}, 2, 1, {}, m * kMinute + 5);
    g.kind = model::WeightedGroup::Kind::kTimeline;
    g.time = m * kMinute;
    g.interval_s = 60;
    REQUIRE(stage.add(g));
  }
  TimelineAnalyzer coarse({{Dimension::kAgent}, 120, 0});
  FillTotals totals;
  REQUIRE_FALSE(stage.fill(coarse, {}, totals));
  CHECK(totals.requests == 8);
  REQUIRE(coarse.groups().size() == 1);
  const auto& cells = coarse.groups().begin()->second.cells();
  REQUIRE(cells.size() == 2);
  CHECK(cells[0].requests == 4);
  CHECK(cells[0].errors == 2);
  TimelineAnalyzer finer({{Dimension::kAgent}, 30, 0});
  auto error = stage.fill(finer, {}, totals);
  REQUIRE(error);
  CHECK(
      *error ==
      "the Log Analytics timeline is binned by 1m: --interval 30s is not a multiple of it (a finer "
      "timeline needs `kubeblame kql timeline --interval 30s`)");
  GroupTable top({Dimension::kAgent});  // a timeline result also sums to groups
  totals = {};
  REQUIRE_FALSE(stage.fill(top, {}, totals));
  CHECK(totals.requests == 8);
}

TEST_CASE("Shard counts weighted rows and skips bad ones", "[analyze][weighted]") {
  AnalysisPlan plan;
  plan.groupings = {{Dimension::kAgent}};
  Shard shard(plan);
  shard.on_group(row({{"agent", "kubelet"}}, 2, 0, {1000, 2000}, 100),
                 decode::Format::kKqlResultAzJson);
  model::WeightedGroup bad = row({{"agent", "kubelet"}}, 2, 0, {1000, 2000}, 100);
  bad.min_us = 5;  // disagrees with its histogram
  shard.on_group(bad, decode::Format::kKqlResultAzJson);
  const InputStats& stats = shard.stats();
  CHECK(stats.lines == 2);
  CHECK(stats.decoded == 1);
  CHECK(stats.weighted_rows == 1);
  CHECK(stats.skipped[static_cast<std::size_t>(decode::SkipReason::kBadResultRow)] == 1);
  CHECK(stats.samples.size() == 1);
  REQUIRE_FALSE(shard.fill_weighted({}));
  CHECK(shard.stats().requests == 2);
  CHECK(shard.table({Dimension::kAgent}).size() == 1);
}

}  // namespace
}  // namespace kubeblame::analyze
