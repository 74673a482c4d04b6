// Requests and errors per time bucket, per group of dimensions: `kubeblame timeline` and the
// report's timeline section. timeline_analyzer_factory() rides along the single pass;
// report::build_timeline() turns the merged TimelineAnalyzer into a report.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <limits>
#include <unordered_map>
#include <vector>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/timeline/timeline_ladder.h"
#include "kubeblame/analyze/distinct_sketch.h"
#include "kubeblame/model/time.h"

namespace kubeblame::analyze {

struct TimelineOptions {
  std::vector<Dimension> by{Dimension::kAgent};
  std::int64_t interval_s = 0;      // 0: auto (from the ladder, see below)
  std::size_t max_groups = 20000;   // groups kept per worker; 0 = unlimited (timeline_group_bound)
};

// A timeline group costs up to ~1.7 KiB per worker (61 buckets of 24 bytes and its key), about
// five times a `top` group: the timeline keeps --max-groups / 5 groups per worker (at least 1;
// 0 stays unlimited), so both fit the same memory budget.
inline constexpr std::size_t kTimelineGroupCostFactor = 5;
constexpr std::size_t timeline_group_bound(std::size_t max_groups) {
  if (max_groups == 0) return 0;
  return max_groups / kTimelineGroupCostFactor > 0 ? max_groups / kTimelineGroupCostFactor : 1;
}

// Counts counted requests (docs/counting.md) that have a time into buckets per group of
// options.by; requests without any timestamp are only counted as untimed.
AnalyzerFactory timeline_analyzer_factory(const TimelineOptions& options);

struct TimelineCell {
  std::int64_t index = 0;  // bucket number since the epoch at the owner's interval
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
};

// One group's non-empty buckets, sorted by index (inputs are mostly in time order, so adding
// is usually an append or an increment of the last cell).
class TimelineCells {
 public:
  void add(std::int64_t index, bool error) {
    ++requests_;
    std::uint64_t e = error ? 1 : 0;
    if (cells_.empty() || cells_.back().index < index) {
      cells_.push_back({index, 1, e});
      return;
    }
    auto it = std::lower_bound(cells_.begin(), cells_.end(), index,
                               [](const TimelineCell& c, std::int64_t i) { return c.index < i; });
    if (it != cells_.end() && it->index == index) {
      ++it->requests;
      it->errors += e;
    } else {
      cells_.insert(it, {index, 1, e});
    }
  }
  // `requests` requests, `errors` of them errors, in bucket `index` (a group Log Analytics
  // counted); call normalize() before the next add().
  void add_many(std::int64_t index, std::uint64_t requests, std::uint64_t errors) {
    requests_ += requests;
    cells_.push_back({index, requests, errors});
  }
  // Buckets `factor` times wider (the next steps of the ladder). Order is kept.
  void coarsen(std::int64_t factor) {
    if (factor == 1) return;
    for (TimelineCell& cell : cells_) cell.index = bucket_index(cell.index, factor);
    combine();
  }
  // Adds another series' cells; call normalize() before the next add().
  void absorb(const TimelineCells& other) {
    requests_ += other.requests_;
    cells_.insert(cells_.end(), other.cells_.begin(), other.cells_.end());
  }
  void normalize() {
    std::sort(cells_.begin(), cells_.end(), [](const TimelineCell& a, const TimelineCell& b) { return a.index < b.index; });
    combine();
  }
  std::uint64_t requests() const { return requests_; }
  const std::vector<TimelineCell>& cells() const { return cells_; }

 private:
  // Sums neighbouring cells with the same index (cells are sorted).
  void combine() {
    std::size_t out = 0;
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      TimelineCell cell = cells_[i];
      if (out > 0 && cells_[out - 1].index == cell.index) {
        cells_[out - 1].requests += cell.requests;
        cells_[out - 1].errors += cell.errors;
      } else {
        cells_[out++] = cell;
      }
    }
    cells_.resize(out);
  }

  std::uint64_t requests_ = 0;
  std::vector<TimelineCell> cells_;
};

// Group keys are the dimension values, each as a 4-byte length and its bytes.
std::vector<std::string> decode_timeline_key(std::string_view key);
using TimelineGroups = std::unordered_map<std::string, TimelineCells>;

class TimelineAnalyzer final : public AnalyzerOf<TimelineAnalyzer> {
 public:
  explicit TimelineAnalyzer(TimelineOptions options) : options_(std::move(options)) {
    interval_ns_ = (auto_interval() ? ladder_seconds(0) : options_.interval_s) * model::kNsPerSecond;
  }

  void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                const EventPosition& position) override;
  void on_log_line(const model::LogLine&, decode::Format, const EventPosition&) override {}

  void merge(TimelineAnalyzer& other);

  // Weighted input (docs/kql.md, "Reading the results back"), into a merged analyzer that read no
  // event: groups by `by` instead of the planned dimensions.
  void regroup(std::vector<Dimension> by) { options_.by = std::move(by); }
  // Sets the span to [first, last] and the cells' interval to one that holds whole buckets of
  // `result_interval_s`; an error message when the interval asked for cannot.
  std::optional<std::string> prepare_weighted(model::TimeNs first, model::TimeNs last,
                                              std::int64_t result_interval_s);
  // One result row: `values` in options().by order, its bucket's start time and counts.
  void add_weighted(std::span<const std::string_view> values, model::TimeNs bucket_start,
                    std::uint64_t requests, std::uint64_t errors);
  // Sorts the cells that add_weighted() appended.
  void finish_weighted();

  // What the report reads once the shards are merged.
  const TimelineOptions& options() const { return options_; }
  bool auto_interval() const { return options_.interval_s == 0; }
  bool has_time() const { return first_ <= last_; }
  model::TimeNs first() const { return first_; }
  model::TimeNs last() const { return last_; }
  std::size_t step() const { return step_; }             // ladder step of the cells (auto)
  std::int64_t interval_ns() const { return interval_ns_; }  // width of the cells' buckets
  std::uint64_t untimed() const { return untimed_; }
  // Explicit interval only: the input's span needs more than kTimelineMaxBuckets buckets.
  bool too_many_buckets() const { return too_many_buckets_; }
  const TimelineGroups& groups() const { return groups_; }
  const TimelineCells& other() const { return other_; }  // groups folded away past max_groups
  bool folded() const { return folded_; }
  // Distinct groups seen (estimated once folding started).
  std::uint64_t distinct_groups() const;

 private:
  void fit_span();
  void coarsen_to(std::size_t step);
  TimelineCells& series_for(DimensionValues& values);
  TimelineCells& series_for_key();  // of the key in scratch_
  void start_folding();
  void fold_to(std::size_t keep);

  TimelineOptions options_;
  std::size_t step_ = 0;  // ladder step of interval_ns_ (auto interval only)
  std::int64_t interval_ns_ = 0;
  model::TimeNs first_ = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last_ = std::numeric_limits<model::TimeNs>::min();
  std::uint64_t untimed_ = 0;
  bool too_many_buckets_ = false;  // explicit interval: the span needs > kTimelineMaxBuckets
  TimelineGroups groups_;
  TimelineCells other_;  // groups folded away past max_groups
  bool folded_ = false;
  DistinctSketch distinct_;
  std::string scratch_;
};

}  // namespace kubeblame::analyze
