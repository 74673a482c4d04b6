// Terminal width: TIOCGWINSZ on the output when it is a terminal, else $COLUMNS.
#include "kubeblame/report/terminal_width.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace kubeblame::report {

namespace {

constexpr std::size_t kMaxColumns = 100'000;

std::optional<std::size_t> tty_columns(int fd) {
  if (::isatty(fd) == 0) return std::nullopt;
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return std::nullopt;
  return static_cast<std::size_t>(size.ws_col);
}

}  // namespace

std::size_t choose_terminal_width(std::optional<std::size_t> tty, const char* columns_env) {
  if (tty && *tty > 0) return *tty;
  if (columns_env == nullptr) return 0;
  std::string_view text(columns_env);
  if (text.empty() || text.size() > 6) return 0;
  std::size_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return value <= kMaxColumns ? value : 0;
}

std::size_t terminal_width(int fd) { return choose_terminal_width(tty_columns(fd), std::getenv("COLUMNS")); }

}  // namespace kubeblame::report
