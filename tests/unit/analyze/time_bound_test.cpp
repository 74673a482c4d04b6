// --since/--until values: RFC 3339 spellings, durations, and the exact message for bad ones.
#include "kubeblame/analyze/time_bound.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

#include "kubeblame/model/time.h"

namespace kubeblame::analyze {
namespace {

constexpr std::int64_t kS = model::kNsPerSecond;
// 2024-06-30T19:00:00Z
constexpr model::TimeNs kT = model::ns_from_civil({2024, 6, 30, 19, 0, 0, 0});

std::string error_of(std::string_view flag, std::string_view text) {
  try {
    parse_time_bound(flag, text);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("parse_time_bound reads RFC 3339 times", "[analyze][time_bound]") {
  struct Case {
    const char* text;
    model::TimeNs expected;
  };
  const Case cases[] = {
      {"2024-06-30T19:00:00Z", kT},
      {"2024-06-30T19:00:00z", kT},
      {"2024-06-30t19:00:00Z", kT},
      {"2024-06-30T19:00:00.5Z", kT + kS / 2},
      {"2024-06-30T19:00:00.123456789Z", kT + 123456789},
      {"2024-06-30T21:00:00+02:00", kT},
      {"2024-06-30T21:30:00.25+02:30", kT + kS / 4},
      {"2024-06-30T14:00:00-05:00", kT},
      {"2024-06-30T19:00:00", kT},  // no zone: UTC
      {"2024-06-30 19:00:00Z", kT},
      {"2024-06-30", kT - 19 * 3600 * kS},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    TimeBound bound = parse_time_bound("--since", c.text);
    CHECK_FALSE(bound.relative);
    CHECK(bound.at == c.expected);
    CHECK(bound.text == c.text);
    CHECK(bound.resolve(kT + 1000 * kS) == c.expected);
  }
}

TEST_CASE("parse_time_bound reads durations before the last record", "[analyze][time_bound]") {
  struct Case {
    const char* text;
    std::int64_t seconds;
  };
  const Case cases[] = {
      {"45s", 45},     {"90m", 5400},       {"2h", 7200}, {"1d", 86400},
      {"1h30m", 5400}, {"1d2h3m4s", 93784}, {"0s", 0},    {"36500d", 36500LL * 86400}};
  for (const Case& c : cases) {
    INFO(c.text);
    TimeBound bound = parse_time_bound("--until", c.text);
    CHECK(bound.relative);
    CHECK(bound.before_ns == c.seconds * kS);
    CHECK(bound.resolve(kT) == kT - c.seconds * kS);
  }
}

TEST_CASE("parse_duration refuses anything but digits and units", "[analyze][time_bound]") {
  std::int64_t ns = -1;
  for (const char* bad :
       {"", "2", "h", "2x", "2h30", "1.5h", "-2h", "2 h", "2H", "99999999999s", "36700d"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad, ns));
  }
  CHECK(ns == -1);
}

TEST_CASE("parse_time_bound names the flag, the value and what is accepted",
          "[analyze][time_bound]") {
  const std::string accepted =
      "expected an RFC 3339 time (2024-06-30T19:00:00Z, 2024-06-30T21:00:00.5+02:00) or a "
      "duration before the input's last record (45s, 90m, 2h, 1d, 1h30m)";
  CHECK(error_of("--since", "yesterday") == "invalid --since 'yesterday': " + accepted);
  CHECK(error_of("--until", "2h30") == "invalid --until '2h30': " + accepted);
  CHECK(error_of("--since", "2024-13-01T00:00:00Z") ==
        "invalid --since '2024-13-01T00:00:00Z': " + accepted);
  CHECK(error_of("--since", "2024-06-30T25:00:00Z") ==
        "invalid --since '2024-06-30T25:00:00Z': " + accepted);
  CHECK(error_of("--since", "2/25/2025, 9:19:25 AM") ==
        "invalid --since '2/25/2025, 9:19:25 AM': " + accepted);
  CHECK(error_of("--since", "1719774000") == "invalid --since '1719774000': " + accepted);
}

}  // namespace kubeblame::analyze
