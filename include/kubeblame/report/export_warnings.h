// Warnings for inputs that miss part of the traffic by their export path (admin-only sources
// without reads, row caps, dropped or cut bodies, holes in time), each with its cause and what to
// export instead. Part of every input summary.
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
// kMinGapShare of the events' span, and events arrive steadily in the rest of the span. Steady
// means all three of: at least kMinSteadyEvents events; at least kMinSteadyBuckets non-empty
// time-histogram buckets (each 1/1024 to 1/512 of the span, at least 2^30 ns); and at least
// kMinBusyShare of the buckets outside the hole non-empty. Quiet, bursty or narrowly filtered
// exports, whose events leave many buckets empty, and a handful of events far apart (two events
// two hours apart, two small files) do not warn.
inline constexpr double kMinGapSeconds = 600;
inline constexpr double kMinGapShare = 0.10;
inline constexpr double kMinBusyShare = 0.50;
inline constexpr std::uint64_t kMinSteadyEvents = 100;
inline constexpr std::int64_t kMinSteadyBuckets = 10;

// In a fixed order: admin-only sources (AKSAuditAdmin, ArcK8sAuditAdmin, kube-audit-admin), row
// caps by input, bodies dropped by AKS, truncated events, log_s and properties.log cut, the
// largest hole, GKE input (which has no latency). `files` are the input names, by input index.
std::vector<std::string> export_limit_warnings(const analyze::InputStats& stats,
                                               const std::vector<std::string>& files);

// A Log Analytics REST response whose "error" member says the result is partial (`api_error` as
// decode::JsonFramer::api_error() gives it, e.g. "PartialError: ... (Query result set has
// exceeded the internal data size limit ...)"): the rows in `file` are incomplete.
std::string partial_result_warning(const std::string& file, const std::string& api_error);

}  // namespace kubeblame::report
