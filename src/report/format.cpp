// Formatting helpers. Everything is locale-independent and deterministic.
#include "kubeblame/report/format.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

#include "kubeblame/model/time.h"

namespace kubeblame::report {

namespace {
std::string group_thousands(std::string digits) {
  std::string out;
  std::size_t start = digits.front() == '-' ? 1 : 0;
  std::size_t n = digits.size() - start;
  out.append(digits, 0, start);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0 && (n - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[start + i]);
  }
  return out;
}
// value scaled by 1000 until it shows in at most three digits: one decimal below 100, none from
// 100 to 999; a value that would round up to 1000 moves to the next unit (999.95k -> 1.0M).
std::string scaled(double value, const char* const* units, std::size_t unit_count, const char* space) {
  if (value < 999.5) return fmt::format("{:.0f}{}{}", value, space, units[0]);
  std::size_t unit = 0;
  while (unit + 1 < unit_count && value >= 999.5) {
    value /= 1000.0;
    ++unit;
  }
  if (value < 99.95) return fmt::format("{:.1f}{}{}", value, space, units[unit]);
  return fmt::format("{:.0f}{}{}", value, space, units[unit]);
}

}  // namespace

std::string format_count_short(std::uint64_t value) {
  static constexpr const char* kUnits[] = {"", "k", "M", "G", "T", "P", "E"};
  return scaled(static_cast<double>(value), kUnits, std::size(kUnits), "");
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  return scaled(static_cast<double>(bytes), kUnits, std::size(kUnits), " ");
}

std::string format_byte_rate(double bytes_per_second) {
  if (!(bytes_per_second > 0)) return "0 B/s";
  return format_bytes(static_cast<std::uint64_t>(std::llround(bytes_per_second))) + "/s";
}

std::string format_count(std::uint64_t value) { return group_thousands(std::to_string(value)); }

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  std::string out = format_count(n) + ' ';
  if (n == 1) return out.append(one);
  if (many.empty()) return out.append(one) + 's';
  return out.append(many);
}

std::string format_fixed(double value, int decimals) {
  std::string text = fmt::format("{:.{}f}", value, decimals);
  std::size_t dot = text.find('.');
  std::string integer = dot == std::string::npos ? text : text.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : text.substr(dot);
  return group_thousands(integer) + fraction;
}

std::string format_latency_ms(double ms) {
  if (ms < 0.9995) return fmt::format("{:.0f}µs", ms * 1000.0);
  if (ms < 9.995) return fmt::format("{:.2f}ms", ms);
  if (ms < 999.95) return fmt::format("{:.1f}ms", ms);
  double s = ms / 1000.0;
  if (s < 59.995) return fmt::format("{:.2f}s", s);
  auto total = static_cast<std::int64_t>(std::llround(s));
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, total / 60 % 60);
}

std::string format_span(double seconds) {
  auto total = static_cast<std::int64_t>(std::llround(seconds));
  if (total < 60) return fmt::format("{}s", total);
  if (total < 3600) return fmt::format("{}m {:02}s", total / 60, total % 60);
  if (total < 86400) return fmt::format("{}h {:02}m", total / 3600, total / 60 % 60);
  return fmt::format("{}d {:02}h", total / 86400, total / 3600 % 24);
}

std::string format_rfc3339(model::TimeNs ns) {
  model::CivilTime t = model::civil_from_ns(ns);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year, t.month, t.day,
                                t.hour, t.minute, t.second);
  if (t.nanos == 0) {
  } else if (t.nanos % 1'000'000 == 0) {
    out += fmt::format(".{:03}", t.nanos / 1'000'000);
  } else if (t.nanos % 1'000 == 0) {
    out += fmt::format(".{:06}", t.nanos / 1'000);
  } else {
    out += fmt::format(".{:09}", t.nanos);
  }
  out += 'Z';
  return out;
}

std::string format_time_short(model::TimeNs ns) {
  model::CivilTime t = model::civil_from_ns(ns);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}Z", t.year, t.month, t.day, t.hour,
                     t.minute, t.second);
}

std::string format_json_number(double value, int decimals) {
  if (!std::isfinite(value)) return "null";
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

}  // namespace kubeblame::report
