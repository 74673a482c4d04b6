// The timeline's time arithmetic: ladder steps, floor division for epoch-aligned buckets (also
// before 1970), and the --interval syntax.
#include "kubeblame/analyze/timeline/timeline_ladder.h"

#include <algorithm>
#include <array>

#include "kubeblame/model/time.h"

namespace kubeblame::analyze {

namespace {

constexpr std::array<std::int64_t, 13> kLadderSeconds = {1,    5,    10,   30,    60,    300,  900,
                                                         1800, 3600, 7200, 21600, 43200, 86400};
constexpr std::size_t kDoublingSteps = 16;  // 2d .. 65536d

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  std::int64_t quotient = value / divisor;
  return (value % divisor) < 0 ? quotient - 1 : quotient;
}

}  // namespace

std::size_t ladder_size() { return kLadderSeconds.size() + kDoublingSteps; }

std::int64_t ladder_seconds(std::size_t step) {
  if (step < kLadderSeconds.size()) return kLadderSeconds[step];
  std::size_t doublings = std::min(step - kLadderSeconds.size() + 1, kDoublingSteps);
  return kLadderSeconds.back() << doublings;
}

std::size_t ladder_step_for(model::TimeNs first, model::TimeNs last, std::uint64_t max_buckets) {
  for (std::size_t step = 0; step + 1 < ladder_size(); ++step) {
    if (bucket_span(first, last, ladder_seconds(step) * model::kNsPerSecond) <= max_buckets) return step;
  }
  return ladder_size() - 1;
}

std::int64_t bucket_index(model::TimeNs time, std::int64_t interval_ns) {
  return floor_div(time, interval_ns);
}

std::uint64_t bucket_span(model::TimeNs first, model::TimeNs last, std::int64_t interval_ns) {
  if (last < first) return 0;
  return static_cast<std::uint64_t>(bucket_index(last, interval_ns) - bucket_index(first, interval_ns)) + 1;
}

std::optional<std::int64_t> parse_interval(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) return std::nullopt;
  std::int64_t value = 0;
  for (std::size_t i = 0; i < digits; ++i) value = value * 10 + (text[i] - '0');
  std::string_view unit = text.substr(digits);
  std::int64_t multiplier = 0;
  if (unit.empty() || unit == "s") multiplier = 1;
  else if (unit == "m") multiplier = 60;
  else if (unit == "h") multiplier = 3600;
  else if (unit == "d") multiplier = 86400;
  else return std::nullopt;
  if (value == 0 || value > kTimelineMaxIntervalSeconds / multiplier) return std::nullopt;
  return value * multiplier;
}

std::string format_interval(std::int64_t seconds) {
  if (seconds > 0 && seconds % 86400 == 0) return std::to_string(seconds / 86400) + "d";
  if (seconds > 0 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds > 0 && seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

}  // namespace kubeblame::analyze
