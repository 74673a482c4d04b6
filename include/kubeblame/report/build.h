// Turns the merged analysis into report structs: ranking, --top cut-off and the (other) row.
// Every command's report is built here from the analyses the command planned.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kubeblame/analyze/group_table.h"
#include "kubeblame/analyze/input_stats.h"
#include "kubeblame/analyze/record_filter.h"
#include "kubeblame/analyze/redact.h"
#include "kubeblame/report/diff_report.h"
#include "kubeblame/report/errors_report.h"
#include "kubeblame/report/fights_report.h"
#include "kubeblame/report/incident_report.h"
#include "kubeblame/report/report.h"
#include "kubeblame/report/sort_key.h"
#include "kubeblame/report/timeline_report.h"

namespace kubeblame::analyze {
class ErrorTable;
class FightAnalyzer;
class ListSourceAnalyzer;
class TimelineAnalyzer;

}  // namespace kubeblame::analyze

namespace kubeblame::report {

InputSummary build_input_summary(const analyze::InputStats& stats,
                                 const std::vector<std::string>& files);

// "since <RFC 3339>", "until <RFC 3339>", then each where clause as written ("code>=400").
std::vector<std::string> describe_filter(const analyze::RecordFilter& filter);

// Ranks the groups of `table` by `sort` (ties: requests, then key text), keeps `top` rows
// (0 keeps all) and folds the rest into the other row.
TopReport build_top(const analyze::GroupTable& table, const InputSummary& input, SortKey sort,
                    std::size_t top);

// Every group of `table` together, folded ones included: the total line of a report.
RowMetrics build_total(const analyze::GroupTable& table, const InputSummary& input);

// One side of `diff`: its groups, its input summary and the path it was given as.
struct DiffInput {
  const analyze::GroupTable& table;
  const InputSummary& input;
  std::string label;
};

// Joins the groups of both sides by key (build_top of each, every group), turns counts into
// rates over each side's span, ranks by the absolute change of the `sort` rate (ties: the
// change in requests/s, then the key's text), keeps `top` rows (0 = all) and sums the rest
// into `other`.
DiffReport build_diff(const DiffInput& before, const DiffInput& after, DiffSort sort, std::size_t top);

// Ranks the error signatures by count, then signature text; keeps `top` rows (0 keeps all) and
// sums the rest into other_rows/other_count. Adds a warning to the input summary when a bound
// folded signatures or callers.
ErrorsReport build_errors(const analyze::ErrorTable& errors, const InputSummary& input, std::size_t top);

// Ranks fights (by flips per hour), then conflict bursts (by conflicts), then hot loops (by
// writes per hour), with contested fields and hints; keeps `top` rows (0 = all).
FightsReport build_fights(const analyze::FightAnalyzer& analyzer, const InputSummary& input,
                          std::size_t top);

// --redact: replaces the values writers set by keyed tokens (the contested paths stay).
void redact_fight_values(FightsReport& fights, const analyze::RedactKey& key);

// Ranks (agent, resource) groups by etcd LISTs, then etcd cost, then LISTs, then agent and
// resource text; keeps `top` rows (0 = all) and sums the rest into `other`.
ListSourcesReport build_list_sources(const analyze::ListSourceAnalyzer& analyzer, std::size_t top);

// With an explicit interval: the usage error to report when the input's span needs more than
// kTimelineMaxBuckets buckets; nullopt otherwise.
std::optional<std::string> timeline_interval_error(const analyze::TimelineAnalyzer& timeline);

// Final interval (auto or explicit), dense series for the `top` largest groups (by requests,
// then key text; 0 keeps all), the rest summed into `other`, and the total. Past max_groups
// the same ranking rule as `top` applies and a warning is added to the input summary.
TimelineReport build_timeline(const analyze::TimelineAnalyzer& timeline, const InputSummary& input,
                              std::size_t top);

}  // namespace kubeblame::report
