// TimeHistogram: the largest hole is exact, and the state after any split and merge order equals
// the state of one histogram fed every time (so -j and chunk size never change a warning).
#include "kubeblame/analyze/time_histogram.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

namespace kubeblame::analyze {
namespace {

constexpr model::TimeNs kSecond = 1'000'000'000;
constexpr model::TimeNs kStart = 1740470400 * kSecond;  // 2025-02-25T08:00:00Z

struct Summary {
  std::uint64_t count;
  model::TimeNs first, last;
  std::int64_t width, spanned, filled;
  model::TimeNs gap_start, gap_end;
  std::int64_t gap_empty;
  bool operator==(const Summary&) const = default;
};

Summary summarize(const TimeHistogram& h) {
  auto gap = h.largest_gap();
  return {h.count(), h.first(), h.last(), h.bucket_width_ns(), h.spanned_buckets(),
          h.filled_buckets(), gap ? gap->start : -1, gap ? gap->end : -1,
          gap ? gap->empty_buckets : -1};
}

// Every 2 s for 3 hours, except nothing from 09:00:01 to 09:40:00.
std::vector<model::TimeNs> times_with_hole() {
  std::vector<model::TimeNs> times;
  for (model::TimeNs t = kStart; t < kStart + 3 * 3600 * kSecond; t += 2 * kSecond) {
    if (t > kStart + 3600 * kSecond && t < kStart + 6000 * kSecond) continue;
    times.push_back(t + 123456789);
  }
  return times;
}

TEST_CASE("TimeHistogram finds the largest hole exactly", "[analyze][histogram]") {
  TimeHistogram h;
  for (model::TimeNs t : times_with_hole()) h.add(t);
  auto gap = h.largest_gap();
  REQUIRE(gap);
  CHECK(gap->start == kStart + 3600 * kSecond + 123456789);
  CHECK(gap->end == kStart + 6000 * kSecond + 123456789);
  CHECK(h.count() == 1800 + 1 + 2400);
  CHECK(h.first() == kStart + 123456789);
  CHECK(h.spanned_buckets() <= static_cast<std::int64_t>(TimeHistogram::kBuckets));
  CHECK(h.spanned_buckets() > static_cast<std::int64_t>(TimeHistogram::kBuckets / 2));
  CHECK(h.filled_buckets() == h.spanned_buckets() - gap->empty_buckets);
}

TEST_CASE("TimeHistogram gives the same state for any split and merge order",
          "[analyze][histogram]") {
  std::vector<model::TimeNs> times = times_with_hole();
  times.push_back(kStart - 86400 * kSecond);  // one straggler a day early forces coarsening
  TimeHistogram whole;
  for (model::TimeNs t : times) whole.add(t);
  Summary expected = summarize(whole);
  CHECK(expected.gap_start == kStart - 86400 * kSecond);

  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(times.begin(), times.end(), rng);
    std::size_t parts = 2 + static_cast<std::size_t>(round % 7);
    std::vector<TimeHistogram> shards(parts);
    for (std::size_t i = 0; i < times.size(); ++i) shards[(i * 31 + static_cast<std::size_t>(round)) % parts].add(times[i]);
    std::shuffle(shards.begin(), shards.end(), rng);
    TimeHistogram merged;
    for (const TimeHistogram& shard : shards) merged.merge(shard);
    REQUIRE(summarize(merged) == expected);
  }
}

TEST_CASE("TimeHistogram with fewer than two buckets has no hole", "[analyze][histogram]") {
  TimeHistogram empty;
  CHECK_FALSE(empty.largest_gap());
  CHECK(empty.spanned_buckets() == 0);
  TimeHistogram one;
  one.add(kStart);
  one.add(kStart + 1);
  CHECK_FALSE(one.largest_gap());
  CHECK(one.count() == 2);
  TimeHistogram merged;
  merged.merge(empty);
  merged.merge(one);
  CHECK(summarize(merged) == summarize(one));
}

TEST_CASE("TimeHistogram spans any int64 range", "[analyze][histogram]") {
  TimeHistogram h;
  h.add(std::numeric_limits<model::TimeNs>::min());
  h.add(std::numeric_limits<model::TimeNs>::max());
  h.add(kStart);
  auto gap = h.largest_gap();
  REQUIRE(gap);
  CHECK(gap->start == std::numeric_limits<model::TimeNs>::min());
  CHECK(gap->end == kStart);
  CHECK(h.spanned_buckets() <= static_cast<std::int64_t>(TimeHistogram::kBuckets));
}

}  // namespace
}  // namespace kubeblame::analyze
