// --since/--until/--where as the command line gives them, before relative times are resolved.
#pragma once

#include <optional>
#include <vector>

#include "kubeblame/analyze/time_bound.h"
#include "kubeblame/analyze/where_clause.h"

namespace kubeblame::analyze {

// The filters as the command line gives them; app::FilterPass resolves relative times into a
// RecordFilter once the input's last record time is known.
struct FilterSpec {
  std::optional<TimeBound> since;
  std::optional<TimeBound> until;
  std::vector<WhereClause> where;

  bool relative() const { return (since && since->relative) || (until && until->relative); }
};

}  // namespace kubeblame::analyze
