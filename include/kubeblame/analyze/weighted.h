// Weighted input: the groups of `kubeblame kql top` / `kql timeline` results (groups Log
// Analytics already aggregated, docs/kql.md "Reading the results back"). Each shard stages them
// per result (dimension set, and interval for a timeline); partial results of one query, from
// `kql --split` windows, merge into one. Once the shards are merged, each planned grouping is
// filled from ONE staged result, the narrowest that has its dimensions, so several results of
// one window never count a request twice.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/group_table.h"
#include "kubeblame/analyze/where_clause.h"
#include "kubeblame/model/weighted_group.h"

namespace kubeblame::analyze {

class TimelineAnalyzer;

struct StagedResult {
  bool timeline = false;
  std::vector<Dimension> dimensions;  // sorted: the set's identity
  std::vector<Dimension> shown;       // in the result's column order
  std::int64_t interval_s = 0;        // timeline only
  // (bucket start or 0, values in `dimensions` order) -> the group
  std::map<std::pair<model::TimeNs, std::vector<std::string>>, GroupMetrics> groups;

  bool covers(const std::vector<Dimension>& needed) const;
};

// What a fill kept: its requests and the span of their groups (first .. last event time).
struct FillTotals {
  std::uint64_t requests = 0;
  model::TimeNs first = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last = std::numeric_limits<model::TimeNs>::min();
  void add(const GroupMetrics& metrics);
};

class WeightedStage {
 public:
  // False, staging nothing, for a row naming an unknown or repeated dimension or whose latency
  // parts disagree (LatencySketch::from_parts).
  bool add(const model::WeightedGroup& group);
  void merge(WeightedStage& other);

  std::uint64_t rows() const { return rows_; }
  model::TimeNs first() const { return first_; }
  model::TimeNs last() const { return last_; }
  const std::vector<StagedResult>& results() const { return results_; }
  // The dimensions of the one result of this kind, in its column order (nullopt: none or several).
  std::optional<std::vector<Dimension>> only_dimensions(bool timeline) const;

  // Fills `table` from the narrowest result with its dimensions and those of `where`, keeping
  // the groups `where` accepts; adds them to `totals`. An error message (a usage error) when no
  // result has them.
  std::optional<std::string> fill(GroupTable& table, const std::vector<WhereClause>& where,
                                  FillTotals& totals) const;
  // The same for the timeline, from timeline results only.
  std::optional<std::string> fill(TimelineAnalyzer& timeline, const std::vector<WhereClause>& where,
                                  FillTotals& totals) const;

 private:
  const StagedResult* narrowest(const std::vector<Dimension>& needed, bool timeline_only) const;
  std::string missing(const std::vector<Dimension>& by, const std::vector<WhereClause>& where,
                      bool timeline) const;

  std::vector<StagedResult> results_;
  std::uint64_t rows_ = 0;
  model::TimeNs first_ = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last_ = std::numeric_limits<model::TimeNs>::min();
};

}  // namespace kubeblame::analyze
