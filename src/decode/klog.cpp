// Hand-written readers for control-plane log lines. They run once per log line (millions in a
// day of AKSControlPlane rows), so they scan the text once and allocate nothing.
#include "kubeblame/decode/klog.h"

#include <chrono>
#include <cstdint>
#include <limits>

#include "kubeblame/decode/timestamp.h"
#include "kubeblame/model/time.h"

namespace kubeblame::decode {
namespace {

using model::LogLevel;
using model::LogShape;
using model::TimeNs;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Reads exactly `n` digits at `pos`.
bool fixed_digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + static_cast<std::size_t>(i)];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  out = v;
  return true;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// The run's wall clock, read once: the reference of last resort for klog's missing year.
TimeNs run_time() {
  static const TimeNs now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  return now;
}

// Month, day and clock of a klog header; the year is chosen by resolve_year.
struct KlogClock {
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int64_t nanos = 0;
};

bool time_in_year(const KlogClock& c, int year, TimeNs& out) {
  if (year < 1970 || year > model::kMaxYear || c.day > days_in_month(year, c.month)) return false;
  model::CivilTime t;
  t.year = year;
  t.month = c.month;
  t.day = c.day;
  t.hour = c.hour;
  t.minute = c.minute;
  t.second = c.second;
  t.nanos = c.nanos;
  out = model::ns_from_civil(t);
  return true;
}

// See klog.h: nearest to the reference; without one, the run time's year or an earlier one.
TimeNs resolve_year(const KlogClock& c, TimeNs reference) {
  if (reference != 0) {
    int year = model::civil_from_ns(reference).year;
    TimeNs best = reference;
    TimeNs best_distance = -1;
    for (int y = year - 1; y <= year + 1; ++y) {
      TimeNs t = 0;
      if (!time_in_year(c, y, t)) continue;
      TimeNs distance = t > reference ? t - reference : reference - t;
      if (best_distance < 0 || distance < best_distance) {
        best = t;
        best_distance = distance;
      }
    }
    return best;
  }
  TimeNs now = run_time();
  int year = model::civil_from_ns(now).year;
  for (int y = year; y >= year - 4; --y) {
    TimeNs t = 0;
    if (time_in_year(c, y, t) && t <= now + model::kNsPerDay) return t;
  }
  return 0;
}

// "2022-06-06T06:01:46.817224179Z stderr F " -> true, the time, and the text after it.
bool strip_cri_prefix(std::string_view& text, TimeNs& time) {
  if (text.size() < 30 || !is_digit(text[0]) || text[4] != '-') return false;
  std::size_t space = text.find(' ');
  if (space == std::string_view::npos || space > 40) return false;
  std::string_view rest = text.substr(space + 1);
  if (rest.size() < 8 || (rest.substr(0, 7) != "stdout " && rest.substr(0, 7) != "stderr ")) {
    return false;
  }
  char tag = rest[7];
  if (tag != 'F' && tag != 'P') return false;
  if (rest.size() > 8 && rest[8] != ' ') return false;
  TimeNs parsed = 0;
  if (!parse_timestamp(text.substr(0, space), parsed)) return false;
  time = parsed;
  text = rest.size() > 8 ? rest.substr(9) : std::string_view{};
  return true;
}

LogLevel klog_level(char c) {
  switch (c) {
    case 'I': return LogLevel::kInfo;
    case 'W': return LogLevel::kWarning;
    case 'E': return LogLevel::kError;
    case 'F': return LogLevel::kFatal;
    default: return LogLevel::kUnknown;
  }
}

// `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`. On success fills level, clock, source and
// message.
bool parse_klog_header(std::string_view s, LogLevel& level, KlogClock& clock,
                       std::string_view& source, std::string_view& message) {
  if (s.size() < 20) return false;
  level = klog_level(s[0]);
  if (level == LogLevel::kUnknown) return false;
  std::size_t pos = 1;
  KlogClock c;
  if (!fixed_digits(s, pos, 2, c.month) || !fixed_digits(s, pos, 2, c.day)) return false;
  if (pos >= s.size() || s[pos++] != ' ') return false;
  if (!fixed_digits(s, pos, 2, c.hour) || pos >= s.size() || s[pos++] != ':') return false;
  if (!fixed_digits(s, pos, 2, c.minute) || pos >= s.size() || s[pos++] != ':') return false;
  if (!fixed_digits(s, pos, 2, c.second)) return false;
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > days_in_month(2000, c.month) ||
      c.hour > 23 || c.minute > 59 || c.second > 60) {
    return false;
  }
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && is_digit(s[pos])) {
      if (n < 9) {
        c.nanos = c.nanos * 10 + (s[pos] - '0');
        ++n;
      }
      ++pos;
    }
    if (n == 0) return false;
    for (; n < 9; ++n) c.nanos *= 10;
  }
  // At least one blank, the thread id, one blank.
  if (pos >= s.size() || s[pos] != ' ') return false;
  while (pos < s.size() && s[pos] == ' ') ++pos;
  std::size_t id_start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  if (pos == id_start || pos >= s.size() || s[pos++] != ' ') return false;
  // file:line]
  std::size_t file_start = pos;
  while (pos < s.size() && s[pos] != ']' && s[pos] != ' ' && s[pos] != ':') ++pos;
  if (pos == file_start || pos >= s.size() || s[pos] != ':') return false;
  std::size_t file_end = pos++;
  std::size_t line_start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  if (pos == line_start || pos >= s.size() || s[pos] != ']') return false;
  ++pos;
  if (pos < s.size()) {
    if (s[pos] != ' ') return false;
    ++pos;
  }
  clock = c;
  source = s.substr(file_start, file_end - file_start);
  message = s.substr(pos);
  return true;
}

// `Trace[123456]:` after optional blanks and an optional quote.
bool is_trace_continuation(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size() && is_blank(s[pos])) ++pos;
  if (pos < s.size() && s[pos] == '"') ++pos;
  if (s.substr(pos, 6) != "Trace[") return false;
  pos += 6;
  std::size_t digits_start = pos;
  while (pos < s.size() && is_digit(s[pos])) ++pos;
  return pos > digits_start && s.substr(pos, 2) == "]:";
}

// --- JSON log lines: a flat scan of the top-level object -------------------------------------

// Skips a JSON string starting at the quote at `pos`; `pos` ends after the closing quote and
// `content` is what lies between the quotes (escapes kept).
bool scan_string(std::string_view s, std::size_t& pos, std::string_view& content) {
  std::size_t start = ++pos;
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '\\') {
      pos += 2;
      continue;
    }
    if (c == '"') {
      content = s.substr(start, pos - start);
      ++pos;
      return true;
    }
    ++pos;
  }
  return false;
}

void skip_ws(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n')) {
    ++pos;
  }
}

// Skips any JSON value at `pos`. Strings report their content; scalars their raw token.
bool scan_value(std::string_view s, std::size_t& pos, std::string_view& token, bool& is_string) {
  is_string = false;
  if (pos >= s.size()) return false;
  char c = s[pos];
  if (c == '"') {
    is_string = true;
    return scan_string(s, pos, token);
  }
  if (c == '{' || c == '[') {
    std::size_t start = pos;
    int depth = 0;
    while (pos < s.size()) {
      char d = s[pos];
      if (d == '"') {
        std::string_view ignored;
        if (!scan_string(s, pos, ignored)) return false;
        continue;
      }
      if (d == '{' || d == '[') ++depth;
      if (d == '}' || d == ']') {
        if (--depth == 0) {
          ++pos;
          token = s.substr(start, pos - start);
          return true;
        }
      }
      ++pos;
    }
    return false;
  }
  std::size_t start = pos;
  while (pos < s.size() && s[pos] != ',' && s[pos] != '}' && s[pos] != ']' && s[pos] != ' ' &&
         s[pos] != '\t') {
    ++pos;
  }
  token = s.substr(start, pos - start);
  return pos > start;
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

LogLevel json_level(std::string_view name) {
  if (equals_ignore_case(name, "debug") || equals_ignore_case(name, "info")) return LogLevel::kInfo;
  if (equals_ignore_case(name, "warn") || equals_ignore_case(name, "warning")) {
    return LogLevel::kWarning;
  }
  if (equals_ignore_case(name, "error")) return LogLevel::kError;
  if (equals_ignore_case(name, "dpanic") || equals_ignore_case(name, "panic") ||
      equals_ignore_case(name, "fatal") || equals_ignore_case(name, "critical")) {
    return LogLevel::kFatal;
  }
  return LogLevel::kUnknown;
}

// "1580306777.04728" (epoch seconds) -> ns.
bool epoch_seconds(std::string_view token, TimeNs& out) {
  std::size_t pos = 0;
  std::int64_t seconds = 0;
  int n = 0;
  while (pos < token.size() && is_digit(token[pos])) {
    if (++n > 12) return false;
    seconds = seconds * 10 + (token[pos] - '0');
    ++pos;
  }
  if (n == 0) return false;
  std::int64_t nanos = 0;
  if (pos < token.size() && token[pos] == '.') {
    ++pos;
    int f = 0;
    while (pos < token.size() && is_digit(token[pos])) {
      if (f < 9) {
        nanos = nanos * 10 + (token[pos] - '0');
        ++f;
      }
      ++pos;
    }
    for (; f < 9; ++f) nanos *= 10;
  }
  if (pos != token.size()) return false;
  // Up to 12 digits of seconds would overflow int64 nanoseconds past 2262 (found by
  // fuzz_record): such a "ts" is no time.
  constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / model::kNsPerSecond - 1;
  if (seconds > kMaxSeconds) return false;
  out = seconds * model::kNsPerSecond + nanos;
  return true;
}

std::string_view caller_file(std::string_view caller) {
  std::size_t slash = caller.rfind('/');
  if (slash != std::string_view::npos) caller.remove_prefix(slash + 1);
  return caller.substr(0, caller.find(':'));
}

bool parse_json_line(std::string_view s, TimeNs reference, model::LogLine& out) {
  std::size_t pos = 1;  // after '{'
  LogLevel level = LogLevel::kUnknown;
  bool has_level = false, has_err = false, has_v = false;
  TimeNs time = reference;
  std::string_view message, source;
  bool first = true;
  for (;;) {
    skip_ws(s, pos);
    if (pos >= s.size()) return false;
    if (s[pos] == '}') {
      ++pos;
      break;
    }
    if (!first) {
      if (s[pos] != ',') return false;
      ++pos;
      skip_ws(s, pos);
    }
    first = false;
    if (pos >= s.size() || s[pos] != '"') return false;
    std::string_view key;
    if (!scan_string(s, pos, key)) return false;
    skip_ws(s, pos);
    if (pos >= s.size() || s[pos] != ':') return false;
    ++pos;
    skip_ws(s, pos);
    std::string_view value;
    bool is_string = false;
    if (!scan_value(s, pos, value, is_string)) return false;
    if (key == "level" || key == "severity") {
      has_level = true;
      level = json_level(value);
    } else if (key == "ts" || key == "time" || key == "timestamp") {
      TimeNs t = 0;
      if (is_string ? parse_timestamp(value, t) : epoch_seconds(value, t)) time = t;
    } else if (key == "msg" || (key == "message" && message.empty())) {
      if (is_string) message = value;
    } else if (key == "caller") {
      if (is_string) source = caller_file(value);
    } else if (key == "err") {
      has_err = true;
    } else if (key == "v") {
      has_v = true;
    }
  }
  skip_ws(s, pos);
  if (pos != s.size()) return false;
  if (!has_level) level = has_err ? LogLevel::kError : has_v ? LogLevel::kInfo : LogLevel::kUnknown;
  out.shape = LogShape::kJson;
  out.level = level;
  out.time = time;
  out.source = source;
  out.message = message;
  return true;
}

}  // namespace

void parse_log_text(std::string_view text, model::TimeNs reference, model::LogLine& out) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  TimeNs cri_time = 0;
  if (strip_cri_prefix(text, cri_time) && reference == 0) reference = cri_time;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);

  out.text = text;
  out.source = {};
  out.message = text;
  out.level = LogLevel::kUnknown;
  out.time = reference;
  out.shape = LogShape::kOther;
  if (text.empty()) return;

  KlogClock clock;
  LogLevel level = LogLevel::kUnknown;
  std::string_view source, message;
  if (parse_klog_header(text, level, clock, source, message)) {
    out.shape = LogShape::kKlog;
    out.level = level;
    out.source = source;
    out.message = message;
    TimeNs t = resolve_year(clock, reference);
    out.time = t != 0 ? t : reference;
    return;
  }
  if (is_trace_continuation(text)) {
    out.shape = LogShape::kContinuation;
    return;
  }
  std::size_t start = 0;
  while (start < text.size() && is_blank(text[start])) ++start;
  if (start < text.size() && text[start] == '{' && text.back() == '}' &&
      parse_json_line(text.substr(start), reference, out)) {
    return;
  }
  out.shape = LogShape::kOther;
  out.level = LogLevel::kUnknown;
  out.source = {};
  out.message = text;
  out.time = reference;
}

}  // namespace kubeblame::decode
