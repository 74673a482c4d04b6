// Aligned terminal tables fitted to a width: each column says how it aligns and how it gives
// way (never, or shortened at the end, in the middle or at the start, down to a minimum).
// Shared by the terminal renderers of top, errors, fights, timeline and report.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace kubeblame::report {

enum class Shorten { kNever, kEnd, kMiddle, kStart };

struct TableColumn {
  bool right = false;                 // right-aligned (numbers)
  Shorten shorten = Shorten::kNever;  // how its cells lose columns when the table is too wide
  std::size_t min = 0;                // the narrowest it gets (never below its header)
  int rank = 0;                       // lower ranks give way first
};

struct TerminalTable {
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;  // rows[0] is the header; cells terminal-escaped
};

// Styles a body cell after it is measured and padded (colour escapes have no width).
using CellStyle = std::function<std::string(std::size_t column, const std::string& cell)>;

// Column widths fitting the table in `width` columns (0: unlimited, the natural widths).
std::vector<std::size_t> table_widths(const TerminalTable& table, std::size_t width);

// Row `row` as one line: cells shortened to `widths`, padded, two spaces apart, trailing
// spaces trimmed; body cells pass through `style` when it is set.
std::string table_line(const TerminalTable& table, std::size_t row, const std::vector<std::size_t>& widths,
                       const CellStyle& style = nullptr);

// The shortening a column asks for.
std::string shorten(std::string_view text, std::size_t width, Shorten how);

// "USER_AGENT" for "user_agent": table headers.
std::string upper(std::string_view text);

}  // namespace kubeblame::report
