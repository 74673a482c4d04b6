// Plain report data, built once from the analysis and handed to the renderers. Renderers are
// pure functions of these structs; they never reach back into the aggregator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::report {

struct RowMetrics {
  std::uint64_t requests = 0;
  double share = 0;
  std::optional<double> rate_per_s;
  std::uint64_t errors = 0;
  std::optional<double> p50_ms, p95_ms, p99_ms, max_ms;  // absent without latency data
  std::optional<double> cost_s;                          // the same: latency summed
  std::uint64_t watches = 0;
  std::uint64_t throttled = 0;  // 429s
  // The latency breakdown: sums over the `traced` requests, absent where traced is 0.
  std::uint64_t traced = 0;
  std::optional<double> etcd_s, webhook_s, apf_wait_s;
  std::uint64_t mutations = 0, failed_open = 0;  // `webhook` groups only
  std::optional<model::TimeNs> first, last;
};

struct Row {
  std::vector<std::string> key;  // one value per dimension
  RowMetrics metrics;
};

struct OtherRow {
  std::uint64_t groups = 0;  // how many groups were folded in
  RowMetrics metrics;
};

struct InputSummary {
  std::vector<std::string> files;
  std::vector<std::pair<std::string, std::uint64_t>> formats;  // only those seen
  std::uint64_t lines = 0, decoded = 0, events = 0, log_lines = 0, requests = 0, filtered = 0;
  std::uint64_t duplicates = 0;  // decoded, but copies of events already counted
  std::vector<std::pair<std::string, std::uint64_t>> skipped;  // only non-zero reasons
  std::uint64_t skipped_total = 0;
  std::uint64_t sampled_skips = 0;    // skips that may have a sample (all but blank lines)
  std::optional<model::TimeNs> first, last;
  std::vector<std::string> samples;   // "file:line: reason"
  std::vector<std::string> warnings;  // shown in every format
  // The --since/--until/--where in force, resolved ("since 2025-02-25T10:00:00Z",
  // "where code>=400"); empty without filters (and then absent from the JSON).
  std::vector<std::string> filters;
  // The APF join, only when one ran (analyze/apf_join.h).
  struct ApfJoin {
    std::uint64_t lines = 0;     // HTTP log lines with an audit ID and APF names
    std::uint64_t kept = 0;      // distinct audit IDs kept
    std::uint64_t dropped = 0;   // lines past the bound
    std::uint64_t unjoined = 0;  // counted requests no kept line named: "(unknown)"
  };
  std::optional<ApfJoin> apf_join;
};

struct TopReport {
  std::string command = "top";
  std::vector<std::string> by;
  std::string sort = "requests";
  std::size_t top = 20;
  InputSummary input;
  std::vector<Row> rows;
  std::optional<OtherRow> other;
  // Metric columns of the terminal and markdown tables, by name (report/table_columns.h);
  // empty: the default ones.
  std::vector<std::string> columns;
};

}  // namespace kubeblame::report
