// Staging and re-aggregating kubeblame kql results (analyze/weighted.h).
#include "kubeblame/analyze/weighted.h"

#include <algorithm>
#include <charconv>
#include <tuple>

#include "kubeblame/analyze/timeline/timeline.h"

namespace kubeblame::analyze {

namespace {

std::string names(const std::vector<Dimension>& dims, std::string_view separator) {
  std::string out;
  for (Dimension d : dims)
    out += (out.empty() ? "" : std::string(separator)) + std::string(dimension_name(d));
  return out;
}

GroupMetrics metrics_of(const model::WeightedGroup& group, LatencySketch latency) {
  GroupMetrics m;
  m.requests = group.requests;
  m.errors = group.errors;
  m.watches = group.watches;
  m.cost_ns = group.cost_ns;
  m.max_ns = group.max_ns;
  m.first = group.first;
  m.last = group.last;
  m.latency = std::move(latency);
  return m;
}

bool result_before(const StagedResult& a, const StagedResult& b) {
  return std::tie(a.timeline, a.dimensions, a.interval_s) <
         std::tie(b.timeline, b.dimensions, b.interval_s);
}

bool same_result(const StagedResult& r, bool timeline, const std::vector<Dimension>& dims,
                 std::int64_t interval_s) {
  return r.timeline == timeline && r.dimensions == dims && r.interval_s == interval_s;
}

// The result's value of `d` in a staged key.
std::string_view value_of(const StagedResult& result, const std::vector<std::string>& values,
                          Dimension d) {
  auto at = std::find(result.dimensions.begin(), result.dimensions.end(), d);
  return values[static_cast<std::size_t>(at - result.dimensions.begin())];
}

bool accepted(const StagedResult& result, const std::vector<std::string>& values,
              const std::vector<WhereClause>& where) {
  for (const WhereClause& clause : where) {
    std::string_view value = value_of(result, values, clause.dimension);
    int code = 0;
    if (clause.dimension == Dimension::kCode)
      std::from_chars(value.data(), value.data() + value.size(), code);
    if (!clause.matches(value, code)) return false;
  }
  return true;
}

GroupMetrics metrics_span(const FillTotals& kept) {
  GroupMetrics m;
  m.requests = kept.requests;
  m.first = kept.first;
  m.last = kept.last;
  return m;
}

std::vector<Dimension> needed_by(std::vector<Dimension> by, const std::vector<WhereClause>& where) {
  for (const WhereClause& clause : where) {
    if (std::find(by.begin(), by.end(), clause.dimension) == by.end())
      by.push_back(clause.dimension);
  }
  return by;
}

}  // namespace

void FillTotals::add(const GroupMetrics& metrics) {
  requests += metrics.requests;
  first = std::min(first, metrics.first);
  last = std::max(last, metrics.last);
}

bool StagedResult::covers(const std::vector<Dimension>& needed) const {
  return std::all_of(needed.begin(), needed.end(), [&](Dimension d) {
    return std::find(dimensions.begin(), dimensions.end(), d) != dimensions.end();
  });
}

bool WeightedStage::add(const model::WeightedGroup& group) {
  std::vector<std::pair<Dimension, std::string_view>> keyed;
  for (const auto& [name, value] : group.dimensions) {
    std::optional<Dimension> d = parse_dimension(name);
    if (!d || std::any_of(keyed.begin(), keyed.end(), [&](const auto& k) { return k.first == *d; }))
      return false;
    keyed.emplace_back(*d, value);
  }
  std::optional<LatencySketch> latency =
      LatencySketch::from_parts(group.histogram, group.exact_us, group.min_us,
                                group.max_ns < 0 ? -1 : group.max_ns / 1000, group.latency_n);
  if (!latency) return false;
  std::vector<Dimension> shown;
  shown.reserve(keyed.size());
  for (const auto& k : keyed) shown.push_back(k.first);
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Dimension> dims;
  std::vector<std::string> values;
  dims.reserve(keyed.size());
  values.reserve(keyed.size());
  for (const auto& [d, value] : keyed) {
    dims.push_back(d);
    values.emplace_back(value);
  }
  bool timeline = group.kind == model::WeightedGroup::Kind::kTimeline;
  auto result = std::find_if(results_.begin(), results_.end(), [&](const StagedResult& r) {
    return same_result(r, timeline, dims, group.interval_s);
  });
  if (result == results_.end()) {
    StagedResult added{timeline, dims, shown, group.interval_s, {}};
    result = results_.insert(
        std::upper_bound(results_.begin(), results_.end(), added, result_before), std::move(added));
  }
  result->groups[{group.time, std::move(values)}].merge(metrics_of(group, std::move(*latency)));
  ++rows_;
  first_ = std::min(first_, group.first);
  last_ = std::max(last_, group.last);
  return true;
}

void WeightedStage::merge(WeightedStage& other) {
  for (StagedResult& theirs : other.results_) {
    auto ours = std::find_if(results_.begin(), results_.end(), [&](const StagedResult& r) {
      return same_result(r, theirs.timeline, theirs.dimensions, theirs.interval_s);
    });
    if (ours == results_.end()) {
      results_.push_back(std::move(theirs));
      continue;
    }
    for (auto& [key, metrics] : theirs.groups) ours->groups[key].merge(metrics);
  }
  other.results_.clear();
  rows_ += other.rows_;
  first_ = std::min(first_, other.first_);
  last_ = std::max(last_, other.last_);
  // Sorted, so that ties in narrowest() go the same way for any split.
  std::sort(results_.begin(), results_.end(), result_before);
}

std::optional<std::vector<Dimension>> WeightedStage::only_dimensions(bool timeline) const {
  const StagedResult* only = nullptr;
  for (const StagedResult& r : results_) {
    if (r.timeline != timeline) continue;
    if (only) return std::nullopt;
    only = &r;
  }
  if (!only) return std::nullopt;
  return only->shown;
}

// Top results first (a timeline result also sums to groups), then the fewest dimensions.
const StagedResult* WeightedStage::narrowest(const std::vector<Dimension>& needed,
                                             bool timeline_only) const {
  const StagedResult* best = nullptr;
  for (const StagedResult& r : results_) {
    if ((timeline_only && !r.timeline) || !r.covers(needed)) continue;
    if (!best || std::make_pair(r.timeline, r.dimensions.size()) <
                     std::make_pair(best->timeline, best->dimensions.size())) {
      best = &r;
    }
  }
  return best;
}

std::string WeightedStage::missing(const std::vector<Dimension>& by,
                                   const std::vector<WhereClause>& where, bool timeline) const {
  std::string have;
  for (const StagedResult& r : results_) {
    if (timeline && !r.timeline) continue;
    have += (have.empty() ? "" : "; ") + names(r.shown, ", ") + (r.timeline ? " (timeline)" : "");
  }
  std::string command =
      std::string(timeline ? "timeline" : "top") + " --by " + names(needed_by(by, where), ",");
  std::string what = timeline ? "the timeline by " + names(by, ",") : "--by " + names(by, ",");
  if (!where.empty()) what += " with --where on " + names(needed_by({}, where), ", ");
  if (have.empty())
    return "the Log Analytics results hold no timeline; " + what + " needs `kubeblame kql " +
           command + "`";
  return "the Log Analytics results are grouped by " + have + "; " + what +
         " needs `kubeblame kql " + command + "`";
}

std::optional<std::string> WeightedStage::fill(GroupTable& table,
                                               const std::vector<WhereClause>& where,
                                               FillTotals& totals) const {
  const std::vector<Dimension>& by = table.dimensions();
  const StagedResult* result = narrowest(needed_by(by, where), false);
  if (!result) return missing(by, where, false);
  std::vector<std::string_view> key(by.size());
  for (const auto& [staged, metrics] : result->groups) {
    if (!accepted(*result, staged.second, where)) continue;
    for (std::size_t i = 0; i < by.size(); ++i) key[i] = value_of(*result, staged.second, by[i]);
    table.add_metrics(key, metrics);
    totals.add(metrics);
  }
  return std::nullopt;
}

std::optional<std::string> WeightedStage::fill(TimelineAnalyzer& timeline,
                                               const std::vector<WhereClause>& where,
                                               FillTotals& totals) const {
  const std::vector<Dimension>& by = timeline.options().by;
  const StagedResult* result = narrowest(needed_by(by, where), true);
  if (!result) return missing(by, where, true);
  FillTotals kept;
  for (const auto& [staged, metrics] : result->groups) {
    if (accepted(*result, staged.second, where)) kept.add(metrics);
  }
  if (kept.requests > 0) {
    if (auto error = timeline.prepare_weighted(kept.first, kept.last, result->interval_s))
      return error;
  }
  std::vector<std::string_view> key(by.size());
  for (const auto& [staged, metrics] : result->groups) {
    if (!accepted(*result, staged.second, where)) continue;
    for (std::size_t i = 0; i < by.size(); ++i) key[i] = value_of(*result, staged.second, by[i]);
    timeline.add_weighted(key, staged.first, metrics.requests, metrics.errors);
  }
  totals.add(kept.requests > 0 ? metrics_span(kept) : GroupMetrics{});
  timeline.finish_weighted();
  return std::nullopt;
}

}  // namespace kubeblame::analyze
