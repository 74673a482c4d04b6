// Warnings for inputs that look cut by their export path (row caps, dropped or cut bodies, holes
// in time), each with its cause and what to export instead. Part of every input summary.
#pragma once

#include <string>
#include <vector>

#include "kubeblame/analyze/input_stats.h"

namespace kubeblame::report {

// Row counts that a Log Analytics export stops at (Azure Monitor service limits, Log Analytics
// workspaces): 30,000 is the log query result cap the Azure portal had (older versions), 500,000
// the query API's cap (az monitor log-analytics query, REST, and today's portal).
inline constexpr std::uint64_t kPortalRowCap = 30000;
inline constexpr std::uint64_t kQueryApiRowCap = 500000;

// A hole is reported when no audit event falls in it for at least kMinGapSeconds, it is at least
// kMinGapShare of the events' span, and the rest of the span is busy: at least kMinBusyShare of
// its time-histogram buckets (about 1/1000 of the span each) hold an event. Quiet, bursty or
// narrowly filtered exports, whose events leave many buckets empty, do not warn.
inline constexpr double kMinGapSeconds = 600;
inline constexpr double kMinGapShare = 0.10;
inline constexpr double kMinBusyShare = 0.50;

// In a fixed order: row caps by input, bodies dropped by AKS, truncated events, log_s and
// properties.log cut, the largest hole. `files` are the input names, by input index.
std::vector<std::string> export_limit_warnings(const analyze::InputStats& stats,
                                               const std::vector<std::string>& files);

// A Log Analytics REST response whose "error" member says the result is partial (`api_error` as
// decode::JsonFramer::api_error() gives it, e.g. "PartialError: ... (Query result set has
// exceeded the internal data size limit ...)"): the rows in `file` are incomplete.
std::string partial_result_warning(const std::string& file, const std::string& api_error);

}  // namespace kubeblame::report
