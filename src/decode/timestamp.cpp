// Hand-written timestamp parsers: strptime is locale-bound and slow, and these run per event.
#include "kubeblame/decode/timestamp.h"

#include <cstring>

#include "kubeblame/model/time.h"

namespace kubeblame::decode {
namespace {

// Reads exactly `n` digits at `pos`.
bool digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  out = v;
  return true;
}

// Reads 1..max digits at `pos`.
bool some_digits(std::string_view s, std::size_t& pos, int max, int& out) {
  int v = 0;
  int n = 0;
  while (pos < s.size() && n < max && s[pos] >= '0' && s[pos] <= '9') {
    v = v * 10 + (s[pos] - '0');
    ++pos;
    ++n;
  }
  out = v;
  return n > 0;
}

// ".123456789" -> nanoseconds; extra digits beyond 9 are ignored.
void fraction(std::string_view s, std::size_t& pos, std::int64_t& nanos) {
  nanos = 0;
  if (pos >= s.size() || (s[pos] != '.' && s[pos] != ',')) return;
  ++pos;
  int n = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (n < 9) {
      nanos = nanos * 10 + (s[pos] - '0');
      ++n;
    }
    ++pos;
  }
  for (; n < 9; ++n) nanos *= 10;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool valid(const model::CivilTime& t) {
  return t.year >= 1970 && t.year <= model::kMaxYear && t.month >= 1 && t.month <= 12 && t.day >= 1 &&
         t.day <= days_in_month(t.year, t.month) && t.hour <= 23 && t.minute <= 59 &&
         t.second <= 60;
}

// Consecutive events mostly fall in the same second: each worker thread remembers the last
// "YYYY-MM-DDTHH:MM:SS" it converted (UTC forms only), so the common case parses just the
// fraction. The memo holds the whole-second value; a miss takes the full path and refills it.
struct SecondMemo {
  char prefix[19] = {};
  model::TimeNs seconds_ns = 0;
  bool valid = false;
};
thread_local SecondMemo t_memo;

bool parse_rfc3339_memo(std::string_view s, model::TimeNs& out) {
  if (!t_memo.valid || s.size() < 20 || std::memcmp(s.data(), t_memo.prefix, 19) != 0) return false;
  std::size_t pos = 19;
  std::int64_t nanos = 0;
  fraction(s, pos, nanos);
  if (pos + 1 != s.size() || (s[pos] != 'Z' && s[pos] != 'z')) return false;
  out = t_memo.seconds_ns + nanos;
  return true;
}

bool parse_rfc3339(std::string_view s, model::TimeNs& out) {
  if (parse_rfc3339_memo(s, out)) return true;
  model::CivilTime t;
  std::size_t pos = 0;
  if (!digits(s, pos, 4, t.year) || pos >= s.size() || s[pos++] != '-') return false;
  if (!digits(s, pos, 2, t.month) || pos >= s.size() || s[pos++] != '-') return false;
  if (!digits(s, pos, 2, t.day)) return false;
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    ++pos;
    if (!digits(s, pos, 2, t.hour) || pos >= s.size() || s[pos++] != ':') return false;
    if (!digits(s, pos, 2, t.minute) || pos >= s.size() || s[pos++] != ':') return false;
    if (!digits(s, pos, 2, t.second)) return false;
    fraction(s, pos, t.nanos);
  }
  std::int64_t offset_minutes = 0;
  bool zulu = false;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
    zulu = true;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos++] == '-' ? -1 : 1;
    int hh = 0;
    int mm = 0;
    if (!digits(s, pos, 2, hh)) return false;
    if (pos < s.size() && s[pos] == ':') ++pos;
    if (!digits(s, pos, 2, mm)) return false;
    offset_minutes = static_cast<std::int64_t>(sign) * (hh * 60 + mm);
  }
  bool utc_suffix = zulu && pos == s.size();  // ends right after the Z, as the memo requires
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos != s.size() || !valid(t)) return false;
  out = model::ns_from_civil(t) - offset_minutes * 60 * model::kNsPerSecond;
  if (utc_suffix && s.size() >= 20 && s[10] == 'T') {
    std::memcpy(t_memo.prefix, s.data(), 19);
    t_memo.seconds_ns = out - t.nanos;
    t_memo.valid = true;
  }
  return true;
}

// Azure portal CSV: "2/25/2025, 9:19:25.391 AM" (US month/day order, 12-hour clock).
bool parse_portal(std::string_view s, model::TimeNs& out) {
  model::CivilTime t;
  std::size_t pos = 0;
  if (!some_digits(s, pos, 2, t.month) || pos >= s.size() || s[pos++] != '/') return false;
  if (!some_digits(s, pos, 2, t.day) || pos >= s.size() || s[pos++] != '/') return false;
  if (!digits(s, pos, 4, t.year)) return false;
  if (pos < s.size() && s[pos] == ',') ++pos;
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (!some_digits(s, pos, 2, t.hour) || pos >= s.size() || s[pos++] != ':') return false;
  if (!digits(s, pos, 2, t.minute) || pos >= s.size() || s[pos++] != ':') return false;
  if (!digits(s, pos, 2, t.second)) return false;
  fraction(s, pos, t.nanos);
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos + 2 <= s.size()) {
    char a = static_cast<char>(s[pos] | 0x20);
    char m = static_cast<char>(s[pos + 1] | 0x20);
    if (m != 'm' || (a != 'a' && a != 'p') || t.hour < 1 || t.hour > 12) return false;
    if (a == 'a' && t.hour == 12) t.hour = 0;
    if (a == 'p' && t.hour != 12) t.hour += 12;
    pos += 2;
  }
  if (pos != s.size() || !valid(t)) return false;
  out = model::ns_from_civil(t);
  return true;
}

}  // namespace

bool parse_timestamp(std::string_view text, model::TimeNs& out) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"')) text.remove_suffix(1);
  if (text.size() < 8) return false;
  if (text[4] == '-') return parse_rfc3339(text, out);
  return parse_portal(text, out);
}

}  // namespace kubeblame::decode
