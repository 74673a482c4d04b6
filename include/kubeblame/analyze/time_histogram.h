// A coarse, fixed-size histogram of event times that finds the largest hole in an input. Its state
// depends only on the set of times added, so per-worker histograms merge exactly and the answer
// is the same for any thread count and chunk size.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

class TimeHistogram {
 public:
  static constexpr std::size_t kBuckets = 1024;
  static constexpr int kBaseShift = 30;  // the finest bucket is 2^30 ns (about 1.07 s) wide

  struct Gap {
    model::TimeNs start = 0;  // the last time before the hole
    model::TimeNs end = 0;    // the first time after it
    std::int64_t empty_buckets = 0;  // the empty buckets between those two times
    std::uint64_t length() const { return distance(start, end); }
  };
  // b - a for a <= b, without overflow (times may sit at both ends of int64).
  static std::uint64_t distance(model::TimeNs a, model::TimeNs b) {
    return static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(a);
  }

  // Inline: it runs once per audit event, and almost every time lands inside the span so far.
  void add(model::TimeNs time) {
    std::int64_t index = index_of(time);
    if (index >= lo_ && index <= hi_) {
      fold_one(slot(index), time);
      return;
    }
    add_outside(time);
  }
  void merge(const TimeHistogram& other);

  bool empty() const { return hi_ < lo_; }
  std::uint64_t count() const;
  // The earliest and latest time added (0 when empty).
  model::TimeNs first() const { return empty() ? 0 : slot(lo_).first; }
  model::TimeNs last() const { return empty() ? 0 : slot(hi_).last; }
  // Current bucket width in nanoseconds (every hole longer than this is found exactly).
  std::int64_t bucket_width_ns() const { return std::int64_t{1} << (kBaseShift + level_); }
  // Buckets from the first time's to the last time's, and how many of them hold a time.
  std::int64_t spanned_buckets() const { return empty() ? 0 : hi_ - lo_ + 1; }
  std::int64_t filled_buckets() const;
  // The longest stretch between two consecutive times that spans buckets (the earliest on a
  // tie); nullopt with fewer than two non-empty buckets.
  std::optional<Gap> largest_gap() const;

 private:
  struct Bucket {
    std::uint64_t count = 0;
    model::TimeNs first = 0;
    model::TimeNs last = 0;
  };
  static void fold(Bucket& into, const Bucket& from);
  static void fold_one(Bucket& into, model::TimeNs time) {
    if (into.count++ == 0) {
      into.first = into.last = time;
    } else {
      into.first = std::min(into.first, time);
      into.last = std::max(into.last, time);
    }
  }
  void add_outside(model::TimeNs time);  // a first time, or one that widens [lo_, hi_]
  Bucket& slot(std::int64_t index) { return buckets_[static_cast<std::size_t>(index) & (kBuckets - 1)]; }
  const Bucket& slot(std::int64_t index) const {
    return buckets_[static_cast<std::size_t>(index) & (kBuckets - 1)];
  }
  std::int64_t index_of(model::TimeNs time) const { return time >> (kBaseShift + level_); }
  void coarsen();  // doubles the bucket width
  // Coarsens until the absolute bucket indices [lo, hi] (at the current level) fit.
  void make_room(model::TimeNs low_time, model::TimeNs high_time);

  // Bucket i covers [i << (kBaseShift + level_), (i + 1) << ...) and lives in slot i mod
  // kBuckets; every non-empty bucket lies in [lo_, hi_], which never spans more than kBuckets.
  std::vector<Bucket> buckets_;
  int level_ = 0;
  std::int64_t lo_ = 0;
  std::int64_t hi_ = -1;  // hi_ < lo_: empty
};

}  // namespace kubeblame::analyze
