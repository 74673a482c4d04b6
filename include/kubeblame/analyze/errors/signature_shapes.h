// Shape matchers for error signatures (analyze/signature.h): each recognises one kind of
// variable value (URL, time, UID, IP, duration, version, ...) at a position of a message and
// returns its length, 0 when there is none. Used by the masker in signature.cpp, whose essay
// describes the rules.
#pragma once

#include <cstddef>
#include <string_view>

namespace kubeblame::analyze::shapes {

// Longest look-ahead of any rule: every scan that does not consume what it reads stops here.
inline constexpr std::size_t kMaxScan = 256;

inline constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline constexpr bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
inline constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
inline constexpr bool is_word(char c) { return is_alnum(c) || c == '_'; }
inline constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
inline constexpr bool is_label(char c) {
  return is_lower(c) || is_digit(c) || c == '-' || c == '.';
}

inline char at(std::string_view s, std::size_t i) { return i < s.size() ? s[i] : '\0'; }

inline std::size_t count_digits(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i;
}

inline std::size_t count_hex(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_hex(s[j])) ++j;
  return j - i;
}

inline bool starts_with(std::string_view s, std::size_t i, std::string_view prefix) {
  return s.size() - i >= prefix.size() && s.compare(i, prefix.size(), prefix) == 0;
}

// The token ends at `j`: no word character follows.
inline bool ends_token(std::string_view s, std::size_t j) { return !is_word(at(s, j)); }

// scheme://... up to whitespace, a quote or <>; trailing .,;:)]} are not part of it.
std::size_t match_url(std::string_view s, std::size_t i);

// hh:mm:ss with optional fraction.
std::size_t match_clock(std::string_view s, std::size_t i);

// 2024-10-31T10:16:37.179Z, 2024-10-31 (a date alone), Go's "2020-10-22 01:00:30.1 +0000 UTC
// m=+1328.9".
std::size_t match_timestamp(std::string_view s, std::size_t i);

// 8-4-4-4-12 hex digits.
std::size_t match_uuid(std::string_view s, std::size_t i);

// ":<1..5 digits>" at `j`.
std::size_t match_port(std::string_view s, std::size_t j);

// a.b.c.d with an optional :port and /prefix.
std::size_t match_ipv4(std::string_view s, std::size_t i);

// Bare IPv6: hex groups and colons with a "::" or all eight groups.
std::size_t match_ipv6(std::string_view s, std::size_t i);

// [v6]:port
std::size_t match_bracketed_ipv6(std::string_view s, std::size_t i);

// 0x... or a run of 8+ hex digits with both a digit and a letter.
std::size_t match_hex(std::string_view s, std::size_t i);

// Go durations: 4.003161ms, 30s, 6m49s, 1h2m3.5s, 12µs.
std::size_t match_duration(std::string_view s, std::size_t i);

// v<major>[(alpha|beta)<n>] as used in API versions.
std::size_t match_api_version(std::string_view s, std::size_t i);

// v1.28.15, v0.26.1-rc.1
std::size_t match_semver(std::string_view s, std::size_t i);

// An APIService name: v1alpha1.acme.cert-manager.io
std::size_t match_api_service(std::string_view s, std::size_t i);

// A Kubernetes-generated name suffix after '-': 5..10 characters of "bcdfghjklmnpqrstvwxz2456789"
// with at least one digit.
std::size_t match_name_suffix(std::string_view s, std::size_t i);

// The plural names of core (group-less) resources.
bool is_core_plural(std::string_view word);

// `pods`, `deployments.apps`, `subscriptions.dapr.io`: a core plural or a group-qualified plural.
bool is_resource_word(std::string_view word);

// `Deployment.apps` (2) or `Pod` (1); 0 when not kind-shaped.
int kind_word(std::string_view word);

// An unquoted klog value ends at whitespace or at punctuation that closes a list.
bool ends_value(char c);

// A klog value printed as JSON or a Go slice: `{"IPv4":"10.0.0.10"}`, `[a b]`. Returns the end
// after the matching bracket, or `i` when the value does not start with one or does not close
// within kMaxScan * 4 bytes.
std::size_t match_bracketed_value(std::string_view s, std::size_t i);

// klog keys whose values are error text (masked inside rather than replaced).
bool is_error_key(std::string_view key);

// Any whitespace in `text`.
bool has_space(std::string_view text);

}  // namespace kubeblame::analyze::shapes
