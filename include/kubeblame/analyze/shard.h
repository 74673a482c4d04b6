// One worker's aggregation state: accounting plus one group table per requested grouping.
// Workers never share a shard; shards merge at the end.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/analyze/apf_join.h"
#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/group_table.h"
#include "kubeblame/analyze/input_stats.h"
#include "kubeblame/analyze/record_filter.h"
#include "kubeblame/analyze/redact.h"
#include "kubeblame/analyze/seen_events.h"
#include "kubeblame/analyze/weighted.h"
#include "kubeblame/decode/record.h"

namespace kubeblame::analyze {

// What to compute in the single pass.
struct AnalysisPlan {
  std::vector<std::vector<Dimension>> groupings;
  // At most one analyzer of each type per shard, found with Shard::get<T>().
  std::vector<AnalyzerFactory> analyzers;
  // Bound on the groups of each grouping (--max-groups; 0 = unlimited), see GroupTable.
  std::size_t max_groups = GroupTable::kDefaultMaxGroups;
  // --redact: events and log lines are rewritten (analyze/redact.h) before anything sees them.
  std::optional<RedactKey> redact;
  // --since/--until/--where (times resolved); an empty filter costs nothing per record.
  RecordFilter filter;
  // The same event read twice is counted once (the pipeline shares one SeenEvents between the
  // shards); false with --keep-duplicates.
  bool deduplicate = false;
  // Names priority_level and flow_schema (null: they are "(unknown)"); filled by the APF pass.
  std::shared_ptr<const ApfJoin> apf_join;
  // Set by a command whose groupings need apf_join: the run reads the HTTP log lines first.
  bool apf_join_needed = false;
  // Groupings that need the join only when HTTP log lines are among the inputs (report): the
  // plan's analyzers include an ApfCollector, and when it read any line the run counts these
  // groupings in a second pass with the join (Shard::adopt_tables).
  std::vector<std::vector<Dimension>> apf_groupings;
};

// True when a grouping names priority_level or flow_schema.
bool needs_apf_join(const std::vector<Dimension>& by);

// What one counted request contributes to its groups (all but the webhook-specific facts).
RequestFacts request_facts(const model::AuditEvent& event, model::TimeNs time);

class Shard : public decode::EventSink {
 public:
  explicit Shard(const AnalysisPlan& plan);

  // Where the next records come from, for skip samples.
  void set_position(std::uint32_t input, std::uint64_t line) {
    input_ = input;
    line_ = line;
  }
  // The set every worker's shard consults before counting an event (null: count every copy).
  void set_seen_events(SeenEvents* seen) { seen_ = seen; }
  // True when one of its analyzers reads request bodies (Analyzer::reads_bodies).
  bool reads_bodies() const;
  void on_event(const model::AuditEvent& event, decode::Format format) override;
  void on_skip(decode::SkipReason reason, decode::Format format) override;
  void on_log_line(const model::LogLine& line, decode::Format format) override;
  // A kubeblame kql result row: staged (analyze/weighted.h); filters apply at fill_weighted().
  void on_group(const model::WeightedGroup& group, decode::Format format) override;
  void on_export_cut(decode::ExportCut cut) override { ++stats_.cuts[static_cast<std::size_t>(cut)]; }
  void on_admin_source(decode::AdminSource source) override {
    ++stats_.admin_events[static_cast<std::size_t>(source)];
  }
  // Folds `other` in; its group tables are left empty and its analyzers may be left in a
  // moved-from state.
  void merge(Shard& other);

  // Weighted input, once the shards are merged: fills every group table and the timeline, if
  // planned, from the staged results, keeping the groups `where` accepts; sets the requests
  // counted and the time span. An error message (a usage error) when a result is missing; with
  // `uncovered`, such messages are added there instead and the grouping stays empty.
  std::optional<std::string> fill_weighted(const std::vector<WhereClause>& where,
                                           std::vector<std::string>* uncovered = nullptr);
  const WeightedStage& weighted() const { return weighted_; }
  // Weighted input, before fill_weighted(): the grouping `from` becomes `to`.
  void regroup(const std::vector<Dimension>& from, const std::vector<Dimension>& to);
  // The analyzer of type T if the plan asked for one, else null.
  template <class T>
  T* find_planned() {
    for (auto& analyzer : analyzers_) {
      if (analyzer->type() == analyzer_type<T>()) return &analyzer_cast<T>(*analyzer);
    }
    return nullptr;
  }

  const InputStats& stats() const { return stats_; }
  InputStats& stats() { return stats_; }
  const std::vector<GroupTable>& tables() const { return tables_; }
  // The group table of the plan's grouping `by` (in the plan's order of dimensions).
  const GroupTable& table(const std::vector<Dimension>& by) const;
  // The same, or null when the run computed no such grouping.
  const GroupTable* find_table(const std::vector<Dimension>& by) const;
  // After the run: takes `other`'s group tables (a later pass over the same inputs) and its APF
  // join accounting. No event may be added afterwards.
  void adopt_tables(Shard& other);
  // The analyzer of type T that the plan asked for; asking for one it did not plan is a
  // programming error (abort).
  template <class T>
  const T& get() const {
    return analyzer_cast<T>(find(analyzer_type<T>()));
  }
  template <class T>
  T& get() {
    return analyzer_cast<T>(find(analyzer_type<T>()));
  }

 private:
  void add_request(const model::AuditEvent& event, model::TimeNs time);
  void add_to_webhook_tables(const model::AuditEvent& event, RequestFacts facts);
  bool add_to_none_groups(const RequestFacts& facts);
  static constexpr std::size_t kNoGroup = static_cast<std::size_t>(-1);
  const Analyzer& find(AnalyzerType type) const;
  Analyzer& find(AnalyzerType type);

  InputStats stats_;
  WeightedStage weighted_;
  std::vector<GroupTable> tables_;
  std::vector<std::unique_ptr<Analyzer>> analyzers_;
  std::optional<Redactor> redactor_;
  std::optional<RecordFilter> filter_;  // engaged only for a non-empty filter
  SeenEvents* seen_ = nullptr;
  const ApfJoin* apf_join_ = nullptr;
  ApfCollector* apf_collector_ = nullptr;  // the plan's, if any: sees every raw log line
  DimensionValues values_;
  DimensionValues filter_values_;  // of the raw event, when --redact rewrites it for values_
  std::vector<std::string_view> key_;
  std::vector<std::size_t>
      groups_;  // per table, for the event being added (kNoGroup: webhook tables)
  // A table whose dimensions are all in a wider table (report's `agent` in `agent,verb,resource`)
  // is a function of the wider table's group: each wider group's narrow group is found once and
  // remembered, so most events skip the narrow table's lookup. Exact: the narrow table still gets
  // every request. Remembered indexes are dropped when either table renumbers its groups.
  struct Derived {
    std::size_t table = 0;   // the narrow table
    std::size_t parent = 0;  // the wider table, located first
    std::vector<std::uint32_t> group_of;  // wider group -> narrow group + 1 (0: not yet known)
    std::uint64_t parent_generation = 0;
    std::uint64_t generation = 0;
  };
  std::vector<std::size_t> lookup_order_;  // tables looked up by key, wider ones first
  std::vector<std::size_t> webhook_tables_;  // tables grouped by webhook (analyze/dimension.h)
  struct NoneGroup {
    bool known = false;
    std::size_t group = 0;
    std::uint64_t generation = 0;
  };
  std::vector<NoneGroup> none_groups_;       // per webhook table grouped by webhook alone
  std::vector<Dimension> table_dimensions_;  // every dimension some table groups by
  std::vector<Derived> derived_;
  std::uint32_t input_ = 0;
  std::uint64_t line_ = 0;
};

}  // namespace kubeblame::analyze
