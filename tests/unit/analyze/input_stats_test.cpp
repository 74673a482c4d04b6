// InputStats: skip samples keep the earliest (input, line) pairs whatever the insertion order;
// merge adds every counter.
#include "kubeblame/analyze/input_stats.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

namespace kubeblame::analyze {
namespace {

using Key = std::pair<std::uint32_t, std::uint64_t>;

std::vector<Key> keys_of(const InputStats& stats) {
  std::vector<Key> keys;
  for (const SkipSample& s : stats.samples) keys.emplace_back(s.input, s.line);
  return keys;
}

TEST_CASE("InputStats keeps the earliest five samples in any insertion order", "[analyze]") {
  std::vector<SkipSample> all;
  for (std::uint32_t input = 0; input < 3; ++input) {
    for (std::uint64_t line : {900, 7, 120, 3, 45}) all.push_back({input, line, decode::SkipReason::kTruncated});
  }
  const std::vector<Key> expected{{0, 3}, {0, 7}, {0, 45}, {0, 120}, {0, 900}};
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    std::shuffle(all.begin(), all.end(), rng);
    InputStats stats;
    for (const SkipSample& s : all) stats.add_sample(s);
    REQUIRE(keys_of(stats) == expected);
  }
  InputStats few;
  few.add_sample({2, 1, decode::SkipReason::kNotAudit});
  few.add_sample({1, 99, decode::SkipReason::kMalformedJson});
  CHECK(keys_of(few) == std::vector<Key>{{1, 99}, {2, 1}});
  CHECK(few.samples[0].reason == decode::SkipReason::kMalformedJson);
}

TEST_CASE("InputStats::merge adds counters and keeps the earliest samples", "[analyze]") {
  InputStats a, b;
  a.lines = 10;
  a.decoded = 7;
  a.events = 7;
  a.requests = 5;
  a.filtered = 1;
  a.skipped[static_cast<std::size_t>(decode::SkipReason::kTruncated)] = 2;
  a.formats[static_cast<std::size_t>(decode::Format::kAuditJsonLines)] = 10;
  a.first = 100;
  a.last = 200;
  for (std::uint64_t line = 10; line < 16; ++line) a.add_sample({1, line, decode::SkipReason::kTruncated});
  b.lines = 4;
  b.decoded = 3;
  b.events = 3;
  b.requests = 3;
  b.skipped[static_cast<std::size_t>(decode::SkipReason::kNotAudit)] = 1;
  b.formats[static_cast<std::size_t>(decode::Format::kAzureStorage)] = 4;
  b.first = 50;
  b.last = 150;
  a.admin_events[static_cast<std::size_t>(decode::AdminSource::kKubeAuditAdmin)] = 2;
  b.admin_events[static_cast<std::size_t>(decode::AdminSource::kKubeAuditAdmin)] = 3;
  b.admin_events[static_cast<std::size_t>(decode::AdminSource::kAksAuditAdmin)] = 1;
  b.add_sample({0, 500, decode::SkipReason::kNotAudit});
  b.add_sample({1, 12, decode::SkipReason::kNotAudit});
  a.merge(b);
  CHECK(a.lines == 14);
  CHECK(a.decoded == 10);
  CHECK(a.events == 10);
  CHECK(a.requests == 8);
  CHECK(a.filtered == 1);
  CHECK(a.skipped_total() == 3);
  CHECK(a.formats[static_cast<std::size_t>(decode::Format::kAuditJsonLines)] == 10);
  CHECK(a.formats[static_cast<std::size_t>(decode::Format::kAzureStorage)] == 4);
  CHECK(a.first == 50);
  CHECK(a.last == 200);
  CHECK(a.admin_events == std::array<std::uint64_t, decode::kAdminSourceCount>{1, 0, 5});
  CHECK(keys_of(a) == std::vector<Key>{{0, 500}, {1, 10}, {1, 11}, {1, 12}, {1, 12}});
  InputStats empty;
  CHECK_FALSE(empty.has_time());
  CHECK(a.has_time());
}

}  // namespace
}  // namespace kubeblame::analyze
