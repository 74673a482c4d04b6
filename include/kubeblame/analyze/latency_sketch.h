// A mergeable latency histogram with bounded relative error, for percentiles per group.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace kubeblame::analyze {

// Small groups keep their values exactly (up to kExactValues), so their percentiles are the
// measured latencies. Beyond that, log-linear buckets over microseconds: values below 128 µs are
// exact; above, each power of two is split into 64 equal buckets, so a bucket's midpoint is
// within 1/128 (0.8%) of any value in it. Which representation a sketch ends in depends only on
// its total count, and counts add, so merging shards gives the same result in any order. Memory
// grows with the spread of the values seen (a contiguous bucket range), not with their number.
class LatencySketch {
 public:
  // The parts of a sketch as Log Analytics computes them (docs/kql.md): per-bucket counts, the
  // values themselves when there are at most kExactValues, and min and max. Rebuilds the sketch
  // add() would have built from those values (for exact values: the same values, sorted); nullopt
  // when the parts disagree (counts not summing to `total`, a value outside its bucket's count,
  // min or max outside the filled buckets).
  static std::optional<LatencySketch> from_parts(
      const std::vector<std::pair<std::uint32_t, std::uint64_t>>& histogram,
      std::vector<std::int64_t> exact, std::int64_t min_us, std::int64_t max_us,
      std::uint64_t total);
  bool operator==(const LatencySketch& other) const = default;
  void add(std::int64_t micros);
  // Asks the CPU to fetch the counter add(micros) will increment (a cache miss per group
  // otherwise: each group's buckets are a few KB, too many for the L2 cache).
  void prefetch(std::int64_t micros) const {
    if (total_ < kExactValues || counts_.empty() || micros < 0) return;
    std::uint32_t bucket = bucket_of(static_cast<std::uint64_t>(micros));
    if (bucket >= offset_ && bucket - offset_ < counts_.size()) __builtin_prefetch(&counts_[bucket - offset_], 1);
  }
  void merge(const LatencySketch& other);
  // Nearest-rank quantile in microseconds (0 when empty), clamped to the exact min and max.
  double quantile(double q) const;
  std::uint64_t count() const { return total_; }

  static constexpr std::size_t kExactValues = 64;
  static std::uint32_t bucket_of(std::uint64_t micros);
  static double bucket_midpoint(std::uint32_t bucket);

 private:
  void ensure(std::uint32_t bucket);
  void add_to_buckets(std::int64_t micros);
  void spill_exact();
  void merge_buckets(const LatencySketch& other);
  bool set_buckets(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& histogram);

  std::vector<std::int64_t> exact_;  // while total_ <= kExactValues
  std::vector<std::uint32_t> counts_;
  std::uint32_t offset_ = 0;  // bucket index of counts_[0]
  std::uint64_t total_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace kubeblame::analyze
