// SeenEvents: exact up to its bound, a sliding window past it, the first copy's input, and two
// threads sharing one set.
#include "kubeblame/analyze/seen_events.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>

#include "kubeblame/analyze/input_stats.h"
#include "kubeblame/analyze/shard.h"

namespace kubeblame::analyze {
namespace {

using model::Stage;

// Distinct, well-spread keys (splitmix64 of i), as SeenEvents::key would give.
std::uint64_t nth_key(std::uint64_t i) {
  std::uint64_t z = i * 0x9E3779B97F4A7C15ull + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// How many of keys [from, to) the set already held.
std::uint64_t count_known(SeenEvents& seen, std::uint64_t from, std::uint64_t to, std::uint32_t input) {
  std::uint64_t known = 0;
  for (std::uint64_t i = from; i < to; ++i) known += seen.insert(nth_key(i), input).has_value() ? 1 : 0;
  return known;
}

TEST_CASE("SeenEvents keys are auditID and stage", "[analyze][seen_events]") {
  CHECK(SeenEvents::key("4d2f", Stage::kResponseComplete) == SeenEvents::key("4d2f", Stage::kResponseComplete));
  CHECK(SeenEvents::key("4d2f", Stage::kResponseComplete) != SeenEvents::key("4d2f", Stage::kRequestReceived));
  CHECK(SeenEvents::key("4d2f", Stage::kResponseComplete) != SeenEvents::key("4d2e", Stage::kResponseComplete));
}

TEST_CASE("SeenEvents gives the input of the first copy", "[analyze][seen_events]") {
  SeenEvents seen;
  std::uint64_t key = SeenEvents::key("a1", Stage::kResponseComplete);
  CHECK_FALSE(seen.insert(key, 3).has_value());
  CHECK(seen.insert(key, 5) == std::optional<std::uint32_t>(3));
  CHECK(seen.insert(key, 1) == std::optional<std::uint32_t>(3));
  // Input indexes past 20 bits share the last value.
  std::uint64_t late = SeenEvents::key("a2", Stage::kResponseComplete);
  CHECK_FALSE(seen.insert(late, 5'000'000).has_value());
  CHECK(seen.insert(late, 0) == std::optional<std::uint32_t>(SeenEvents::kLastInput));
  CHECK_FALSE(seen.forgot());
}

TEST_CASE("SeenEvents is exact up to two generations, then a window", "[analyze][seen_events]") {
  SeenEvents seen(SeenEvents::Limits{1, 8});  // one stripe: the bound is exactly 16 keys
  CHECK(count_known(seen, 0, 16, 0) == 0);
  CHECK(count_known(seen, 0, 16, 1) == 16);  // all 16 still known
  CHECK_FALSE(seen.forgot());
  // The 17th key starts a third generation: keys 0-7 are forgotten, 8-15 are kept.
  CHECK(count_known(seen, 16, 17, 0) == 0);
  CHECK(seen.forgot());
  CHECK(count_known(seen, 8, 17, 1) == 9);
  CHECK(count_known(seen, 0, 1, 1) == 0);  // forgotten: new again
}

TEST_CASE("SeenEvents with stripes keeps the most recent keys past the bound", "[analyze][seen_events]") {
  SeenEvents seen(SeenEvents::Limits{4, 1000});
  CHECK(count_known(seen, 0, 20000, 0) == 0);
  CHECK(seen.forgot());
  // Each stripe keeps its last 1,000 to 2,000 first-seen keys: the last 3,000 (about 750 a
  // stripe) are all there, the first 10,000 (2,500 newer keys a stripe) all gone.
  CHECK(count_known(seen, 17000, 20000, 1) == 3000);
  SeenEvents again(SeenEvents::Limits{4, 1000});
  count_known(again, 0, 20000, 0);
  CHECK(count_known(again, 0, 10000, 1) == 0);
}

TEST_CASE("SeenEvents is exact at its documented bound", "[analyze][seen_events]") {
  SeenEvents seen;
  CHECK(count_known(seen, 0, SeenEvents::kExactKeys, 0) == 0);
  CHECK(count_known(seen, 0, SeenEvents::kExactKeys, 1) == SeenEvents::kExactKeys);
  CHECK_FALSE(seen.forgot());
  CHECK(seen.memory_bytes() <= 48u << 20);  // two full generations in every stripe at most
}

TEST_CASE("SeenEvents counts each key once across two threads", "[analyze][seen_events]") {
  SeenEvents seen;
  constexpr std::uint64_t kPerThread = 200000;
  std::atomic<std::uint64_t> duplicates{0};
  std::atomic<std::uint64_t> wrong_input{0};
  auto work = [&](std::uint64_t from, std::uint32_t input) {
    for (std::uint64_t i = from; i < from + kPerThread; ++i) {
      auto first = seen.insert(nth_key(i), input);
      if (!first) continue;
      ++duplicates;
      if (*first == input) ++wrong_input;  // each thread's own keys are distinct
    }
  };
  std::thread a(work, 0, 0);
  std::thread b(work, kPerThread / 2, 1);  // half of b's keys are a's too
  a.join();
  b.join();
  CHECK(duplicates == kPerThread / 2);
  CHECK(wrong_input == 0);
  CHECK_FALSE(seen.forgot());
}

model::AuditEvent request(std::string_view audit_id, Stage stage) {
  model::AuditEvent e;
  e.audit_id = audit_id;
  e.stage = stage;
  e.verb = "get";
  e.code = 200;
  e.user_agent = "kubectl/v1.30";
  return e;
}

TEST_CASE("Shard counts an event read twice once", "[analyze][seen_events][shard]") {
  AnalysisPlan plan;
  plan.groupings = {{Dimension::kVerb}};
  SeenEvents seen;
  Shard first(plan);
  Shard second(plan);  // another worker: copies of one event land in different shards
  first.set_seen_events(&seen);
  second.set_seen_events(&seen);
  first.set_position(0, 1);
  first.on_event(request("a", Stage::kResponseComplete), decode::Format::kAuditJsonLines);
  first.on_event(request("a", Stage::kRequestReceived), decode::Format::kAuditJsonLines);
  first.on_event(request("", Stage::kResponseComplete), decode::Format::kAuditJsonLines);
  second.set_position(1, 1);
  second.on_event(request("a", Stage::kResponseComplete), decode::Format::kAksAuditAzJson);
  second.on_event(request("", Stage::kResponseComplete), decode::Format::kAksAuditAzJson);  // no auditID: kept
  second.set_position(2, 9);
  second.on_event(request("a", Stage::kRequestReceived), decode::Format::kAksAuditAzJson);
  first.merge(second);
  const InputStats& s = first.stats();
  CHECK(s.lines == 6);
  CHECK(s.decoded == 6);
  CHECK(s.events == 4);
  CHECK(s.requests == 3);
  CHECK(s.duplicates == 2);
  CHECK(s.lines == s.decoded + s.filtered + s.skipped_total());
  CHECK(s.decoded == s.events + s.log_lines + s.duplicates);
  using Pair = std::pair<std::uint32_t, std::uint32_t>;
  CHECK(s.overlaps == std::map<Pair, std::uint64_t>{{Pair{0, 1}, 1}, {Pair{0, 2}, 1}});
  CHECK(s.formats[static_cast<std::size_t>(decode::Format::kAksAuditAzJson)] == 3);  // records read
  CHECK(first.tables()[0].metrics(0).requests == 3);
}

}  // namespace
}  // namespace kubeblame::analyze
