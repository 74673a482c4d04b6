// Terminal styles. Callers style a cell after measuring and padding it: escapes have no width.
#include "kubeblame/report/style.h"

namespace kubeblame::report {

std::string Style::wrap(const char* start, std::string_view text) const {
  if (!color_ || text.empty()) return std::string(text);
  return start + std::string(text) + "\x1b[0m";
}

std::string Style::footer(std::string_view line, std::string_view part) const {
  return line.substr(0, 9) == "warning: " ? warning(part) : dim(part);
}

std::string Style::error_count(std::string_view cell) const {
  return cell == "0" || cell == "-" ? std::string(cell) : error(cell);
}

std::string Style::change(std::string_view cell) const {
  if (cell.empty()) return std::string(cell);
  if (cell[0] == '+') return error(cell);
  return cell[0] == '-' && cell.size() > 1 ? wrap("\x1b[32m", cell) : std::string(cell);
}

std::string Style::status_code(std::string_view cell) const {
  bool server_error = cell.size() == 3 && cell[0] == '5' && cell[1] >= '0' && cell[1] <= '9' &&
                      cell[2] >= '0' && cell[2] <= '9';
  return server_error ? error(cell) : std::string(cell);
}

}  // namespace kubeblame::report
