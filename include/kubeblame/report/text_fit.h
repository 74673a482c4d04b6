// Fitting terminal text into a number of columns: display width, shortening with an ellipsis
// (at the end, in the middle or at the start), word wrapping, and sharing a width among the
// columns of a table. Text is terminal-escaped first (escape_terminal), so it holds no controls.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kubeblame::report {

// Columns a string takes in a terminal: 2 for East Asian wide and fullwidth characters and
// emoji, 0 for combining marks, 1 for anything else (a stray byte of broken UTF-8 counts 1).
std::size_t display_width(std::string_view text);

// Each returns `text` unchanged when it fits in `width` columns, else at most `width` columns
// with "…" where text was left out; never splits a code point; width 0 gives "".
// "kube-controller-manager", 10 -> "kube-cont…"
std::string shorten_end(std::string_view text, std::size_t width);
// "argocd-application-controller", 21 -> "argocd-app…controller" (the extra column goes to the
// head when the room is odd)
std::string shorten_middle(std::string_view text, std::size_t width);
// "ABABABAB", 5 -> "…ABAB"
std::string shorten_start(std::string_view text, std::size_t width);

// Splits `text` into lines of at most `width` columns at spaces; lines after the first start
// with `indent` spaces (ignored when it leaves no room). A word longer than a line is split
// between code points. Spaces at a break are dropped. Width 0: the text as one line.
std::vector<std::string> wrap_words(std::string_view text, std::size_t width, std::size_t indent = 0);

// wrap_words that breaks after a `separator` (" · ") first: a line holds whole parts ending with
// the separator's visible text ("events 2,220 ·"); only a part wider than a line is wrapped at
// its spaces.
std::vector<std::string> wrap_parts(std::string_view text, std::size_t width, std::size_t indent,
                                    std::string_view separator);

// One column of a terminal table, for fit_columns.
struct FitColumn {
  std::size_t width = 0;  // natural width: its widest cell
  std::size_t min = 0;    // it may shrink down to this (min >= width: it never shrinks)
  int rank = 0;           // lower ranks give way first; within a rank the widest column shrinks
};

// Column widths that make a row (columns `gap` apart) fit in `total` columns: lower ranks
// shrink first, widest first, each not below its minimum. When the minimums do not fit, the
// row stays wider than `total`. Total 0 means unlimited: the natural widths.
std::vector<std::size_t> fit_columns(const std::vector<FitColumn>& columns, std::size_t gap,
                                     std::size_t total);

// Width of a row of columns `gap` apart.
std::size_t row_width(const std::vector<std::size_t>& widths, std::size_t gap);

}  // namespace kubeblame::report
