// The terminal styles' exact escapes, and that colour off changes nothing.
#include <catch2/catch.hpp>

#include "kubeblame/report/style.h"

namespace kubeblame::report {
namespace {

TEST_CASE("Style: exact ANSI sequences with colour on", "[report][style]") {
  Style on(true);
  CHECK(on.header("AGENT") == "\x1b[1mAGENT\x1b[0m");
  CHECK(on.dim("lines 8") == "\x1b[2mlines 8\x1b[0m");
  CHECK(on.error("3") == "\x1b[31m3\x1b[0m");
  CHECK(on.warning("x") == "\x1b[33mx\x1b[0m");
  CHECK(on.footer("warning: 30,000 rows") == "\x1b[33mwarning: 30,000 rows\x1b[0m");
  CHECK(on.footer("lines 8 = decoded 7") == "\x1b[2mlines 8 = decoded 7\x1b[0m");
  CHECK(on.error_count("1,234") == "\x1b[31m1,234\x1b[0m");
  CHECK(on.error_count("0") == "0");
  CHECK(on.error_count("-") == "-");
  CHECK(on.status_code("503") == "\x1b[31m503\x1b[0m");
  CHECK(on.status_code("409") == "409");
  CHECK(on.status_code("5xx") == "5xx");
  CHECK(on.status_code("5000") == "5000");
  CHECK(on.header("") == "");
}

TEST_CASE("Style: colour off leaves text alone", "[report][style]") {
  Style off(false);
  for (const char* text : {"AGENT", "warning: x", "503", "12"}) {
    CHECK(off.header(text) == text);
    CHECK(off.dim(text) == text);
    CHECK(off.error(text) == text);
    CHECK(off.warning(text) == text);
    CHECK(off.footer(text) == text);
    CHECK(off.error_count(text) == text);
    CHECK(off.status_code(text) == text);
  }
}

}  // namespace
}  // namespace kubeblame::report
