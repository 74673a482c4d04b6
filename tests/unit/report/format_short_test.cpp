// Readable magnitudes (progress, --stats): exact strings at every rounding boundary.
#include <catch2/catch.hpp>

#include <limits>

#include "kubeblame/report/format.h"

namespace kubeblame::report {
namespace {

TEST_CASE("format_count_short: three significant digits at most", "[report][format]") {
  CHECK(format_count_short(0) == "0");
  CHECK(format_count_short(999) == "999");
  CHECK(format_count_short(1000) == "1.0k");
  CHECK(format_count_short(12'400) == "12.4k");
  CHECK(format_count_short(99'949) == "99.9k");
  CHECK(format_count_short(99'950) == "100k");
  CHECK(format_count_short(999'499) == "999k");
  CHECK(format_count_short(999'500) == "1.0M");
  CHECK(format_count_short(999'950) == "1.0M");
  CHECK(format_count_short(1'000'000) == "1.0M");
  CHECK(format_count_short(3'100'000) == "3.1M");
  CHECK(format_count_short(1'000'000'000'000'000'000ull) == "1.0E");
  CHECK(format_count_short(std::numeric_limits<std::uint64_t>::max()) == "18.4E");
}

TEST_CASE("format_bytes: decimal units", "[report][format]") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(999) == "999 B");
  CHECK(format_bytes(1000) == "1.0 kB");
  CHECK(format_bytes(999'950) == "1.0 MB");
  CHECK(format_bytes(1'000'000) == "1.0 MB");
  CHECK(format_bytes(340'000'000) == "340 MB");
  CHECK(format_bytes(1'200'000'000) == "1.2 GB");
  CHECK(format_bytes(50'600'000) == "50.6 MB");
}

TEST_CASE("format_byte_rate", "[report][format]") {
  CHECK(format_byte_rate(0) == "0 B/s");
  CHECK(format_byte_rate(-1) == "0 B/s");
  CHECK(format_byte_rate(340e6) == "340 MB/s");
  CHECK(format_byte_rate(1.24e9) == "1.2 GB/s");
}

}  // namespace
}  // namespace kubeblame::report
