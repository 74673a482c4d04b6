// --since/--until/--where: which decoded records the analysis keeps. A Shard asks before any
// accounting beyond `lines`, so an excluded record counts only in `filtered`. Filters see raw
// values (before --redact).
#pragma once

#include <optional>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/filter_spec.h"
#include "kubeblame/analyze/time_bound.h"
#include "kubeblame/analyze/where_clause.h"
#include "kubeblame/model/audit_event.h"
#include "kubeblame/model/log_line.h"

namespace kubeblame::analyze {

struct RecordFilter {
  std::optional<model::TimeNs> since;  // kept: time >= since
  std::optional<model::TimeNs> until;  // kept: time < until
  std::vector<WhereClause> where;      // all must hold

  bool empty() const { return !since && !until && where.empty(); }

  // `time` is model::event_time(event) (0 = none); `values` has been reset to `event`.
  bool keep_event(const model::AuditEvent& event, model::TimeNs time,
                  DimensionValues& values) const;
  // Log lines have no dimensions: any --where excludes them.
  bool keep_log_line(const model::LogLine& line) const;

 private:
  bool keep_time(model::TimeNs time) const;
};


}  // namespace kubeblame::analyze
