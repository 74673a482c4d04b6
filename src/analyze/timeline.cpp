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
#include "kubeblame/analyze/timeline.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>

#include "kubeblame/analyze/distinct_sketch.h"
#include "kubeblame/model/time.h"
#include "kubeblame/report/format.h"

namespace kubeblame::analyze {

namespace {

struct Cell {
  std::int64_t index = 0;  // bucket number since the epoch at the owner's interval
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
};

// One group's non-empty buckets, sorted by index (inputs are mostly in time order, so adding
// is usually an append or an increment of the last cell).
class Series {
 public:
  void add(std::int64_t index, bool error) {
    ++requests_;
    std::uint64_t e = error ? 1 : 0;
    if (cells_.empty() || cells_.back().index < index) {
      cells_.push_back({index, 1, e});
      return;
    }
    auto it = std::lower_bound(cells_.begin(), cells_.end(), index,
                               [](const Cell& c, std::int64_t i) { return c.index < i; });
    if (it != cells_.end() && it->index == index) {
      ++it->requests;
      it->errors += e;
    } else {
      cells_.insert(it, {index, 1, e});
    }
  }
  // Buckets `factor` times wider (the next steps of the ladder). Order is kept.
  void coarsen(std::int64_t factor) {
    if (factor == 1) return;
    for (Cell& cell : cells_) cell.index = bucket_index(cell.index, factor);
    combine();
  }
  // Adds another series' cells; call normalize() before the next add().
  void absorb(const Series& other) {
    requests_ += other.requests_;
    cells_.insert(cells_.end(), other.cells_.begin(), other.cells_.end());
  }
  void normalize() {
    std::sort(cells_.begin(), cells_.end(), [](const Cell& a, const Cell& b) { return a.index < b.index; });
    combine();
  }
  std::uint64_t requests() const { return requests_; }
  const std::vector<Cell>& cells() const { return cells_; }

 private:
  // Sums neighbouring cells with the same index (cells are sorted).
  void combine() {
    std::size_t out = 0;
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      Cell cell = cells_[i];
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
  std::vector<Cell> cells_;
};

// Group keys are the dimension values, each as a 4-byte length and its bytes.
std::vector<std::string> decode_key(std::string_view key) {
  std::vector<std::string> out;
  while (key.size() >= 4) {
    std::uint32_t length = 0;
    std::memcpy(&length, key.data(), 4);
    out.emplace_back(key.substr(4, length));
    key.remove_prefix(std::min<std::size_t>(key.size(), 4 + std::size_t{length}));
  }
  return out;
}

std::uint64_t key_hash(std::string_view key) {
  std::uint64_t h = std::hash<std::string_view>{}(key);
  // splitmix64's finalizer, so the distinct sketch sees well-spread bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

using GroupMap = std::unordered_map<std::string, Series>;

// Largest first, then by key text: a total order, so the ranking never depends on map order.
struct Ranked {
  std::vector<std::string> key;
  const Series* series;
};
bool ranks_before(const Ranked& a, const Ranked& b) {
  if (a.series->requests() != b.series->requests()) return a.series->requests() > b.series->requests();
  return a.key < b.key;
}

class TimelineAnalyzer final : public Analyzer {
 public:
  explicit TimelineAnalyzer(TimelineOptions options) : options_(std::move(options)) {
    interval_ns_ = (auto_interval() ? ladder_seconds(0) : options_.interval_s) * model::kNsPerSecond;
  }

  void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                const EventPosition&) override {
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

  void on_log_line(const model::LogLine&, decode::Format, const EventPosition&) override {}

  void merge(Analyzer& other_base) override;

  std::optional<std::string> interval_error() const;
  report::TimelineReport build(const report::InputSummary& input, std::size_t top) const;

 private:
  bool auto_interval() const { return options_.interval_s == 0; }
  bool has_time() const { return first_ <= last_; }
  void fit_span();
  void coarsen_to(std::size_t step);
  Series& series_for(DimensionValues& values);
  void start_folding();
  void fold_to(std::size_t keep);
  std::uint64_t distinct_groups() const;
  report::TimelineSeries dense(const Series& series, std::int64_t factor, std::int64_t start_index,
                               std::size_t buckets) const;

  TimelineOptions options_;
  std::size_t step_ = 0;  // ladder step of interval_ns_ (auto interval only)
  std::int64_t interval_ns_ = 0;
  model::TimeNs first_ = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last_ = std::numeric_limits<model::TimeNs>::min();
  std::uint64_t untimed_ = 0;
  bool too_many_buckets_ = false;  // explicit interval: the span needs > kTimelineMaxBuckets
  GroupMap groups_;
  Series other_;  // groups folded away past max_groups
  bool folded_ = false;
  DistinctSketch distinct_;
  std::string scratch_;
};

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
    other_ = Series();
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

Series& TimelineAnalyzer::series_for(DimensionValues& values) {
  scratch_.clear();
  for (Dimension dimension : options_.by) {
    std::string_view value = values.get(dimension);
    auto length = static_cast<std::uint32_t>(value.size());
    scratch_.append(reinterpret_cast<const char*>(&length), 4);
    scratch_.append(value);
  }
  auto it = groups_.find(scratch_);
  if (it != groups_.end()) return it->second;
  if (options_.max_groups != 0 && groups_.size() >= options_.max_groups) fold_to(options_.max_groups / 2);
  if (folded_) distinct_.add(key_hash(scratch_));
  return groups_.emplace(scratch_, Series()).first->second;
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
  std::vector<GroupMap::iterator> order;
  order.reserve(groups_.size());
  for (auto it = groups_.begin(); it != groups_.end(); ++it) order.push_back(it);
  auto larger = [](const GroupMap::iterator& a, const GroupMap::iterator& b) {
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

void TimelineAnalyzer::merge(Analyzer& other_base) {
  auto& other = dynamic_cast<TimelineAnalyzer&>(other_base);
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
    other_ = Series();
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

std::optional<std::string> TimelineAnalyzer::interval_error() const {
  if (auto_interval() || !has_time()) return std::nullopt;
  std::uint64_t buckets = bucket_span(first_, last_, interval_ns_);
  if (buckets <= kTimelineMaxBuckets) return std::nullopt;
  std::int64_t suggested = ladder_seconds(ladder_step_for(first_, last_, kTimelineMaxBuckets));
  return "--interval " + format_interval(options_.interval_s) + " makes " +
         report::format_count(buckets) + " buckets over the input's span (" +
         report::format_rfc3339(first_) + " to " + report::format_rfc3339(last_) + "); at most " +
         report::format_count(kTimelineMaxBuckets) + " are allowed: use --interval " +
         format_interval(std::max(suggested, options_.interval_s + 1)) +
         " or longer, or leave --interval out to choose one";
}

std::uint64_t TimelineAnalyzer::distinct_groups() const {
  if (!folded_) return groups_.size();
  return std::max<std::uint64_t>(distinct_.estimate(), options_.max_groups + 1);
}

report::TimelineSeries TimelineAnalyzer::dense(const Series& series, std::int64_t factor,
                                               std::int64_t start_index, std::size_t buckets) const {
  report::TimelineSeries out;
  out.counts.assign(buckets, 0);
  out.error_counts.assign(buckets, 0);
  for (const Cell& cell : series.cells()) {
    auto slot = static_cast<std::size_t>(bucket_index(cell.index, factor) - start_index);
    out.counts[slot] += cell.requests;
    out.error_counts[slot] += cell.errors;
    out.requests += cell.requests;
    out.errors += cell.errors;
  }
  return out;
}

report::TimelineReport TimelineAnalyzer::build(const report::InputSummary& input, std::size_t top) const {
  report::TimelineReport out;
  for (Dimension dimension : options_.by) out.by.emplace_back(dimension_name(dimension));
  out.top = top;
  out.input = input;
  out.interval_auto = auto_interval();
  out.interval_s = auto_interval() ? ladder_seconds(step_) : options_.interval_s;
  out.untimed = untimed_;
  if (!has_time() || too_many_buckets_) return out;
  if (auto_interval()) {
    out.interval_s = ladder_seconds(std::max(step_, ladder_step_for(first_, last_, kTimelineTargetBuckets)));
  }
  std::int64_t interval_ns = out.interval_s * model::kNsPerSecond;
  std::int64_t factor = interval_ns / interval_ns_;
  std::int64_t start_index = bucket_index(first_, interval_ns);
  out.start = start_index * interval_ns;
  out.buckets = bucket_span(first_, last_, interval_ns);

  std::uint64_t total_requests = other_.requests();
  for (const auto& [key, series] : groups_) total_requests += series.requests();
  // Past max_groups only groups that were never folded anywhere are ranked (see build_top).
  std::uint64_t rank_above =
      folded_ ? 2 * total_requests / std::max<std::size_t>(options_.max_groups, 1) : 0;
  std::vector<Ranked> ranked;
  Series rest = other_;
  Series total = other_;
  for (const auto& [key, series] : groups_) {
    total.absorb(series);
    if (folded_ && series.requests() <= rank_above) {
      rest.absorb(series);
    } else {
      ranked.push_back({decode_key(key), &series});
    }
  }
  std::sort(ranked.begin(), ranked.end(), ranks_before);
  std::size_t keep = top == 0 ? ranked.size() : std::min(top, ranked.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    if (i < keep) {
      report::TimelineSeries series = dense(*ranked[i].series, factor, start_index, out.buckets);
      series.key = ranked[i].key;
      out.series.push_back(std::move(series));
    } else {
      rest.absorb(*ranked[i].series);
    }
  }
  rest.normalize();
  total.normalize();
  out.other = dense(rest, factor, start_index, out.buckets);
  out.other_groups = distinct_groups() - keep;
  out.total = dense(total, factor, start_index, out.buckets);
  if (folded_) {
    out.input.warnings.push_back(
        "timeline: more than " + report::format_count(options_.max_groups) + " distinct groups (about " +
        report::format_count(distinct_groups()) + "): to bound memory only groups with more than " +
        report::format_count(rank_above) + " requests are ranked, the rest are in (other) " +
        "(--max-groups 0 ranks every group)");
  }
  return out;
}

}  // namespace

AnalyzerFactory timeline_analyzer_factory(const TimelineOptions& options) {
  return [options] { return std::make_unique<TimelineAnalyzer>(options); };
}

std::optional<std::string> timeline_interval_error(const Analyzer& analyzer) {
  return dynamic_cast<const TimelineAnalyzer&>(analyzer).interval_error();
}

report::TimelineReport build_timeline(const Analyzer& analyzer, const report::InputSummary& input,
                                      std::size_t top) {
  return dynamic_cast<const TimelineAnalyzer&>(analyzer).build(input, top);
}

}  // namespace kubeblame::analyze
