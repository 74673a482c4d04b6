// Record filtering. With a time window, a record without any time cannot be placed in it and is
// excluded (counted as filtered) rather than silently kept.
#include "kubeblame/analyze/record_filter.h"

namespace kubeblame::analyze {

bool RecordFilter::keep_time(model::TimeNs time) const {
  if (!since && !until) return true;
  if (time == 0) return false;
  if (since && time < *since) return false;
  if (until && time >= *until) return false;
  return true;
}

bool RecordFilter::keep_event(const model::AuditEvent& event, model::TimeNs time,
                              DimensionValues& values) const {
  if (!keep_time(time)) return false;
  for (const WhereClause& clause : where) {
    if (!clause.matches(values.get(clause.dimension), event.code)) return false;
  }
  return true;
}

bool RecordFilter::keep_log_line(const model::LogLine& line) const {
  return where.empty() && keep_time(line.time);
}

}  // namespace kubeblame::analyze
