// --since/--until values. Absolute times reuse the decoders' RFC 3339 parser (the same spellings
// the input uses), restricted to ones that start with a date so `90` is never a year.
#include "kubeblame/analyze/time_bound.h"

#include <fmt/format.h>

#include <stdexcept>

#include "kubeblame/decode/timestamp.h"
#include "kubeblame/model/time.h"

namespace kubeblame::analyze {

namespace {

bool starts_with_date(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

}  // namespace

bool parse_duration(std::string_view text, std::int64_t& out_ns) {
  constexpr std::int64_t kMaxSeconds = 100LL * 366 * 86400;
  if (text.empty()) return false;
  std::int64_t seconds = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 10) return false;
      number = number * 10 + (text[pos++] - '0');
    }
    if (digits == 0 || pos >= text.size()) return false;
    switch (text[pos++]) {
      case 'd':
        seconds += number * 86400;
        break;
      case 'h':
        seconds += number * 3600;
        break;
      case 'm':
        seconds += number * 60;
        break;
      case 's':
        seconds += number;
        break;
      default:
        return false;
    }
    if (seconds > kMaxSeconds) return false;
  }
  out_ns = seconds * model::kNsPerSecond;
  return true;
}

TimeBound parse_time_bound(std::string_view flag, std::string_view text) {
  TimeBound bound;
  bound.text = std::string(text);
  if (starts_with_date(text) && decode::parse_timestamp(text, bound.at)) return bound;
  if (parse_duration(text, bound.before_ns)) {
    bound.relative = true;
    return bound;
  }
  throw std::invalid_argument(
      fmt::format("invalid {} '{}': expected an RFC 3339 time (2024-06-30T19:00:00Z, "
                  "2024-06-30T21:00:00.5+02:00) or a duration before the input's last "
                  "record (45s, 90m, 2h, "
                  "1d, 1h30m)",
                  flag, text));
}

}  // namespace kubeblame::analyze
