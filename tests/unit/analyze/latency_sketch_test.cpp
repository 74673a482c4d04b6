// LatencySketch: exact below 128 µs, within 1% of exact nearest-rank quantiles above, and
// merging two sketches gives the sketch of the union.
#include "kubeblame/analyze/latency_sketch.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace kubeblame::analyze {
namespace {

// Nearest rank: the smallest value with at least q·n values at or below it.
double exact_quantile(std::vector<std::int64_t> values, double q) {
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  rank = std::clamp<std::size_t>(rank, 1, values.size());
  return static_cast<double>(values[rank - 1]);
}

const double kQuantiles[] = {0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};

TEST_CASE("LatencySketch is exact below 128 µs", "[analyze][sketch]") {
  LatencySketch sketch;
  CHECK(sketch.quantile(0.5) == 0);
  CHECK(sketch.count() == 0);
  std::vector<std::int64_t> values;  // enough values to leave any small-count special case
  for (int round = 0; round < 3; ++round) {
    for (std::int64_t v = 127; v >= 0; v -= 2 + round) values.push_back(v);
  }
  for (std::int64_t v : values) sketch.add(v);
  CHECK(sketch.count() == values.size());
  for (double q : kQuantiles) {
    INFO(q);
    CHECK(sketch.quantile(q) == exact_quantile(values, q));
  }
  LatencySketch three;
  for (std::int64_t v : {5, 17, 100}) three.add(v);
  CHECK(three.quantile(0.5) == 17);
  CHECK(three.quantile(0.0) == 5);
  CHECK(three.quantile(1.0) == 100);
  CHECK(three.quantile(0.34) == 17);
  CHECK(three.quantile(0.33) == 5);  // ceil(0.99) = rank 1
  CHECK(three.quantile(0.67) == 100);
}

TEST_CASE("LatencySketch clamps to the exact min and max and treats negatives as 0",
          "[analyze][sketch]") {
  LatencySketch one;
  one.add(123457);
  for (double q : kQuantiles) CHECK(one.quantile(q) == 123457);
  LatencySketch negative;
  negative.add(-50);
  CHECK(negative.quantile(0.5) == 0);
}

TEST_CASE("LatencySketch stays within 1% of the exact quantiles", "[analyze][sketch]") {
  std::mt19937_64 rng(20240630);
  struct Spread {
    const char* name;
    double log_low, log_high;
  };
  const Spread spreads[] = {{"narrow", 3.0, 3.3},   // ~1-2 ms
                            {"typical", 2.0, 6.0},  // 100 µs .. 1 s
                            {"wide", 0.0, 11.0}};   // 1 µs .. a day
  for (const Spread& spread : spreads) {
    std::uniform_real_distribution<double> exponent(spread.log_low, spread.log_high);
    std::vector<std::int64_t> values;
    LatencySketch sketch;
    for (int i = 0; i < 20000; ++i) {
      auto v = static_cast<std::int64_t>(std::pow(10.0, exponent(rng)));
      values.push_back(v);
      sketch.add(v);
    }
    for (double q : kQuantiles) {
      double exact = exact_quantile(values, q);
      double approx = sketch.quantile(q);
      INFO(spread.name << " q=" << q << " exact " << exact << " sketch " << approx);
      CHECK(std::abs(approx - exact) <= 0.01 * exact);
    }
  }
}

TEST_CASE("LatencySketch buckets: every value is within 1/128 of its bucket's midpoint",
          "[analyze][sketch]") {
  std::uint32_t previous = 0;
  for (std::uint64_t v = 0; v < 300000; v += (v < 1000 ? 1 : 37)) {
    std::uint32_t bucket = LatencySketch::bucket_of(v);
    CHECK(bucket >= previous);  // monotonic
    previous = bucket;
    double mid = LatencySketch::bucket_midpoint(bucket);
    if (v < 128) {
      REQUIRE(mid == static_cast<double>(v));
    } else if (std::abs(mid - static_cast<double>(v)) > static_cast<double>(v) / 128.0) {
      FAIL("value " << v << " bucket " << bucket << " midpoint " << mid);
    }
  }
  for (std::uint64_t v : {std::uint64_t{1} << 40, (std::uint64_t{1} << 50) + 12345}) {
    double mid = LatencySketch::bucket_midpoint(LatencySketch::bucket_of(v));
    CHECK(std::abs(mid - static_cast<double>(v)) <= static_cast<double>(v) / 128.0);
  }
}

TEST_CASE("LatencySketch merge equals the sketch of the union", "[analyze][sketch]") {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> small(0, 500);
  std::uniform_int_distribution<std::int64_t> large(100000, 90000000);
  LatencySketch a, b, all;
  for (int i = 0; i < 3000; ++i) {
    std::int64_t x = small(rng);
    std::int64_t y = large(rng);
    a.add(x);
    b.add(y);
    all.add(x);
    all.add(y);
  }
  LatencySketch ab = a;
  ab.merge(b);
  LatencySketch ba = b;
  ba.merge(a);
  CHECK(ab.count() == all.count());
  for (double q : kQuantiles) {
    INFO(q);
    CHECK(ab.quantile(q) == all.quantile(q));
    CHECK(ba.quantile(q) == all.quantile(q));
  }
  LatencySketch empty;
  LatencySketch copy = all;
  copy.merge(empty);
  empty.merge(all);
  for (double q : kQuantiles) {
    CHECK(copy.quantile(q) == all.quantile(q));
    CHECK(empty.quantile(q) == all.quantile(q));
  }
}

TEST_CASE("LatencySketch merge of small sketches equals the sketch of the union",
          "[analyze][sketch]") {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::int64_t> value(0, 5'000'000);
  for (auto [left, right] : {std::pair{1, 1}, {30, 30}, {40, 40}, {64, 1}, {1, 64}, {100, 3}}) {
    LatencySketch a, b, all;
    for (int i = 0; i < left; ++i) {
      std::int64_t v = value(rng);
      a.add(v);
      all.add(v);
    }
    for (int i = 0; i < right; ++i) {
      std::int64_t v = value(rng);
      b.add(v);
      all.add(v);
    }
    a.merge(b);
    INFO(left << " + " << right);
    REQUIRE(a.count() == all.count());
    for (double q : kQuantiles) CHECK(a.quantile(q) == all.quantile(q));
  }
}

}  // namespace
}  // namespace kubeblame::analyze
