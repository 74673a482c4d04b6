// parse_timestamp: RFC 3339 spellings and the Azure portal's CSV form. Expected values are
// epoch seconds computed with `date -u -d <time> +%s`.
#include "kubeblame/decode/timestamp.h"

#include <catch2/catch.hpp>

#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using test::ns;

model::TimeNs parsed(std::string_view text) {
  model::TimeNs out = -1;
  INFO(text);
  REQUIRE(parse_timestamp(text, out));
  return out;
}

TEST_CASE("parse_timestamp reads RFC 3339", "[decode][time]") {
  // 2024-06-30T19:41:14Z = 1719776474
  CHECK(parsed("2024-06-30T19:41:14.278898Z") == ns(1719776474, 278898000));
  CHECK(parsed("2024-06-30T19:41:14Z") == ns(1719776474));
  CHECK(parsed("2024-06-30T19:41:14.123456789Z") == ns(1719776474, 123456789));
  CHECK(parsed("2024-06-30T19:41:14.1234567891234Z") == ns(1719776474, 123456789));
  CHECK(parsed("2024-06-30T19:41:14.5Z") == ns(1719776474, 500000000));
  CHECK(parsed("2024-06-30t19:41:14z") == ns(1719776474));
  CHECK(parsed("2024-06-30T21:41:14.25+02:00") == ns(1719776474, 250000000));
  CHECK(parsed("2024-06-30T14:41:14-05:00") == ns(1719776474));
  CHECK(parsed("2024-06-30T19:11:14-00:30") == ns(1719776474));
  CHECK(parsed("2024-06-30T21:41:14+0200") == ns(1719776474));
  CHECK(parsed("2024-06-30 19:41:14.278898") == ns(1719776474, 278898000));  // no zone: UTC
  CHECK(parsed("2024-06-30 19:41:14 ") == ns(1719776474));
  CHECK(parsed("\"2024-06-30T19:41:14Z\"") == ns(1719776474));  // quoted, as in some exports
  CHECK(parsed("2024-06-30") == ns(1719705600));                  // a date alone is midnight
  CHECK(parsed("1970-01-01T00:00:00Z") == 0);
  CHECK(parsed("2024-02-29T23:59:59Z") == ns(1709251199));
  // 2017-03-21T07:57:09Z = 1490083029 (the legacy format's example, at -04:00)
  CHECK(parsed("2017-03-21T03:57:09.106841886-04:00") == ns(1490083029, 106841886));
}

TEST_CASE("parse_timestamp reads the Azure portal CSV form", "[decode][time]") {
  // 2025-02-25T09:19:25Z = 1740475165, 00:19:25 = 1740442765, 12:19:25 = 1740485965,
  // 21:19:25 = 1740518365
  CHECK(parsed("2/25/2025, 9:19:25.391 AM") == ns(1740475165, 391000000));
  CHECK(parsed("02/25/2025, 09:19:25.391 AM") == ns(1740475165, 391000000));
  CHECK(parsed("2/25/2025, 9:19:25.391 PM") == ns(1740518365, 391000000));
  CHECK(parsed("2/25/2025, 12:19:25.000 AM") == ns(1740442765));  // 12 AM is midnight
  CHECK(parsed("2/25/2025, 12:19:25 PM") == ns(1740485965));      // 12 PM is noon
  CHECK(parsed("2/25/2025, 9:19:25.391 am") == ns(1740475165, 391000000));
  CHECK(parsed("2/25/2025 9:19:25 AM") == ns(1740475165));
  CHECK(parsed("2/25/2025, 21:19:25") == ns(1740518365));  // a 24-hour clock without AM/PM
}

TEST_CASE("parse_timestamp rejects anything else and leaves the output alone", "[decode][time]") {
  const char* bad[] = {
      "",
      "yesterday",
      "12345678",
      "1719776474",
      "2024-13-01T00:00:00Z",
      "2024-06-00T00:00:00Z",
      "2024-06-30T24:00:00Z",
      "2024-06-30T19:60:00Z",
      "2024-06-30T19:41",
      "2024-06-30T19:41:14Zjunk",
      "2024-06-30T19:41:14+2:00",
      "2024-06-30T19:41:14+02",
      "2024/06/30 19:41:14",
      "1969-12-31T23:59:59Z",
      "2/25/2025, 13:19:25 PM",
      "2/25/2025, 0:19:25 AM",
      "2/25/2025, 9:19:25.391 XM",
      "2/25/2025, 9:19:25.391 A",
      "2/25/25, 9:19:25 AM",
      "25/2/2025, 9:19 AM",
      "E1128 04:20:08.123456       1 cacher.go:450] msg",
  };
  for (const char* text : bad) {
    model::TimeNs out = 42;
    INFO(text);
    CHECK_FALSE(parse_timestamp(text, out));
    CHECK(out == 42);
  }
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

// Found by fuzz_log_text: a CRI prefix dated 4202 overflowed int64 nanoseconds (UB).
TEST_CASE("parse_timestamp rejects years past int64 nanoseconds", "[decode][time]") {
  model::TimeNs t = 7;
  CHECK_FALSE(parse_timestamp("4202-12-31T11:39:07.945019289Z", t));
  CHECK_FALSE(parse_timestamp("2262-04-12T00:00:00Z", t));
  CHECK_FALSE(parse_timestamp("12/31/9999, 11:59:59.000 PM", t));
  CHECK(t == 7);
  REQUIRE(parse_timestamp("2261-12-31T23:59:59Z", t));
  CHECK(t == 9'214'646'399'000'000'000LL);
}

}  // namespace
}  // namespace kubeblame::decode

namespace kubeblame::decode {
namespace {

// The same-second memo must give exactly what the full parser gives, whatever came before:
// same second with other fractions, an offset or a trailing junk byte on a memoised prefix.
TEST_CASE("parse_timestamp: repeated seconds give the full parser's result", "[decode][time]") {
  const model::TimeNs base = 1740470400LL * 1000000000LL;  // date -u -d 2025-02-25T08:00:00Z +%s
  CHECK(parsed("2025-02-25T08:00:00.5Z") == base + 500000000);
  CHECK(parsed("2025-02-25T08:00:00.000001Z") == base + 1000);
  CHECK(parsed("2025-02-25T08:00:00Z") == base);
  CHECK(parsed("2025-02-25T08:00:00,25Z") == base + 250000000);
  CHECK(parsed("2025-02-25T08:00:00.123456789123Z") == base + 123456789);
  CHECK(parsed("2025-02-25T08:00:00.5+01:00") == base + 500000000 - 3600LL * 1000000000LL);
  CHECK(parsed("2025-02-25T08:00:00.5z") == base + 500000000);
  model::TimeNs out = 7;
  CHECK_FALSE(parse_timestamp("2025-02-25T08:00:00.5Zx", out));
  CHECK(out == 7);
  CHECK(parse_timestamp("2025-02-25T08:00:00.5", out));  // no zone: UTC, through the full parser
  CHECK(out == base + 500000000);
  CHECK(parsed("2025-02-25T08:00:01.5Z") == base + 1500000000);
  CHECK(parsed("2025-02-25T08:00:00.5Z") == base + 500000000);
}

}  // namespace
}  // namespace kubeblame::decode
