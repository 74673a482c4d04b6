// The terminal width rule: the terminal's own width, else $COLUMNS when it is a positive
// integer, else 0 (unlimited).
#include "kubeblame/report/terminal_width.h"

#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace kubeblame::report {
namespace {

TEST_CASE("choose_terminal_width: tty first, then $COLUMNS, else unlimited", "[report][terminal_width]") {
  CHECK(choose_terminal_width(120, "80") == 120);
  CHECK(choose_terminal_width(120, nullptr) == 120);
  CHECK(choose_terminal_width(std::nullopt, "80") == 80);
  CHECK(choose_terminal_width(0, "60") == 60);  // a terminal that reports no width
  CHECK(choose_terminal_width(std::nullopt, nullptr) == 0);
  CHECK(choose_terminal_width(std::nullopt, "100000") == 100000);
  for (const char* bad : {"", "0", "-80", "80x", " 80", "80 ", "1e3", "100001", "9999999999999999999999"}) {
    INFO(bad);
    CHECK(choose_terminal_width(std::nullopt, bad) == 0);
  }
}

TEST_CASE("terminal_width: a pipe is no terminal", "[report][terminal_width]") {
  const char* saved = std::getenv("COLUMNS");
  std::string before = saved ? saved : "";
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::unsetenv("COLUMNS");
  CHECK(terminal_width(fds[1]) == 0);
  ::setenv("COLUMNS", "72", 1);
  CHECK(terminal_width(fds[1]) == 72);
  ::unsetenv("COLUMNS");
  if (saved) ::setenv("COLUMNS", before.c_str(), 1);
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace kubeblame::report
