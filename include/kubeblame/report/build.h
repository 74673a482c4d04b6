// Turns the merged analysis into report structs: ranking, --top cut-off and the (other) row.
#pragma once

#include <string>
#include <vector>

#include "kubeblame/analyze/group_table.h"
#include "kubeblame/analyze/input_stats.h"
#include "kubeblame/analyze/record_filter.h"
#include "kubeblame/report/report.h"

namespace kubeblame::report {

enum class SortKey { kRequests, kCost, kErrors, kP99 };

InputSummary build_input_summary(const analyze::InputStats& stats,
                                 const std::vector<std::string>& files);

// "since <RFC 3339>", "until <RFC 3339>", then each where clause as written ("code>=400").
std::vector<std::string> describe_filter(const analyze::RecordFilter& filter);

// Ranks the groups of `table` by `sort` (ties: requests, then key text), keeps `top` rows
// (0 keeps all) and folds the rest into the other row.
TopReport build_top(const analyze::GroupTable& table, const InputSummary& input, SortKey sort,
                    std::size_t top);

std::string_view sort_key_name(SortKey sort);

}  // namespace kubeblame::report
