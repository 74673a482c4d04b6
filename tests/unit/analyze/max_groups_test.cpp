// --max-groups: a GroupTable bounded to max_groups folds its long tail into the overflow
// (the (other) row), keeps clear heavy hitters exact, never loses a request, and reports the same
// thing however the input was split between workers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kubeblame/analyze/distinct_sketch.h"
#include "kubeblame/analyze/group_table.h"
#include "kubeblame/analyze/string_interner.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/format.h"

namespace kubeblame::analyze {
namespace {

constexpr model::TimeNs kT = 1719776474LL * 1'000'000'000LL;

struct Request {
  std::string agent;
  RequestFacts facts;
};

// 3 heavy hitters interleaved with `tail` one-off agents: heavy-a every 5th tail request,
// heavy-b every 10th, heavy-c every 25th. Latencies, errors and times vary with the index.
std::vector<Request> heavy_and_tail(int tail) {
  std::vector<Request> out;
  for (int i = 0; i < tail; ++i) {
    RequestFacts facts{kT + i * 1'000'000LL, 1000LL * (i % 97 + 1), i % 7 == 0, false};
    out.push_back({"tail-" + std::to_string(i), facts});
    if (i % 5 == 0) out.push_back({"heavy-a", {kT + i * 1'000'000LL, 2'000'000, false, false}});
    if (i % 10 == 0) out.push_back({"heavy-b", {kT + i * 1'000'000LL, 3'000'000, true, false}});
    if (i % 25 == 0) out.push_back({"heavy-c", {kT + i * 1'000'000LL, -1, false, true}});
  }
  return out;
}

void add(GroupTable& table, const Request& request) {
  std::string_view key[] = {request.agent};
  table.add(key, request.facts);
}

GroupMetrics total_of(const GroupTable& table) {
  GroupMetrics total = table.overflow();
  for (std::size_t g = 0; g < table.size(); ++g) total.merge(table.metrics(g));
  return total;
}

report::InputSummary summary(std::uint64_t requests) {
  report::InputSummary input;
  input.requests = requests;
  input.first = kT;
  input.last = kT + 5'000'000'000LL;
  return input;
}

// Everything a renderer would print for this report, as one comparable string.
std::string fingerprint(const report::TopReport& r) {
  auto metrics = [](const report::RowMetrics& m) {
    std::string s = std::to_string(m.requests) + "/" + std::to_string(m.errors) + "/" +
                    std::to_string(m.watches);
    for (const auto& q : {m.cost_s, m.p50_ms, m.p95_ms, m.p99_ms, m.max_ms}) {
      s += "/" + (q ? std::to_string(*q) : std::string("-"));
    }
    s += "/" + (m.first ? std::to_string(*m.first) : std::string("-"));
    s += "/" + (m.last ? std::to_string(*m.last) : std::string("-"));
    return s;
  };
  std::string out;
  for (const report::Row& row : r.rows) out += row.key.at(0) + "=" + metrics(row.metrics) + "\n";
  if (r.other) out += "(other " + std::to_string(r.other->groups) + ")=" + metrics(r.other->metrics) + "\n";
  for (const std::string& w : r.input.warnings) out += "warning: " + w + "\n";
  return out;
}

TEST_CASE("max-groups: heavy hitters stay exact, the tail folds into (other)", "[analyze][max-groups]") {
  std::vector<Request> requests = heavy_and_tail(5000);
  REQUIRE(requests.size() == 6700);
  GroupTable table({Dimension::kAgent}, 256);
  for (const Request& r : requests) {
    add(table, r);
    REQUIRE(table.size() <= 256);
  }
  CHECK(table.max_groups() == 256);
  CHECK(table.folded());
  // Conservation: the groups plus the overflow hold every request, error, watch and nanosecond.
  GroupMetrics total = total_of(table);
  CHECK(total.requests == 6700);
  CHECK(total.errors == 715 + 500);  // tail i % 7 == 0, plus every heavy-b request
  CHECK(total.watches == 200);
  std::int64_t tail_cost = 0;
  for (int i = 0; i < 5000; ++i) tail_cost += 1000LL * (i % 97 + 1);
  CHECK(total.cost_ns == tail_cost + 1000 * 2'000'000LL + 500 * 3'000'000LL);

  report::TopReport top = report::build_top(table, summary(6700), report::SortKey::kRequests, 3);
  REQUIRE(top.rows.size() == 3);
  CHECK(top.rows[0].key[0] == "heavy-a");
  CHECK(top.rows[0].metrics.requests == 1000);
  CHECK(top.rows[0].metrics.errors == 0);
  CHECK(top.rows[0].metrics.cost_s == Approx(2.0));
  CHECK(top.rows[1].key[0] == "heavy-b");
  CHECK(top.rows[1].metrics.requests == 500);
  CHECK(top.rows[1].metrics.errors == 500);
  CHECK(top.rows[1].metrics.cost_s == Approx(1.5));
  CHECK(top.rows[2].key[0] == "heavy-c");
  CHECK(top.rows[2].metrics.requests == 200);
  CHECK(top.rows[2].metrics.watches == 200);
  REQUIRE(top.rows[0].metrics.first);
  CHECK(*top.rows[0].metrics.first == kT);
  CHECK(*top.rows[0].metrics.last == kT + 4995 * 1'000'000LL);
  // (other) = everything else: exactly the 5,000 tail requests.
  REQUIRE(top.other);
  CHECK(top.other->metrics.requests == 6700 - 1000 - 500 - 200);
  CHECK(top.other->metrics.errors == 715);
  CHECK(top.other->metrics.cost_s == Approx(static_cast<double>(tail_cost) / 1e9));
  CHECK(top.other->metrics.watches == 0);
  // About 5,003 distinct groups (a 0.4% sketch), minus the 3 shown.
  std::uint64_t distinct = table.distinct_groups();
  CHECK(distinct >= 4950);
  CHECK(distinct <= 5060);
  CHECK(top.other->groups == distinct - 3);
  REQUIRE(top.input.warnings.size() == 1);
  CHECK(top.input.warnings[0] ==
        "more than 256 distinct groups (about " + report::format_count(distinct) +
            "): to bound memory only groups with more than 52 requests are ranked, the rest are "
            "in (other) (--max-groups 0 ranks every group)");
  // Only groups above 2 * 6,700 / 256 = 52 requests are ranked, however large --top is.
  report::TopReport all = report::build_top(table, summary(6700), report::SortKey::kRequests, 0);
  REQUIRE(all.rows.size() == 3);
  REQUIRE(all.other);
  CHECK(all.other->metrics.requests == 5000);
  CHECK(all.other->groups == distinct - 3);
}

TEST_CASE("max-groups: 0 is unlimited and nothing folds at or under the bound", "[analyze][max-groups]") {
  std::vector<Request> requests = heavy_and_tail(5000);
  GroupTable unlimited({Dimension::kAgent}, 0);
  GroupTable exact_fit({Dimension::kAgent}, 5003);
  for (const Request& r : requests) {
    add(unlimited, r);
    add(exact_fit, r);
  }
  CHECK(unlimited.size() == 5003);
  CHECK_FALSE(unlimited.folded());
  CHECK(unlimited.distinct_groups() == 5003);
  CHECK(unlimited.overflow().requests == 0);
  CHECK(exact_fit.size() == 5003);
  CHECK_FALSE(exact_fit.folded());
  report::TopReport top = report::build_top(exact_fit, summary(6700), report::SortKey::kRequests, 3);
  REQUIRE(top.other);
  CHECK(top.other->groups == 5000);
  CHECK(top.other->metrics.requests == 5000);
  CHECK(top.input.warnings.empty());

  GroupTable one_short({Dimension::kAgent}, 5002);
  for (const Request& r : requests) add(one_short, r);
  CHECK(one_short.folded());
  CHECK(total_of(one_short).requests == 6700);
}

TEST_CASE("max-groups: the report is the same however the input is split and merged",
          "[analyze][max-groups]") {
  std::vector<Request> requests = heavy_and_tail(5000);
  // A heavy hitter new to a worker needs a second request before max_groups / 2 newer groups
  // arrive there: runs of at least 50 requests hold every heavy agent, and 128 > 50.
  GroupTable whole({Dimension::kAgent}, 256);
  for (const Request& r : requests) add(whole, r);
  REQUIRE(whole.folded());
  const std::string expected =
      fingerprint(report::build_top(whole, summary(6700), report::SortKey::kRequests, 3));

  std::mt19937 random(42);
  for (std::size_t parts : {2u, 3u, 8u}) {
    for (int trial = 0; trial < 3; ++trial) {
      std::vector<GroupTable> tables;
      for (std::size_t i = 0; i < parts; ++i) tables.emplace_back(std::vector{Dimension::kAgent}, 256);
      // Contiguous runs of random length go to random workers, like chunks to threads.
      std::size_t i = 0;
      while (i < requests.size()) {
        std::size_t run = 50 + random() % 350;
        GroupTable& table = tables[random() % parts];
        for (std::size_t end = std::min(requests.size(), i + run); i < end; ++i) add(table, requests[i]);
      }
      for (std::size_t t = 1; t < parts; ++t) tables[0].merge(tables[t]);
      CHECK(tables[0].size() <= 256);
      CHECK(total_of(tables[0]).requests == 6700);
      CHECK(fingerprint(report::build_top(tables[0], summary(6700), report::SortKey::kRequests, 3)) ==
            expected);
    }
  }
}

TEST_CASE("max-groups: merging unfolded tables folds only when the union is too big",
          "[analyze][max-groups]") {
  auto fill = [](GroupTable& table, int from, int to, int count) {
    for (int i = from; i < to; ++i) {
      for (int k = 0; k < count; ++k) add(table, {"agent-" + std::to_string(i), {kT, 1000, false, false}});
    }
  };
  GroupTable a({Dimension::kAgent}, 64), b({Dimension::kAgent}, 64);
  fill(a, 0, 40, 2);   // agent-0..39, 2 requests each
  fill(b, 20, 60, 1);  // agent-20..59, 1 request each: union of 60 groups fits
  a.merge(b);
  CHECK_FALSE(a.folded());
  CHECK(a.size() == 60);
  CHECK(a.distinct_groups() == 60);

  GroupTable c({Dimension::kAgent}, 64);
  fill(c, 60, 70, 6);  // 10 more groups with 6 requests each: 70 > 64 after the merge
  a.merge(c);
  CHECK(a.folded());
  CHECK(a.size() == 64);
  // The 6 smallest went to the overflow: 1-request groups (agent-40..59), the oldest first.
  CHECK(a.overflow().requests == 6);
  auto has = [&](const std::string& agent) {
    for (std::size_t g = 0; g < a.size(); ++g) {
      if (a.key(g, 0) == agent) return true;
    }
    return false;
  };
  for (int i = 0; i < 70; ++i) CHECK(has("agent-" + std::to_string(i)) == (i < 40 || i > 45));
  CHECK(total_of(a).requests == 40 * 2 + 40 + 60);
  CHECK(a.distinct_groups() >= 69);  // the sketch's estimate of the 70 keys seen
  CHECK(a.distinct_groups() <= 71);
  // Ranked: more than 2 * 180 / 64 = 5 requests, i.e. the ten 6-request groups only.
  report::TopReport top = report::build_top(a, summary(180), report::SortKey::kRequests, 20);
  REQUIRE(top.rows.size() == 10);
  for (const report::Row& row : top.rows) CHECK(row.metrics.requests == 6);
  REQUIRE(top.other);
  CHECK(top.other->metrics.requests == 180 - 60);
}

TEST_CASE("max-groups: memory stays bounded under a million distinct keys", "[analyze][max-groups]") {
  GroupTable table({Dimension::kUserAgent, Dimension::kVerb}, 1000);
  std::string agent;
  std::size_t largest = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    agent = "attacker-" + std::to_string(i) + "/v1.0 (linux/amd64) kubernetes/abcdef";
    std::string_view key[] = {agent, i % 3 == 0 ? "get" : "list"};
    table.add(key, {kT + i, 1000, false, false});
    if (i % 1000 == 0) largest = std::max(largest, table.memory_bytes());
  }
  CHECK(table.size() <= 1000);
  CHECK(table.overflow().requests + table.size() == 1'000'000);
  CHECK(largest < 1'000'000);  // ~1,000 groups of ~60-byte keys, not 1,000,000
  std::uint64_t distinct = table.distinct_groups();
  CHECK(distinct > 990'000);
  CHECK(distinct < 1'010'000);
}

TEST_CASE("DistinctSketch estimates within 2% and merges like a set union", "[analyze][max-groups]") {
  auto hash_of = [](std::uint64_t i) { return hash_bytes(std::to_string(i)); };
  for (std::uint64_t n : {100u, 5000u, 200000u}) {
    DistinctSketch whole, left, right;
    for (std::uint64_t i = 0; i < n; ++i) {
      whole.add(hash_of(i));
      whole.add(hash_of(i));  // duplicates change nothing
      (i % 3 == 0 ? left : right).add(hash_of(i));
      if (i % 2 == 0) left.add(hash_of(i));  // overlapping halves
    }
    double estimate = static_cast<double>(whole.estimate());
    CHECK(estimate >= 0.98 * static_cast<double>(n));
    CHECK(estimate <= 1.02 * static_cast<double>(n));
    left.merge(right);
    CHECK(left.estimate() == whole.estimate());
  }
  DistinctSketch empty;
  CHECK(empty.empty());
  CHECK(empty.estimate() == 0);
  CHECK(empty.memory_bytes() == 0);
}

}  // namespace
}  // namespace kubeblame::analyze
