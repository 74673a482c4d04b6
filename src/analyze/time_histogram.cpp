// Time histogram for hole finding.
//
// Buckets are aligned on absolute multiples of their width (2^(30+level) ns), so doubling the
// width folds buckets 2i and 2i+1 into bucket i without losing anything but resolution. The level
// is always the smallest at which every time seen fits into kBuckets consecutive buckets; adding a
// time or merging another histogram coarsens only as far as that rule requires. Both histograms
// of a merge are at their own smallest level, and any level that fits the union fits each part,
// so the merged level is the union's smallest level too: the state is a function of the set of
// times, whatever order they came in and however they were split between workers.
//
// Each bucket keeps its first and last time as well as its count, so a hole between two
// non-empty buckets is measured exactly; only holes shorter than one bucket go unseen.
#include "kubeblame/analyze/time_histogram.h"

#include <algorithm>

namespace kubeblame::analyze {

void TimeHistogram::fold(Bucket& into, const Bucket& from) {
  if (from.count == 0) return;
  if (into.count == 0) {
    into = from;
    return;
  }
  into.count += from.count;
  into.first = std::min(into.first, from.first);
  into.last = std::max(into.last, from.last);
}

void TimeHistogram::coarsen() {
  std::vector<Bucket> next(kBuckets);
  for (std::int64_t i = lo_; i <= hi_; ++i) {
    fold(next[static_cast<std::size_t>(i >> 1) & (kBuckets - 1)], slot(i));
  }
  buckets_.swap(next);
  lo_ >>= 1;
  hi_ >>= 1;
  ++level_;
}

void TimeHistogram::make_room(model::TimeNs low_time, model::TimeNs high_time) {
  // Terminates: at level 33 every int64 time maps to bucket -1 or 0.
  while (std::max(hi_, index_of(high_time)) - std::min(lo_, index_of(low_time)) >=
         static_cast<std::int64_t>(kBuckets)) {
    coarsen();
  }
}

void TimeHistogram::add_outside(model::TimeNs time) {
  if (buckets_.empty()) buckets_.resize(kBuckets);
  if (empty()) {
    level_ = 0;
    lo_ = hi_ = index_of(time);
    fold_one(slot(lo_), time);
    return;
  }
  make_room(time, time);
  std::int64_t index = index_of(time);
  lo_ = std::min(lo_, index);
  hi_ = std::max(hi_, index);
  fold_one(slot(index), time);
}

void TimeHistogram::merge(const TimeHistogram& other) {
  if (other.empty()) return;
  if (empty()) {
    *this = other;
    return;
  }
  while (level_ < other.level_) coarsen();
  make_room(other.first(), other.last());
  int shift = level_ - other.level_;
  for (std::int64_t i = other.lo_; i <= other.hi_; ++i) {
    const Bucket& bucket = other.slot(i);
    if (bucket.count != 0) fold(slot(i >> shift), bucket);
  }
  lo_ = std::min(lo_, other.lo_ >> shift);
  hi_ = std::max(hi_, other.hi_ >> shift);
}

std::uint64_t TimeHistogram::count() const {
  std::uint64_t total = 0;
  for (std::int64_t i = lo_; i <= hi_; ++i) total += slot(i).count;
  return total;
}

std::int64_t TimeHistogram::filled_buckets() const {
  std::int64_t filled = 0;
  for (std::int64_t i = lo_; i <= hi_; ++i) filled += slot(i).count != 0 ? 1 : 0;
  return filled;
}

std::optional<TimeHistogram::Gap> TimeHistogram::largest_gap() const {
  std::optional<Gap> best;
  const Bucket* previous = nullptr;
  std::int64_t previous_index = 0;
  for (std::int64_t i = lo_; i <= hi_; ++i) {
    const Bucket& bucket = slot(i);
    if (bucket.count == 0) continue;
    if (previous != nullptr &&
        (!best || distance(previous->last, bucket.first) > best->length())) {
      best = Gap{previous->last, bucket.first, i - previous_index - 1};
    }
    previous = &bucket;
    previous_index = i;
  }
  return best;
}

}  // namespace kubeblame::analyze
