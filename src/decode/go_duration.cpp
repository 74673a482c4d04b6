// A Go duration is an optional sign and one or more <number><unit> pairs; the number may have a
// fraction ("1.5h"); the units are ns, us (also µs, U+00B5, and μs, U+03BC), ms, s, m and h. "0"
// alone is zero. Fractions are kept to the nanosecond, as Go's ParseDuration does; the sum is
// checked against overflow at every step.
#include "kubeblame/decode/go_duration.h"

#include <array>
#include <limits>

namespace kubeblame::decode {

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

struct Unit {
  std::string_view name;
  std::int64_t ns;
};

// "ms" before "m", so that it is not read as minutes followed by garbage.
constexpr std::array<Unit, 8> kUnits = {{{"ns", 1},
                                         {"us", 1000},
                                         {"\xC2\xB5s", 1000},
                                         {"\xCE\xBCs", 1000},
                                         {"ms", 1000000},
                                         {"s", 1000000000},
                                         {"m", 60LL * 1000000000},
                                         {"h", 3600LL * 1000000000}}};

// Reads a unit at the start of `text`, removing it; nullopt when none is there.
std::optional<std::int64_t> take_unit(std::string_view& text) {
  for (const Unit& unit : kUnits) {
    if (!text.starts_with(unit.name)) continue;
    text.remove_prefix(unit.name.size());
    return unit.ns;
  }
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads digits at the start of `text` into `value` (false on overflow), counting them.
bool take_digits(std::string_view& text, std::uint64_t& value, int& digits, bool saturate) {
  while (!text.empty() && is_digit(text.front())) {
    auto d = static_cast<std::uint64_t>(text.front() - '0');
    text.remove_prefix(1);
    ++digits;
    if (value > (static_cast<std::uint64_t>(kMax) - d) / 10) {
      if (!saturate) return false;
      continue;  // fraction digits past 19 cannot change the nanoseconds
    }
    value = value * 10 + d;
  }
  return true;
}

// One <number><unit> pair at the start of `text`, in nanoseconds; nullopt when malformed.
std::optional<std::int64_t> take_component(std::string_view& text) {
  std::uint64_t whole = 0;
  int whole_digits = 0;
  if (!take_digits(text, whole, whole_digits, false)) return std::nullopt;
  std::uint64_t fraction = 0;
  int fraction_digits = 0;
  std::uint64_t scale = 1;
  if (!text.empty() && text.front() == '.') {
    text.remove_prefix(1);
    std::string_view digits = text;
    if (!take_digits(text, fraction, fraction_digits, true)) return std::nullopt;
    std::size_t used = digits.size() - text.size();
    for (std::size_t i = 0; i < used && scale <= static_cast<std::uint64_t>(kMax) / 10; ++i) {
      scale *= 10;
    }
  }
  if (whole_digits == 0 && fraction_digits == 0) return std::nullopt;
  std::optional<std::int64_t> unit = take_unit(text);
  if (!unit) return std::nullopt;
  auto per = static_cast<std::uint64_t>(*unit);
  if (whole > static_cast<std::uint64_t>(kMax) / per) return std::nullopt;
  std::uint64_t ns = whole * per;
  // fraction / scale of a unit: exact in long double for every unit up to an hour.
  auto part =
      static_cast<std::uint64_t>(static_cast<long double>(fraction) *
                                 static_cast<long double>(per) / static_cast<long double>(scale));
  if (ns > static_cast<std::uint64_t>(kMax) - part) return std::nullopt;
  return static_cast<std::int64_t>(ns + part);
}

}  // namespace

std::optional<std::int64_t> parse_go_duration(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return 0;
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!text.empty()) {
    std::optional<std::int64_t> part = take_component(text);
    if (!part || total > kMax - *part) return std::nullopt;
    total += *part;
  }
  return negative ? -total : total;
}

}  // namespace kubeblame::decode
