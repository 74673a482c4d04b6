// Per-object memory of the fight detector: a million distinct objects written once each (pod
// creates) cost well under 100 bytes apiece, and --max-objects bounds the total.
#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/fights/fight_analyzer.h"

namespace kubeblame::analyze {
namespace {

// Pod creates by the ReplicaSet controller, one per object; names from `name_of(i)`.
template <typename NameOf>
void create_objects(FightAnalyzer& analyzer, int first, int count, NameOf name_of) {
  DimensionValues values;
  std::string name;
  model::AuditEvent e;
  e.stage = model::Stage::kResponseComplete;
  e.verb = "create";
  e.username = "system:serviceaccount:kube-system:replicaset-controller";
  e.user_agent = "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819";
  e.request_uri = "/api/v1/namespaces/shop/pods";
  e.has_object_ref = true;
  e.object_ref.resource = "pods";
  e.object_ref.namespace_name = "shop";
  e.code = 201;
  e.request_object = R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}})";
  for (int i = first; i < first + count; ++i) {
    name = name_of(i);
    e.object_ref.name = name;
    e.received = 1'740'473'537'000'000'000LL + i * 1'000'000LL;
    values.reset(e);
    analyzer.on_event(e, true, values, EventPosition{0, static_cast<std::uint64_t>(i) + 1});
  }
}

void create_pods(FightAnalyzer& analyzer, int count) {
  create_objects(analyzer, 0, count, [](int i) {
    return "web-7d9c5b8f4-" + std::to_string(1000000 + i);  // 21 bytes, like real pod names
  });
}

TEST_CASE("a million objects written once cost under 96 bytes each", "[fights][memory]") {
  FightAnalyzer analyzer(FightOptions{});
  create_pods(analyzer, 1'000'000);
  REQUIRE(analyzer.object_count() == 1'000'000);
  CHECK(analyzer.object_sample_level() == 0);
  double per_object = static_cast<double>(analyzer.memory_bytes()) / 1e6;
  CAPTURE(per_object);
  CHECK(per_object < 96);  // measured: 80.9 (48 state + 21 name + table + vector slack)
  for (std::size_t i = 0; i < analyzer.object_count(); i += 99'991) {
    CHECK(analyzer.detail(analyzer.object(i)) == nullptr);  // nothing beyond the inline write
  }
}

TEST_CASE("a create and a delete take a pair slot, not a detail", "[fights][memory]") {
  FightAnalyzer analyzer(FightOptions{});
  create_pods(analyzer, 1000);
  std::size_t singles = analyzer.memory_bytes();
  create_pods(analyzer, 1000);  // the same pods written again
  REQUIRE(analyzer.object_count() == 1000);
  for (std::size_t i = 0; i < analyzer.object_count(); ++i) {
    CHECK(analyzer.object(i).writes == 2);
    CHECK(analyzer.detail(analyzer.object(i)) == nullptr);
  }
  CHECK(analyzer.memory_bytes() - singles < 1000 * 40);
  // A third write makes a detail with all three.
  create_pods(analyzer, 1);
  const ObjectDetail* detail = analyzer.detail(analyzer.object(0));
  REQUIRE(detail != nullptr);
  CHECK(detail->window.size() == 3);
  REQUIRE(detail->writers.size() == 1);
  CHECK(detail->writers[0].writes == 3);
  CHECK(detail->writers[0].first == 1'740'473'537'000'000'000LL);
  CHECK(detail->body_writes == 3);
}

TEST_CASE("max_objects bounds the objects kept, by hash of the name", "[fights][memory]") {
  FightOptions options;
  options.max_objects = 10'000;
  FightAnalyzer analyzer(options);
  create_pods(analyzer, 100'000);
  CHECK(analyzer.object_count() <= 10'000);
  CHECK(analyzer.object_count() > 10'000 / 4);
  CHECK(analyzer.object_sample_level() == 4);  // 1 in 16 of 100,000 fits in 10,000
}

}  // namespace
}  // namespace kubeblame::analyze

namespace kubeblame::analyze {
namespace {

// Regression (found by bench/run.sh: `fights` on 1 GB crashed one run in four during the merge):
// when names filled a 1 MiB name block exactly, the next name was written to a block that did
// not exist. 65,536 names of 16 bytes fill the first block to the byte.
TEST_CASE("object names that fill a name block exactly", "[fights][memory]") {
  auto name_of = [](int i) { return "cm-" + std::to_string(1'000'000'000'000 + i); };  // 16 bytes
  auto fill = [&](FightAnalyzer& analyzer, int first, int count) {
    create_objects(analyzer, first, count, name_of);
  };
  FightAnalyzer a(FightOptions{});
  FightAnalyzer b(FightOptions{});
  fill(a, 0, 65'536 + 3);
  fill(b, 50'000, 65'536 + 3);
  for (std::size_t i : {std::size_t{0}, std::size_t{65'535}, std::size_t{65'536}, std::size_t{65'538}}) {
    CHECK(a.name(a.object(i)) == "cm-" + std::to_string(1'000'000'000'000 + i));
  }
  a.merge(b);
  CHECK(a.object_count() == 50'000 + 65'536 + 3);
  const ObjectState& last = a.object(a.object_count() - 1);
  CHECK(a.name(last) == "cm-" + std::to_string(1'000'000'000'000 + 50'000 + 65'536 + 2));
}

}  // namespace
}  // namespace kubeblame::analyze
