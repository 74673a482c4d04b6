// KQL for Log Analytics: the queries that compute a command's result where the data already is
// (docs/kql.md). Aggregating commands (top, timeline) get one summarize whose rows carry the
// group metrics and the latency histogram in LatencySketch's own buckets; the event commands
// (errors, fights) get a selection of only the rows they read, in the AKSAudit column shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/fights/fight_options.h"
#include "kubeblame/analyze/filter_spec.h"
#include "kubeblame/model/log_line.h"

namespace kubeblame::kql {

// The Log Analytics table the audit events come from.
enum class Table : std::uint8_t { kAksAudit, kAksAuditAdmin, kAzureDiagnostics };

std::optional<Table> parse_table(std::string_view name);
std::string_view table_name(Table table);

// The marker column of an aggregate result, and its values (one per result layout).
inline constexpr std::string_view kMarkerColumn = "kubeblame";
inline constexpr std::string_view kTopMarker = "top/v1";
inline constexpr std::string_view kTimelineMarker = "timeline/v1";

struct QueryRequest {
  std::string command;  // top, timeline, errors, fights or report
  Table table = Table::kAksAudit;
  std::vector<analyze::Dimension> by{analyze::Dimension::kAgent};
  analyze::FilterSpec filters;  // relative times mean ago()
  std::int64_t interval_s = 0;  // timeline: 0 = derived from the window, else 1h
  std::int64_t split_s = 0;     // --split: one query per window of this length; 0 = one query
  model::TimeNs now = 0;        // resolves relative --since/--until when --split needs fixed windows
  model::LogLevel min_level = model::LogLevel::kError;  // errors: the lowest control-plane level
  analyze::FightOptions fights;
  std::string version;
  std::string command_line;  // for the header comment
};

// The queries, each a complete text starting with `//` comments: with several (report, --split),
// each starts with a `// ---- query N of M: WHAT ----` line. Throws std::invalid_argument (one
// sentence) for what KQL cannot compute (--by error, ...).
std::vector<std::string> generate(const QueryRequest& request);

}  // namespace kubeblame::kql
