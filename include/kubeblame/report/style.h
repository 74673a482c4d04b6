// ANSI styles of the terminal tables, in one place: bold headers, dim secondary text, red for
// errors (non-zero error counts, 5xx codes), yellow for warnings. With colour off, text is unchanged.
#pragma once

#include <string>
#include <string_view>

namespace kubeblame::report {

class Style {
 public:
  explicit Style(bool color) : color_(color) {}

  std::string header(std::string_view text) const { return wrap("\x1b[1m", text); }
  std::string dim(std::string_view text) const { return wrap("\x1b[2m", text); }
  std::string error(std::string_view text) const { return wrap("\x1b[31m", text); }
  std::string warning(std::string_view text) const { return wrap("\x1b[33m", text); }
  // A footer line under a table: "warning: ..." in yellow, anything else dim.
  std::string footer(std::string_view line) const { return footer(line, line); }
  // `part` of a footer line (one of its wrapped pieces) in the style of the whole line.
  std::string footer(std::string_view line, std::string_view part) const;
  // A count cell of an errors column: red unless it is zero ("0") or empty ("-").
  std::string error_count(std::string_view cell) const;
  // A signed change cell (diff): red when it rose ("+…"), green when it fell ("-…").
  std::string change(std::string_view cell) const;
  // A status code cell: red for 5xx.
  std::string status_code(std::string_view cell) const;

 private:
  std::string wrap(const char* start, std::string_view text) const;
  bool color_;
};

}  // namespace kubeblame::report
