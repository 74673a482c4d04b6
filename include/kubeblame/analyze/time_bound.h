// One end of the --since/--until window: an absolute RFC 3339 time, or a duration counted back from
// the input's last record (`2h` = two hours before it), resolved once that time is known.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

struct TimeBound {
  bool relative = false;
  model::TimeNs at = 0;        // absolute: the time itself
  std::int64_t before_ns = 0;  // relative: how long before the last record
  std::string text;            // as given, for messages

  // The absolute time, given the input's last record time.
  model::TimeNs resolve(model::TimeNs last) const { return relative ? last - before_ns : at; }
};

// Parses `2024-06-30T19:00:00Z`, `2024-06-30T21:00:00.25+02:00`, `2024-06-30` (midnight UTC; no
// zone means UTC), or a duration `45s`, `90m`, `2h`, `1d`, `1h30m`. `flag` names the option in the
// message of the std::invalid_argument thrown for anything else.
TimeBound parse_time_bound(std::string_view flag, std::string_view text);

// `1h30m` -> nanoseconds; false for anything but <digits><d|h|m|s> repeated (at most 100 years).
bool parse_duration(std::string_view text, std::int64_t& out_ns);

}  // namespace kubeblame::analyze
