// Log-linear latency buckets (the HdrHistogram layout with 64 sub-buckets per power of two).
#include "kubeblame/analyze/latency_sketch.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace kubeblame::analyze {

namespace {
constexpr std::uint32_t kSubBits = 6;                 // 64 sub-buckets per power of two
constexpr std::uint64_t kExactLimit = 2u << kSubBits;  // 128: below this, one bucket per value
}  // namespace

std::uint32_t LatencySketch::bucket_of(std::uint64_t micros) {
  if (micros < kExactLimit) return static_cast<std::uint32_t>(micros);
  int msb = 63 - std::countl_zero(micros);
  int shift = msb - static_cast<int>(kSubBits);
  std::uint64_t sub = (micros >> shift) - (1u << kSubBits);
  return static_cast<std::uint32_t>((static_cast<std::uint64_t>(shift + 1) << kSubBits) + sub);
}

double LatencySketch::bucket_midpoint(std::uint32_t bucket) {
  if (bucket < kExactLimit) return bucket;
  std::uint32_t shift = (bucket >> kSubBits) - 1;
  std::uint64_t sub = bucket & ((1u << kSubBits) - 1);
  std::uint64_t low = ((1u << kSubBits) + sub) << shift;
  std::uint64_t width = std::uint64_t{1} << shift;
  return static_cast<double>(low) + static_cast<double>(width - 1) / 2.0;
}

void LatencySketch::ensure(std::uint32_t bucket) {
  if (counts_.empty()) {
    offset_ = bucket;
    counts_.assign(1, 0);
    return;
  }
  if (bucket < offset_) {
    counts_.insert(counts_.begin(), offset_ - bucket, 0);
    offset_ = bucket;
  } else if (bucket >= offset_ + counts_.size()) {
    counts_.resize(bucket - offset_ + 1, 0);
  }
}

void LatencySketch::add_to_buckets(std::int64_t micros) {
  std::uint32_t bucket = bucket_of(static_cast<std::uint64_t>(micros));
  ensure(bucket);
  ++counts_[bucket - offset_];
}

void LatencySketch::spill_exact() {
  for (std::int64_t v : exact_) add_to_buckets(v);
  exact_.clear();
  exact_.shrink_to_fit();
}

void LatencySketch::add(std::int64_t micros) {
  if (micros < 0) micros = 0;
  if (total_ == 0) {
    min_ = max_ = micros;
  } else {
    min_ = std::min(min_, micros);
    max_ = std::max(max_, micros);
  }
  ++total_;
  if (total_ <= kExactValues) {
    exact_.push_back(micros);
    return;
  }
  if (!exact_.empty()) spill_exact();
  add_to_buckets(micros);
}

void LatencySketch::merge(const LatencySketch& other) {
  if (other.total_ == 0) return;
  std::uint64_t total = total_ + other.total_;
  if (total <= kExactValues) {
    exact_.insert(exact_.end(), other.exact_.begin(), other.exact_.end());
  } else {
    if (!exact_.empty()) spill_exact();
    for (std::int64_t v : other.exact_) add_to_buckets(v);
    if (!other.counts_.empty()) merge_buckets(other);
  }
  if (total_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  total_ = total;
}

void LatencySketch::merge_buckets(const LatencySketch& other) {
  ensure(other.offset_);
  ensure(other.offset_ + static_cast<std::uint32_t>(other.counts_.size()) - 1);
  for (std::size_t i = 0; i < other.counts_.size(); ++i) {
    counts_[other.offset_ + i - offset_] += other.counts_[i];
  }
}

double LatencySketch::quantile(double q) const {
  if (total_ == 0) return 0;
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_)));
  rank = std::clamp<std::uint64_t>(rank, 1, total_);
  if (!exact_.empty()) {
    std::vector<std::int64_t> sorted = exact_;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(rank - 1), sorted.end());
    return static_cast<double>(sorted[rank - 1]);
  }
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      double value = bucket_midpoint(offset_ + static_cast<std::uint32_t>(i));
      return std::clamp(value, static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

// Counts into counts_ (duplicate buckets add up); false for a count past the counters' range.
bool LatencySketch::set_buckets(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& histogram) {
  for (const auto& [bucket, count] : histogram) {
    if (count == 0) continue;
    ensure(bucket);
    std::uint64_t sum = std::uint64_t{counts_[bucket - offset_]} + count;
    if (sum > UINT32_MAX) return false;
    counts_[bucket - offset_] = static_cast<std::uint32_t>(sum);
  }
  return true;
}

std::optional<LatencySketch> LatencySketch::from_parts(
    const std::vector<std::pair<std::uint32_t, std::uint64_t>>& histogram,
    std::vector<std::int64_t> exact, std::int64_t min_us, std::int64_t max_us,
    std::uint64_t total) {
  LatencySketch sketch;
  if (total == 0) {
    if (!exact.empty()) return std::nullopt;
    for (const auto& part : histogram) {
      if (part.second != 0) return std::nullopt;
    }
    return sketch;
  }
  if (min_us < 0 || max_us < min_us) return std::nullopt;
  LatencySketch buckets;
  if (!buckets.set_buckets(histogram)) return std::nullopt;
  std::uint64_t sum = 0;
  for (std::uint32_t count : buckets.counts_) sum += count;
  if (sum != total || buckets.counts_.empty()) return std::nullopt;
  std::uint32_t low = buckets.offset_;
  std::uint32_t high = low + static_cast<std::uint32_t>(buckets.counts_.size()) - 1;
  // The empty ends are trimmed by ensure(): low and high are filled buckets.
  if (bucket_of(static_cast<std::uint64_t>(min_us)) != low ||
      bucket_of(static_cast<std::uint64_t>(max_us)) != high) {
    return std::nullopt;
  }
  if (total <= kExactValues) {
    if (exact.size() != total) return std::nullopt;
    std::sort(exact.begin(), exact.end());
    LatencySketch check;
    for (std::int64_t v : exact) {
      sketch.add(v);
      check.add_to_buckets(v);
    }
    if (check.offset_ != buckets.offset_ || check.counts_ != buckets.counts_ ||
        sketch.min_ != min_us || sketch.max_ != max_us) {
      return std::nullopt;
    }
    return sketch;
  }
  if (!exact.empty()) return std::nullopt;
  buckets.total_ = total;
  buckets.min_ = min_us;
  buckets.max_ = max_us;
  return buckets;
}

}  // namespace kubeblame::analyze
