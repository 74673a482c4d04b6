// Report data for `kubeblame timeline` and the report's timeline section: requests per time
// interval for the top groups of a grouping. Buckets are aligned to whole multiples of the
// interval since the Unix epoch (UTC), so a 1m timeline starts on a minute boundary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kubeblame/model/audit_event.h"
#include "kubeblame/report/report.h"

namespace kubeblame::report {

// One group's requests per bucket (counts.size() == TimelineReport::buckets).
struct TimelineSeries {
  std::vector<std::string> key;       // one value per dimension of `by`, as in TopRow
  std::uint64_t requests = 0;         // sum of counts
  std::uint64_t errors = 0;           // requests with code >= 400 in this series
  std::vector<std::uint64_t> counts;  // requests per bucket
  std::vector<std::uint64_t> error_counts;  // errors per bucket
};

struct TimelineReport {
  std::string command = "timeline";
  std::vector<std::string> by;       // dimension names
  std::size_t top = 10;
  InputSummary input;
  std::int64_t interval_s = 60;      // bucket width in seconds
  bool interval_auto = true;         // chosen from the span (no --interval)
  model::TimeNs start = 0;           // start of the first bucket (UTC, aligned to interval_s)
  std::size_t buckets = 0;           // number of buckets from `start`
  std::vector<TimelineSeries> series;  // top groups by requests, then key
  TimelineSeries other;              // everything beyond --top (key empty), summed
  std::uint64_t other_groups = 0;    // how many groups `other` holds
  TimelineSeries total;              // all counted requests with a time, per bucket
  std::uint64_t untimed = 0;         // counted requests without any timestamp (not in buckets)
};

}  // namespace kubeblame::report
