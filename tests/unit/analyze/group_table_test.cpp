// GroupTable: requests land in the group of their key; merging split tables equals adding
// everything to one table.
#include "kubeblame/analyze/group_table.h"

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace kubeblame::analyze {
namespace {

struct Snapshot {
  std::uint64_t requests, errors, watches;
  std::int64_t cost_ns, max_ns;
  model::TimeNs first, last;
  std::uint64_t latency_count;
  double p50, p99;
  bool operator==(const Snapshot&) const = default;
};

std::map<std::vector<std::string>, Snapshot> snapshot(const GroupTable& table) {
  std::map<std::vector<std::string>, Snapshot> out;
  for (std::size_t g = 0; g < table.size(); ++g) {
    std::vector<std::string> key;
    for (std::size_t d = 0; d < table.dimensions().size(); ++d) key.emplace_back(table.key(g, d));
    const GroupMetrics& m = table.metrics(g);
    REQUIRE(out.count(key) == 0);  // one group per key
    out[key] = {m.requests, m.errors,  m.watches,         m.cost_ns,
                m.max_ns,   m.first,   m.last,            m.latency.count(),
                m.latency.quantile(0.5), m.latency.quantile(0.99)};
  }
  return out;
}

void add(GroupTable& table, const std::vector<std::string>& key, const RequestFacts& facts) {
  std::vector<std::string_view> views(key.begin(), key.end());
  table.add(views, facts);
}

TEST_CASE("GroupTable accumulates requests per key", "[analyze][group]") {
  GroupTable table({Dimension::kAgent, Dimension::kVerb});
  CHECK(table.dimensions() == std::vector<Dimension>{Dimension::kAgent, Dimension::kVerb});
  add(table, {"kubectl", "get"}, {100, 2'000'000, false, false});
  add(table, {"kubectl", "get"}, {300, 4'000'000, true, false});
  add(table, {"kubectl", "list"}, {200, -1, false, false});
  add(table, {"argocd", "watch"}, {0, -1, false, true});
  // The same text in another position is another key.
  add(table, {"get", "kubectl"}, {50, 1000, false, false});
  REQUIRE(table.size() == 4);
  auto s = snapshot(table);
  const Snapshot& get = s.at({"kubectl", "get"});
  CHECK(get.requests == 2);
  CHECK(get.errors == 1);
  CHECK(get.watches == 0);
  CHECK(get.cost_ns == 6'000'000);
  CHECK(get.max_ns == 4'000'000);
  CHECK(get.first == 100);
  CHECK(get.last == 300);
  CHECK(get.latency_count == 2);
  CHECK(get.p50 == Approx(2000).epsilon(0.01));
  CHECK(get.p99 == Approx(4000).epsilon(0.01));
  const Snapshot& list = s.at({"kubectl", "list"});
  CHECK(list.requests == 1);
  CHECK(list.latency_count == 0);
  CHECK(list.cost_ns == 0);
  CHECK(list.max_ns == -1);
  const Snapshot& watch = s.at({"argocd", "watch"});
  CHECK(watch.watches == 1);
  CHECK(watch.first > watch.last);  // no time: the span stays empty
  CHECK(s.at({"get", "kubectl"}).requests == 1);
}

TEST_CASE("GroupTable merge equals one table of everything", "[analyze][group]") {
  const std::vector<Dimension> dims{Dimension::kUser, Dimension::kVerb, Dimension::kResource};
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<int> pick(0, 39);
  std::uniform_int_distribution<std::int64_t> latency(-1, 5'000'000'000);
  std::uniform_int_distribution<model::TimeNs> time(0, 1'000'000'000'000);
  const char* verbs[] = {"get", "list", "watch", "patch", "update"};
  GroupTable all(dims), left(dims), right(dims), empty(dims);
  for (int i = 0; i < 5000; ++i) {
    int u = pick(rng);
    std::vector<std::string> key{"user-" + std::to_string(u), verbs[u % 5],
                                 "resource-" + std::to_string(pick(rng) % 7)};
    RequestFacts facts{time(rng), latency(rng), u % 3 == 0, u % 5 == 2};
    add(all, key, facts);
    add(i % 3 == 0 ? left : right, key, facts);
  }
  REQUIRE(all.size() > 64);  // the slot table had to grow
  GroupTable merged(dims);
  merged.merge(left);
  merged.merge(right);
  merged.merge(empty);
  CHECK(snapshot(merged) == snapshot(all));
  GroupTable other_order(dims);
  other_order.merge(right);
  other_order.merge(left);
  CHECK(snapshot(other_order) == snapshot(all));
  CHECK(all.memory_bytes() > 0);
}

TEST_CASE("GroupMetrics::add counts latency only when known", "[analyze][group]") {
  GroupMetrics m;
  m.add({10, 0, false, false});
  m.add({20, -1, true, true});
  CHECK(m.requests == 2);
  CHECK(m.errors == 1);
  CHECK(m.watches == 1);
  CHECK(m.cost_ns == 0);
  CHECK(m.max_ns == 0);
  CHECK(m.latency.count() == 1);
  CHECK(m.first == 10);
  CHECK(m.last == 20);
}

}  // namespace
}  // namespace kubeblame::analyze
