// `kubeblame diff`: the same groups in two input sets (BEFORE and AFTER), each side's counts
// turned into rates over that side's own time span, joined by key and ranked by the change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/report/report.h"

namespace kubeblame::report {

// --sort: which rate's absolute change ranks the rows.
enum class DiffSort { kRate, kCost, kErrors };

std::string_view diff_sort_name(DiffSort sort);

struct DiffSide {
  std::string label;  // the path as given on the command line ("-" for stdin)
  InputSummary input;
  // What the side's rates are divided by: last - first record time, at least 1 s (one event,
  // or all events in one instant, or no times at all: 1 s). docs/manual.md, "diff".
  double span_s = 1;
};

// One side of a row: the usual metrics (rate_per_s always set, over the side's span) and the
// other two rates.
struct DiffMetrics {
  RowMetrics metrics;
  double errors_per_s = 0;
  // API-server seconds per second; absent when the side's requests carry no latency (GKE).
  std::optional<double> cost_s_per_s;
};

// after - before; the *_pct are the relative changes of the rates, absent when before is 0.
struct DiffChange {
  std::int64_t requests = 0;
  std::int64_t errors = 0;
  std::optional<double> cost_s;  // absent when either side's cost is unknown (no latency)
  double rate_per_s = 0;
  double errors_per_s = 0;
  std::optional<double> cost_s_per_s;
  std::optional<double> rate_pct, errors_pct, cost_pct;
};

// A group on both sides, only after (new: it appeared) or only before (gone: it vanished).
enum class DiffStatus { kBoth, kNew, kGone };

std::string_view diff_status_name(DiffStatus status);

struct DiffRow {
  std::vector<std::string> key;  // one value per dimension
  DiffStatus status = DiffStatus::kBoth;
  DiffMetrics before, after;
  DiffChange change;
};

// (other) and (total): sums over groups; latency percentiles only where a side's sketches could
// be merged (the total), null in (other).
struct DiffSum {
  std::uint64_t groups = 0;  // distinct keys summed, over both sides
  DiffMetrics before, after;
  DiffChange change;
};

struct DiffReport {
  std::vector<std::string> by;
  std::string sort = "rate";
  std::size_t top = 20;
  DiffSide before, after;
  std::vector<DiffRow> rows;
  std::optional<DiffSum> other;  // the groups past --top
  DiffSum total;
};

}  // namespace kubeblame::report
