// How many columns the terminal table output may use: the terminal's width when standard
// output is one, else $COLUMNS, else unlimited (0).
#pragma once

#include <cstddef>
#include <optional>

namespace kubeblame::report {

// The window width of `fd` when it is a terminal that reports one, else $COLUMNS when it is a
// positive integer, else 0 (unlimited: nothing is shortened or wrapped).
std::size_t terminal_width(int fd);

// The rule behind terminal_width: `tty_columns` (the terminal's width when there is one) wins,
// then `columns_env` ($COLUMNS: digits only, positive, at most 100,000), else 0.
std::size_t choose_terminal_width(std::optional<std::size_t> tty_columns, const char* columns_env);

}  // namespace kubeblame::report
