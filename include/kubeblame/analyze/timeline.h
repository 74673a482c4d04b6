// Requests and errors per time bucket, per group of dimensions: `kubeblame timeline` and the
// report's timeline section. timeline_analyzer_factory() rides along the single pass;
// build_timeline() turns the merged analyzer into a report::TimelineReport.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/timeline_ladder.h"
#include "kubeblame/report/timeline_report.h"

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

// Counts counted requests (SPEC rule) that have a time into buckets per group of
// options.by; requests without any timestamp are only counted as untimed.
AnalyzerFactory timeline_analyzer_factory(const TimelineOptions& options);

// With an explicit interval: the usage error to report when the input's span needs more than
// kTimelineMaxBuckets buckets; nullopt otherwise.
std::optional<std::string> timeline_interval_error(const Analyzer& analyzer);

// Final interval (auto or explicit), dense series for the `top` largest groups (by requests,
// then key text; 0 keeps all), the rest summed into `other`, and the total. Past max_groups
// the same ranking rule as `top` applies and a warning is added to the input summary.
report::TimelineReport build_timeline(const Analyzer& analyzer, const report::InputSummary& input,
                                      std::size_t top);

}  // namespace kubeblame::analyze
