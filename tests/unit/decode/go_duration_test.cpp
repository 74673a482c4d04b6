// parse_go_duration: every unit Go writes, fractions, composites, signs, and what is rejected.
#include "kubeblame/decode/go_duration.h"

#include <catch2/catch.hpp>

namespace kubeblame::decode {
namespace {

TEST_CASE("parse_go_duration reads every unit", "[decode][duration]") {
  CHECK(parse_go_duration("7ns") == 7);
  CHECK(parse_go_duration("500us") == 500000);
  CHECK(parse_go_duration("500\xC2\xB5s") == 500000);  // µ, U+00B5, what Go writes
  CHECK(parse_go_duration("500\xCE\xBCs") == 500000);  // μ, U+03BC, also accepted by Go
  CHECK(parse_go_duration("28.677\xC2\xB5s") == 28677);
  CHECK(parse_go_duration("1.505163ms") == 1505163);
  CHECK(parse_go_duration("2.1s") == 2100000000);
  CHECK(parse_go_duration("4.730661757s") == 4730661757);
  CHECK(parse_go_duration("3m") == 180000000000);
  CHECK(parse_go_duration("2h") == 7200000000000);
  CHECK(parse_go_duration("1.5h") == 5400000000000);
}

TEST_CASE("parse_go_duration reads zero, composites, fractions and signs", "[decode][duration]") {
  CHECK(parse_go_duration("0") == 0);
  CHECK(parse_go_duration("0s") == 0);
  CHECK(parse_go_duration("1m2.5s") == 62500000000);
  CHECK(parse_go_duration("1h2m3s") == 3723000000000);
  CHECK(parse_go_duration("1h0m0.000000001s") == 3600000000001);
  CHECK(parse_go_duration(".5s") == 500000000);
  CHECK(parse_go_duration("5.s") == 5000000000);
  CHECK(parse_go_duration("0.1234567891234s") == 123456789);  // truncated to the nanosecond
  CHECK(parse_go_duration("-1.5s") == -1500000000);
  CHECK(parse_go_duration("+2ms") == 2000000);
  CHECK(parse_go_duration("-41.943µs") == -41943);
}

TEST_CASE("parse_go_duration rejects what is not a duration", "[decode][duration]") {
  for (const char* text : {"",         "-",
                           "+",        "s",
                           "5",        "1.5",
                           "ms",       "1x",
                           "1 s",      " 1s",
                           "1s ",      "1.2.3s",
                           "1sm",      "1msx",
                           "..s",      ".s",
                           "1\xC2s",   "1\xC2",
                           "abc",      "--1s",
                           "1e3s",     "9223372036854775808ns",
                           "2562048h", "99999999999999999999s",
                           "1h-1s",    "\"1s\""}) {
    INFO(text);
    CHECK_FALSE(parse_go_duration(text).has_value());
  }
  CHECK(parse_go_duration("9223372036854775807ns") == 9223372036854775807);
  CHECK(parse_go_duration("2562047h") == 2562047LL * 3600 * 1000000000);
}

TEST_CASE("parse_go_duration never reads past the text", "[decode][duration]") {
  std::string_view text("12ms34", 3);  // "12m": minutes, the rest is not part of the view
  CHECK(parse_go_duration(text) == 720000000000);
  std::string_view cut("1\xC2\xB5s", 2);  // a µ cut in half
  CHECK_FALSE(parse_go_duration(cut).has_value());
}

}  // namespace
}  // namespace kubeblame::decode
