// Timeline: counted requests per (group, time bucket).
//
// Each worker keeps, per group, the non-empty buckets ("cells") at the finest ladder step that
// fits the worker's own time span into kTimelineWorkerBuckets buckets, and moves up the ladder as
// its span grows. A step divides the next, so a bucket lies inside exactly one bucket of any
// later step and coarsening never splits a count. A merge brings both sides to the coarser of
// their steps and adds cells. The final auto interval is the first ladder step that fits the
// whole input's span into kTimelineTargetBuckets; every worker's step is at or below it (a worker
// only leaves a step when its span, a part of the whole span, needs more than
// kTimelineWorkerBuckets >= kTimelineTargetBuckets buckets there), so coarsening the merged cells
// to the final step gives the same counts for any split of the input. Counts are integers, so
// the order of additions does not matter either.
//
// Groups are bounded like GroupTable: past max_groups a worker keeps its larger half and sums
// the others into one (other) series; build_timeline ranks only the groups that can never have
// been folded (more than 2N/max_groups requests), as build_top does.
#include "kubeblame/analyze/timeline/timeline.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

#include "kubeblame/analyze/distinct_sketch.h"
#include "kubeblame/model/time.h"

namespace kubeblame::analyze {

namespace {

std::uint64_t key_hash(std::string_view key) {
  std::uint64_t h = std::hash<std::string_view>{}(key);
  // splitmix64's finalizer, so the distinct sketch sees well-spread bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace

void TimelineAnalyzer::on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                                const EventPosition&) {
  if (!counted) return;
  model::TimeNs time = model::event_time(event);
  if (time == 0) {
    ++untimed_;
    return;
  }
  if (time < first_ || time > last_) {
    first_ = std::min(first_, time);
    last_ = std::max(last_, time);
    fit_span();
  }
  if (too_many_buckets_) return;
  series_for(values).add(bucket_index(time, interval_ns_), event.code >= 400);
}

// The worker's span grew: move up the ladder (auto), or give up on an explicit interval that
// needs too many buckets (the run ends with a usage error; the cells are freed now).
void TimelineAnalyzer::fit_span() {
  if (!has_time() || too_many_buckets_) return;
  if (auto_interval()) {
    // Usually the span still fits the current step (a time-ordered log grows it on almost every
    // event): one check instead of a walk up the ladder.
    if (bucket_span(first_, last_, ladder_seconds(step_) * model::kNsPerSecond) <= kTimelineWorkerBuckets) return;
    std::size_t step = ladder_step_for(first_, last_, kTimelineWorkerBuckets);
    if (step > step_) coarsen_to(step);
  } else if (bucket_span(first_, last_, interval_ns_) > kTimelineMaxBuckets) {
    too_many_buckets_ = true;
    groups_.clear();
    other_ = TimelineCells();
  }
}

void TimelineAnalyzer::coarsen_to(std::size_t step) {
  if (!auto_interval() || step <= step_) return;
  std::int64_t factor = ladder_seconds(step) / ladder_seconds(step_);
  for (auto& [key, series] : groups_) series.coarsen(factor);
  other_.coarsen(factor);
  step_ = step;
  interval_ns_ = ladder_seconds(step) * model::kNsPerSecond;
}

TimelineCells& TimelineAnalyzer::series_for(DimensionValues& values) {
  scratch_.clear();
  for (Dimension dimension : options_.by) {
    std::string_view value = values.get(dimension);
    auto length = static_cast<std::uint32_t>(value.size());
    scratch_.append(reinterpret_cast<const char*>(&length), 4);
    scratch_.append(value);
  }
  return series_for_key();
}

TimelineCells& TimelineAnalyzer::series_for_key() {
  auto it = groups_.find(scratch_);
  if (it != groups_.end()) return it->second;
  if (options_.max_groups != 0 && groups_.size() >= options_.max_groups) fold_to(options_.max_groups / 2);
  if (folded_) distinct_.add(key_hash(scratch_));
  return groups_.emplace(scratch_, TimelineCells()).first->second;
}

void TimelineAnalyzer::start_folding() {
  if (folded_) return;
  folded_ = true;
  for (const auto& [key, series] : groups_) distinct_.add(key_hash(key));
}

// Keeps the `keep` largest groups (ties by key text) and sums the others into other_.
void TimelineAnalyzer::fold_to(std::size_t keep) {
  start_folding();
  if (groups_.size() <= keep) return;
  std::vector<TimelineGroups::iterator> order;
  order.reserve(groups_.size());
  for (auto it = groups_.begin(); it != groups_.end(); ++it) order.push_back(it);
  auto larger = [](const TimelineGroups::iterator& a, const TimelineGroups::iterator& b) {
    if (a->second.requests() != b->second.requests()) return a->second.requests() > b->second.requests();
    return a->first < b->first;
  };
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(), larger);
  for (std::size_t i = keep; i < order.size(); ++i) {
    other_.absorb(order[i]->second);
    groups_.erase(order[i]);
  }
  other_.normalize();
}

void TimelineAnalyzer::merge(TimelineAnalyzer& other) {
  first_ = std::min(first_, other.first_);
  last_ = std::max(last_, other.last_);
  untimed_ += other.untimed_;
  // Both sides to one step, the one the merged span needs (fit_span() alone would coarsen only
  // this side).
  std::size_t step = std::max(step_, other.step_);
  if (auto_interval() && has_time()) step = std::max(step, ladder_step_for(first_, last_, kTimelineWorkerBuckets));
  coarsen_to(step);
  other.coarsen_to(step);
  if (other.too_many_buckets_ ||
      (!auto_interval() && has_time() && bucket_span(first_, last_, interval_ns_) > kTimelineMaxBuckets)) {
    too_many_buckets_ = true;
  }
  if (too_many_buckets_) {
    groups_.clear();
    other_ = TimelineCells();
    return;
  }
  if (other.folded_) {
    start_folding();
    distinct_.merge(other.distinct_);
  }
  other_.absorb(other.other_);
  other_.normalize();
  // Move the other's groups in; past max_groups keep the largest of the union.
  while (!other.groups_.empty()) {
    auto node = other.groups_.extract(other.groups_.begin());
    if (folded_) distinct_.add(key_hash(node.key()));
    auto it = groups_.find(node.key());
    if (it == groups_.end()) {
      groups_.insert(std::move(node));
    } else {
      it->second.absorb(node.mapped());
      it->second.normalize();
    }
  }
  if (options_.max_groups != 0 && groups_.size() > options_.max_groups) fold_to(options_.max_groups);
}

std::optional<std::string> TimelineAnalyzer::prepare_weighted(model::TimeNs first, model::TimeNs last,
                                                              std::int64_t result_interval_s) {
  first_ = first;
  last_ = last;
  std::string binned = "the Log Analytics timeline is binned by " + format_interval(result_interval_s);
  if (!auto_interval()) {
    if (options_.interval_s % result_interval_s != 0) {
      return binned + ": --interval " + format_interval(options_.interval_s) +
             " is not a multiple of it (a finer timeline needs `kubeblame kql timeline --interval " +
             format_interval(options_.interval_s) + "`)";
    }
    too_many_buckets_ = bucket_span(first_, last_, interval_ns_) > kTimelineMaxBuckets;
    return std::nullopt;
  }
  for (std::size_t step = ladder_step_for(first_, last_, kTimelineTargetBuckets); step < ladder_size(); ++step) {
    if (ladder_seconds(step) % result_interval_s != 0) continue;
    step_ = step;
    interval_ns_ = ladder_seconds(step) * model::kNsPerSecond;
    return std::nullopt;
  }
  return binned + ", which no automatic interval is a multiple of: give --interval as a multiple of it";
}

void TimelineAnalyzer::add_weighted(std::span<const std::string_view> values, model::TimeNs bucket_start,
                                    std::uint64_t requests, std::uint64_t errors) {
  if (too_many_buckets_) return;
  scratch_.clear();
  for (std::string_view value : values) {
    auto length = static_cast<std::uint32_t>(value.size());
    scratch_.append(reinterpret_cast<const char*>(&length), 4);
    scratch_.append(value);
  }
  series_for_key().add_many(bucket_index(bucket_start, interval_ns_), requests, errors);
}

void TimelineAnalyzer::finish_weighted() {
  for (auto& [key, series] : groups_) series.normalize();
  other_.normalize();
}

std::uint64_t TimelineAnalyzer::distinct_groups() const {
  if (!folded_) return groups_.size();
  return std::max<std::uint64_t>(distinct_.estimate(), options_.max_groups + 1);
}

std::vector<std::string> decode_timeline_key(std::string_view key) {
  std::vector<std::string> out;
  while (key.size() >= 4) {
    std::uint32_t length = 0;
    std::memcpy(&length, key.data(), 4);
    out.emplace_back(key.substr(4, length));
    key.remove_prefix(std::min<std::size_t>(key.size(), 4 + std::size_t{length}));
  }
  return out;
}

AnalyzerFactory timeline_analyzer_factory(const TimelineOptions& options) {
  return [options] { return std::make_unique<TimelineAnalyzer>(options); };
}

}  // namespace kubeblame::analyze
