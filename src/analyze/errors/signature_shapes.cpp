// Shape matchers for error signatures; see signature_shapes.h and the essay in signature.cpp.
#include "kubeblame/analyze/errors/signature_shapes.h"

namespace kubeblame::analyze::shapes {

namespace {
constexpr std::size_t kNpos = std::string_view::npos;
}  // namespace

std::size_t match_url(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && j - i < 16 &&
         (is_alnum(s[j]) || s[j] == '+' || s[j] == '.' || s[j] == '-')) {
    ++j;
  }
  if (j == i || !starts_with(s, j, "://")) return 0;
  std::size_t body = j + 3;
  std::size_t k = body;
  while (k < s.size()) {
    char c = s[k];
    if (is_space(c) || c == '"' || c == '\\' || c == '\'' || c == '<' || c == '>' || c == '`') {
      break;
    }
    ++k;
  }
  while (k > body && (s[k - 1] == '.' || s[k - 1] == ',' || s[k - 1] == ';' || s[k - 1] == ':' ||
                      s[k - 1] == ')' || s[k - 1] == ']' || s[k - 1] == '}')) {
    --k;
  }
  return k > body ? k - i : 0;
}

// hh:mm:ss with optional fraction.
std::size_t match_clock(std::string_view s, std::size_t i) {
  if (count_digits(s, i) != 2 || at(s, i + 2) != ':' || count_digits(s, i + 3) != 2 ||
      at(s, i + 5) != ':' || count_digits(s, i + 6) != 2) {
    return 0;
  }
  std::size_t j = i + 8;
  if (at(s, j) == '.' && count_digits(s, j + 1) > 0) j += 1 + count_digits(s, j + 1);
  return j - i;
}

std::size_t match_timestamp(std::string_view s, std::size_t i) {
  if (count_digits(s, i) != 4 || at(s, i + 4) != '-' || count_digits(s, i + 5) != 2 ||
      at(s, i + 7) != '-' || count_digits(s, i + 8) != 2) {
    return 0;
  }
  std::size_t j = i + 10;
  char sep = at(s, j);
  if ((sep == 'T' || sep == ' ') && match_clock(s, j + 1) > 0) {
    j += 1 + match_clock(s, j + 1);
    char z = at(s, j);
    if (z == 'Z') {
      ++j;
    } else if ((z == '+' || z == '-') && count_digits(s, j + 1) == 2) {
      std::size_t k = j + 3;
      if (at(s, k) == ':') ++k;
      if (count_digits(s, k) == 2) j = k + 2;
    }
    // Go's time.String(): " +0000 UTC m=+1328.926848273"
    if (at(s, j) == ' ' && (at(s, j + 1) == '+' || at(s, j + 1) == '-') &&
        count_digits(s, j + 2) == 4 && at(s, j + 6) == ' ') {
      std::size_t k = j + 7;
      while (k < s.size() && k - (j + 7) < 6 && is_upper(s[k])) ++k;
      if (k - (j + 7) >= 2 && ends_token(s, k)) j = k;
    }
    if (starts_with(s, j, " m=") && (at(s, j + 3) == '+' || at(s, j + 3) == '-') &&
        count_digits(s, j + 4) > 0) {
      std::size_t k = j + 4 + count_digits(s, j + 4);
      if (at(s, k) == '.' && count_digits(s, k + 1) > 0) k += 1 + count_digits(s, k + 1);
      j = k;
    }
  }
  return ends_token(s, j) ? j - i : 0;
}

std::size_t match_uuid(std::string_view s, std::size_t i) {
  static constexpr std::size_t kGroups[] = {8, 4, 4, 4, 12};
  std::size_t j = i;
  for (std::size_t g = 0; g < 5; ++g) {
    if (g > 0) {
      if (at(s, j) != '-') return 0;
      ++j;
    }
    if (count_hex(s, j) != kGroups[g]) return 0;
    j += kGroups[g];
  }
  return ends_token(s, j) ? j - i : 0;
}

std::size_t match_port(std::string_view s, std::size_t j) {
  if (at(s, j) == ':' && count_digits(s, j + 1) > 0 && count_digits(s, j + 1) <= 5) {
    return 1 + count_digits(s, j + 1);
  }
  return 0;
}

std::size_t match_ipv4(std::string_view s, std::size_t i) {
  std::size_t j = i;
  for (int g = 0; g < 4; ++g) {
    if (g > 0) {
      if (at(s, j) != '.') return 0;
      ++j;
    }
    std::size_t n = count_digits(s, j);
    if (n == 0 || n > 3) return 0;
    j += n;
  }
  if (at(s, j) == '.' && is_digit(at(s, j + 1))) return 0;
  j += match_port(s, j);
  if (at(s, j) == '/' && count_digits(s, j + 1) > 0 && count_digits(s, j + 1) <= 3) {
    j += 1 + count_digits(s, j + 1);
  }
  return ends_token(s, j) ? j - i : 0;
}

// Bare IPv6: hex groups and colons with a "::" or all eight groups.
std::size_t match_ipv6(std::string_view s, std::size_t i) {
  std::size_t j = i;
  std::size_t colons = 0, run = 0;
  bool double_colon = false, any_hex = false;
  while (j < s.size() && j - i < 46) {
    char c = s[j];
    if (c == ':') {
      if (at(s, j + 1) == ':') {
        if (double_colon) return 0;
        double_colon = true;
        colons += 2;
        j += 2;
      } else {
        ++colons;
        ++j;
      }
      run = 0;
    } else if (is_hex(c)) {
      if (++run > 4) return 0;
      any_hex = true;
      ++j;
    } else if (c == '.' && is_digit(at(s, j + 1))) {
      ++j;  // an embedded IPv4 tail (::ffff:10.0.0.1)
    } else {
      break;
    }
  }
  while (j > i && s[j - 1] == ':' && !(j >= i + 2 && s[j - 2] == ':')) {
    --j;  // "fe80::1: connection refused"
    --colons;
  }
  if (!any_hex || colons < 2 || (!double_colon && colons != 7)) return 0;
  return ends_token(s, j) ? j - i : 0;
}

std::size_t match_bracketed_ipv6(std::string_view s, std::size_t i) {
  std::size_t n = match_ipv6(s, i + 1);
  if (n == 0 || at(s, i + 1 + n) != ']') return 0;
  std::size_t j = i + 2 + n;
  j += match_port(s, j);
  return ends_token(s, j) ? j - i : 0;
}

std::size_t match_hex(std::string_view s, std::size_t i) {
  if (at(s, i) == '0' && (at(s, i + 1) == 'x' || at(s, i + 1) == 'X')) {
    std::size_t n = count_hex(s, i + 2);
    if (n > 0 && ends_token(s, i + 2 + n)) return 2 + n;
    return 0;
  }
  std::size_t n = count_hex(s, i);
  if (n < 8 || !ends_token(s, i + n)) return 0;
  bool digit = false, letter = false;
  for (std::size_t k = i; k < i + n; ++k) (is_digit(s[k]) ? digit : letter) = true;
  return digit && letter ? n : 0;
}

std::size_t match_duration(std::string_view s, std::size_t i) {
  std::size_t j = i;
  bool any = false;
  while (is_digit(at(s, j))) {
    j += count_digits(s, j);
    if (at(s, j) == '.' && is_digit(at(s, j + 1))) j += 1 + count_digits(s, j + 1);
    if (starts_with(s, j, "ms") || starts_with(s, j, "us") || starts_with(s, j, "ns")) {
      j += 2;
    } else if (starts_with(s, j, "\xC2\xB5s")) {
      j += 3;
    } else if (at(s, j) == 'h' || at(s, j) == 'm' || at(s, j) == 's') {
      j += 1;
    } else {
      return 0;
    }
    any = true;
  }
  return any && ends_token(s, j) ? j - i : 0;
}

// v<major>[(alpha|beta)<n>] as used in API versions.
std::size_t match_api_version(std::string_view s, std::size_t i) {
  if (at(s, i) != 'v' || count_digits(s, i + 1) == 0) return 0;
  std::size_t j = i + 1 + count_digits(s, i + 1);
  for (std::string_view stage : {std::string_view("alpha"), std::string_view("beta")}) {
    if (starts_with(s, j, stage) && count_digits(s, j + stage.size()) > 0) {
      j += stage.size() + count_digits(s, j + stage.size());
      break;
    }
  }
  return j - i;
}

std::size_t match_semver(std::string_view s, std::size_t i) {
  if (at(s, i) != 'v' || count_digits(s, i + 1) == 0) return 0;
  std::size_t j = i + 1 + count_digits(s, i + 1);
  if (at(s, j) != '.' || count_digits(s, j + 1) == 0) return 0;
  j += 1 + count_digits(s, j + 1);
  if (at(s, j) == '.' && count_digits(s, j + 1) > 0) j += 1 + count_digits(s, j + 1);
  if ((at(s, j) == '-' || at(s, j) == '+') && is_alnum(at(s, j + 1))) {
    ++j;
    while (j < s.size() && (is_alnum(s[j]) || s[j] == '.' || s[j] == '-' || s[j] == '+')) ++j;
    while (s[j - 1] == '.' || s[j - 1] == '-') --j;
  }
  return ends_token(s, j) ? j - i : 0;
}

// An APIService name: v1alpha1.acme.cert-manager.io
std::size_t match_api_service(std::string_view s, std::size_t i) {
  std::size_t v = match_api_version(s, i);
  if (v == 0 || at(s, i + v) != '.' || !is_lower(at(s, i + v + 1))) return 0;
  std::size_t j = i + v + 1;
  while (j < s.size() && j - i < kMaxScan && is_label(s[j])) ++j;
  while (s[j - 1] == '.' || s[j - 1] == '-') --j;
  return ends_token(s, j) ? j - i : 0;
}

// A Kubernetes-generated name suffix after '-': 5..10 characters of "bcdfghjklmnpqrstvwxz2456789"
// with at least one digit.
std::size_t match_name_suffix(std::string_view s, std::size_t i) {
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::size_t j = i;
  bool digit = false;
  while (j < s.size() && j - i <= 10 && kAlphabet.find(s[j]) != kNpos) {
    digit = digit || is_digit(s[j]);
    ++j;
  }
  std::size_t n = j - i;
  if (n < 5 || n > 10 || !digit || !ends_token(s, j) || at(s, j) == '.') return 0;
  return n;
}

bool is_core_plural(std::string_view word) {
  static constexpr std::string_view kCore[] = {
      "pods",         "services",        "endpoints",        "configmaps",
      "secrets",      "nodes",           "namespaces",       "events",
      "serviceaccounts", "persistentvolumeclaims", "persistentvolumes", "replicationcontrollers",
      "limitranges",  "resourcequotas",  "podtemplates",     "componentstatuses",
      "bindings",
  };
  for (std::string_view core : kCore) {
    if (core == word) return true;
  }
  return false;
}

// `pods`, `deployments.apps`, `subscriptions.dapr.io`: a core plural or a group-qualified plural.
bool is_resource_word(std::string_view word) {
  if (is_core_plural(word)) return true;
  std::size_t dot = word.find('.');
  if (dot == kNpos || dot < 2 || word[dot - 1] != 's' || !is_lower(word[0])) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (!is_label(word[k])) return false;
    if (word[k] == '.' && (k + 1 == word.size() || word[k + 1] == '.')) return false;
  }
  return is_alnum(word.back());
}

// `Deployment.apps` (2) or `Pod` (1); 0 when not kind-shaped.
int kind_word(std::string_view word) {
  if (word.empty() || !is_upper(word[0])) return 0;
  std::size_t k = 1;
  while (k < word.size() && is_alnum(word[k])) ++k;
  if (k == word.size()) return 1;
  if (word[k] != '.' || k + 1 == word.size()) return 0;
  for (std::size_t m = k + 1; m < word.size(); ++m) {
    if (!is_label(word[m])) return 0;
  }
  return 2;
}

// An unquoted klog value ends at whitespace or at punctuation that closes a list.
bool ends_value(char c) {
  return is_space(c) || c == ',' || c == ';' || c == ')' || c == ']' || c == '}';
}

// A klog value printed as JSON or a Go slice: `{"IPv4":"10.0.0.10"}`, `[a b]`. Returns the end
// after the matching bracket, or `i` when the value does not start with one or does not close
// within kMaxScan * 4 bytes.
std::size_t match_bracketed_value(std::string_view s, std::size_t i) {
  if (at(s, i) != '{' && at(s, i) != '[') return i;
  int depth = 0;
  bool in_string = false;
  for (std::size_t j = i; j < s.size() && j - i < 4 * kMaxScan; ++j) {
    char c = s[j];
    if (in_string) {
      if (c == '\\') {
        ++j;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return j + 1;
    }
  }
  return i;
}

bool is_error_key(std::string_view key) {
  return key == "err" || key == "error" || key == "errors" || key == "reason" ||
         key == "message" || key == "msg" || key == "cause";
}

bool has_space(std::string_view text) {
  for (char c : text) {
    if (is_space(c)) return true;
  }
  return false;
}

}  // namespace kubeblame::analyze::shapes
