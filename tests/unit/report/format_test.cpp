// Number and time formatting: exact strings, locale-independent.
#include "kubeblame/report/format.h"

#include <catch2/catch.hpp>

#include <limits>

#include "kubeblame/model/time.h"

namespace kubeblame::report {
namespace {

constexpr model::TimeNs kSecond = model::kNsPerSecond;
constexpr model::TimeNs kT = 1719776474LL * kSecond;  // 2024-06-30T19:41:14Z

TEST_CASE("format_count groups thousands", "[report][format]") {
  CHECK(format_count(0) == "0");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1,000");
  CHECK(format_count(1234567) == "1,234,567");
  CHECK(format_count(100000) == "100,000");
  CHECK(format_count(std::numeric_limits<std::uint64_t>::max()) == "18,446,744,073,709,551,615");
}

TEST_CASE("plural: the noun agrees with the count", "[report][format]") {
  CHECK(plural(0, "write") == "0 writes");
  CHECK(plural(1, "write") == "1 write");
  CHECK(plural(2, "write") == "2 writes");
  CHECK(plural(1234, "lease write") == "1,234 lease writes");
  CHECK(plural(1, "body", "bodies") == "1 body");
  CHECK(plural(3, "body", "bodies") == "3 bodies");
  CHECK(plural(1, "object written", "objects written") == "1 object written");
}

TEST_CASE("format_fixed groups the integer part", "[report][format]") {
  CHECK(format_fixed(1234.5, 1) == "1,234.5");
  CHECK(format_fixed(0.125, 2) == "0.12");  // binary 0.125 rounds half to even
  CHECK(format_fixed(999.999, 2) == "1,000.00");
  CHECK(format_fixed(1234567.0, 0) == "1,234,567");
  CHECK(format_fixed(-1234.5, 1) == "-1,234.5");
  CHECK(format_fixed(0, 2) == "0.00");
}

TEST_CASE("format_latency_ms picks a unit", "[report][format]") {
  CHECK(format_latency_ms(0) == "0µs");
  CHECK(format_latency_ms(0.85) == "850µs");
  CHECK(format_latency_ms(1.0) == "1.00ms");
  CHECK(format_latency_ms(9.99) == "9.99ms");
  CHECK(format_latency_ms(12.34) == "12.3ms");
  CHECK(format_latency_ms(999.9) == "999.9ms");
  CHECK(format_latency_ms(1240) == "1.24s");
  CHECK(format_latency_ms(59'990) == "59.99s");
  CHECK(format_latency_ms(125'000) == "2m05s");
  CHECK(format_latency_ms(3'600'000) == "1h00m");
  CHECK(format_latency_ms(7'384'000) == "2h03m");
}

TEST_CASE("format_span", "[report][format]") {
  CHECK(format_span(0) == "0s");
  CHECK(format_span(45) == "45s");
  CHECK(format_span(725) == "12m 05s");
  CHECK(format_span(3 * 3600 + 120) == "3h 02m");
  CHECK(format_span(2 * 86400 + 4 * 3600) == "2d 04h");
}

TEST_CASE("format_rfc3339 uses 0, 3, 6 or 9 fraction digits", "[report][format]") {
  CHECK(format_rfc3339(kT) == "2024-06-30T19:41:14Z");
  CHECK(format_rfc3339(kT + 391'000'000) == "2024-06-30T19:41:14.391Z");
  CHECK(format_rfc3339(kT + 278'898'000) == "2024-06-30T19:41:14.278898Z");
  CHECK(format_rfc3339(kT + 278'898'001) == "2024-06-30T19:41:14.278898001Z");
  CHECK(format_rfc3339(kT + 1'000) == "2024-06-30T19:41:14.000001Z");
  CHECK(format_rfc3339(kT + 1) == "2024-06-30T19:41:14.000000001Z");
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_time_short(kT + 999'999'999) == "2024-06-30 19:41:14Z");
}

TEST_CASE("format_json_number trims trailing zeros", "[report][format]") {
  CHECK(format_json_number(0.25, 6) == "0.25");
  CHECK(format_json_number(3.0, 3) == "3");
  CHECK(format_json_number(1.2344, 3) == "1.234");
  CHECK(format_json_number(1.2346, 3) == "1.235");
  CHECK(format_json_number(100.0, 0) == "100");
  CHECK(format_json_number(1000.0, 2) == "1000");
  CHECK(format_json_number(-0.0001, 3) == "0");
  CHECK(format_json_number(-2.5, 1) == "-2.5");
  CHECK(format_json_number(0, 6) == "0");
  CHECK(format_json_number(std::numeric_limits<double>::infinity(), 3) == "null");
  CHECK(format_json_number(std::numeric_limits<double>::quiet_NaN(), 3) == "null");
}

}  // namespace
}  // namespace kubeblame::report
