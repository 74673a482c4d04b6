// Error signatures: turning one error message into the template of its failure mode.
//
// The problem. kube-apiserver repeats the same failure thousands of times with different
// timestamps, object names, CRDs, IPs and durations in the text. An SRE wants one row per
// failure mode, so the variable parts must be masked; but two genuinely different failures
// (a conversion webhook, an expired token, an etcd compaction, a failing admission webhook, a
// handler timeout) must never collapse into one row. Generic "replace every word with a digit"
// miners get both wrong on Kubernetes text: they keep `subscriptions.dapr.io` (no digit) and
// mask `metav1`/`v1alpha1`/`x509` (constant vocabulary). So the masker below is a single
// left-to-right scan with shape rules for variable values and a few context rules for the
// places where Kubernetes puts names without quoting them.
//
// Input. For log lines the decoder already removed the klog header (`E0207 22:20:05.623771 11
// cacher.go:424] `); the source file without its line number is kept as the signature's prefix
// (`cacher.go: `), because the same text from two call sites is two failure modes. For audit
// responses the prefix is `<code> <reason>: ` (`409 Conflict: `), then the masked message.
//
// Whitespace. Runs of spaces, tabs and newlines become one space; the ends are trimmed.
//
// Shape rules, tried where a token starts (the previous byte is not [A-Za-z0-9_]):
//   URL           `https://x.svc:443/convert?timeout=30s` -> `<url>` (trailing `.,;:)]}` kept)
//   date-time     `2024-10-31T10:16:37.179181Z`, Go's `2020-10-22 01:00:30.13 +0000 UTC
//                 m=+1328.9`, `2020-10-22` -> `<time>`; time of day `02:46:10.192` -> `<time>`
//   UID           `b0a35b5f-17f7-44b4-bfa2-ff17525f9872` -> `<uid>`
//   IPv4/IPv6     `10.96.2.15:443`, `10.85.0.0/16`, `[fe80::1]:6443`, `2001:db8::1` -> `<ip>`
//   hex           `0xc002799500` and runs of 8+ hex digits with a digit and a letter
//                 (`86bbd744c`, container ids) -> `<hex>`
//   duration      Go durations `4.003161ms`, `30s`, `6m49s`, `1h2m3.5s` -> `<duration>`
//   number        `8917`, `1.5`, `-1` keeps its sign -> `<num>`; a digit-led word that goes on
//                 with letters (`4wzqh`, `100Mi`) -> `<id>`. Digits inside a word are kept:
//                 `metav1`, `v1alpha1`, `k8s`, `x509`, `http2` are vocabulary.
//   version       `v1.28.15`, `v0.26.1-rc.1` -> `<version>`; an APIService name
//                 `v1alpha1.acme.cert-manager.io` -> `<version>.<group>`
//   group/version `dapr.io/v1alpha1`, `apps/v1`, `/v1` (core) -> `<group>/<version>`
//   path          `/api/v1/nodes/n1` after a space, `:`, `(`, `=`, `[` or `,` -> `<path>`
//   host:port     `etcd-0.etcd.svc:2379` (a dotted name with a port; not `cacher.go:450`)
//                 -> `<host>`
//   pod suffix    `-x2kqz` (5-10 characters of the Kubernetes name alphabet, with a digit)
//                 -> `-<id>`
//   single quotes `node 'work115'` -> `'<name>'` (no whitespace inside; `can't` is untouched)
//
// Double-quoted strings (Go's %q; inside a quoted string, nested ones are `\"...\"`). Their
// content decides: with whitespace it is text, masked recursively (`"Unable to authenticate
// the request"`, `&errors.errorString{s:"error dialing backend: EOF"}` stay readable); without
// it is a value: a URL -> `"<url>"`, a path -> `"<path>"`, anything else -> `"<name>"`;
// `""` stays `""` (it carries nothing variable, e.g. the core `API group ""`).
// The word before a quoted value is masked too when it is a resource or a kind, because
// apimachinery's messages name them there: `pods "foo"`, `deployments.apps "x"` ->
// `<resource> "<name>"` (a known core plural, or a group-qualified plural); `Deployment.apps
// "x"` and `Pod "x" is invalid` -> `<kind> "<name>"`. `User "..."`, `webhook "..."`,
// `service "..."` keep their word. `pods is forbidden` -> `<resource> is forbidden`.
//
// klog structured arguments `key=value` (at the start of a token): the key is kept. For keys
// that hold error text (err, error, errors, reason, message, msg, cause) the value is masked
// recursively, so `err="[invalid bearer token, service account token has expired]"` and
// `err="[invalid bearer token, square/go-jose: error in cryptographic primitive]"` stay two
// rows. `Kind=Subscription` -> `Kind=<kind>`, `Resource=x` -> `Resource=<resource>`. Any other
// value is an identifier: `method=GET URI="/apis/..."` -> `method=<value> URI="<value>"`. An
// unquoted value runs to whitespace or `,;)]}`, or over a balanced `{...}`/`[...]`
// (`clusterIPs={"IPv4":"10.0.0.10"}` -> `clusterIPs=<value>`); `key=` with nothing after it is
// left as is.
//
// Context rules for unquoted names:
//   `cacher (subscriptions.dapr.io)`          -> `cacher (<resource>)`
//   `failing open validation.gatekeeper.sh:`  -> `failing open <name>:` (also failing closed)
//   `lookup dapr-webhook.ns.svc on 10.0.0.10` -> `lookup <host> on <ip>`
//   `conversion webhook for <gv>, Kind=<k> failed: <anything>` -> `... failed: <cause>`: the
//   cause runs to the end of the enclosing text (keeping a final `; reinitializing...`). The
//   failure mode is "this CRD's conversion webhook fails"; whether the Service is missing or
//   the webhook answers an error varies per CRD and is visible in the verbatim example. This
//   makes the SPEC's Dapr flood one signature across CRDs, kinds and webhook URLs.
//
// Bounds. A signature is at most kMaxSignatureBytes: the scan stops once that much is written
// and the text is cut on a UTF-8 boundary with "…" appended. Every look-ahead is bounded
// (kMaxScan) or consumes what it scans, so a hostile 64 MiB line costs a bounded amount of
// work. The masker writes straight into the caller's buffer: nothing is allocated per call
// when that buffer has room.
#include "kubeblame/analyze/signature.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace kubeblame::analyze {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
constexpr std::size_t kMaxScan = 256;
constexpr std::size_t kMaxSourceBytes = 128;
constexpr std::size_t kMaxReasonBytes = 64;
constexpr std::size_t kNpos = std::string_view::npos;

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr bool is_alpha(char c) { return is_lower(c) || is_upper(c); }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_word(char c) { return is_alnum(c) || c == '_'; }
constexpr bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
constexpr bool is_label(char c) { return is_lower(c) || is_digit(c) || c == '-' || c == '.'; }

char at(std::string_view s, std::size_t i) { return i < s.size() ? s[i] : '\0'; }

std::size_t count_digits(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i;
}

std::size_t count_hex(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && is_hex(s[j])) ++j;
  return j - i;
}

bool starts_with(std::string_view s, std::size_t i, std::string_view prefix) {
  return s.size() - i >= prefix.size() && s.compare(i, prefix.size(), prefix) == 0;
}

// The token ends at `j`: no word character follows.
bool ends_token(std::string_view s, std::size_t j) { return !is_word(at(s, j)); }

// --- shape matchers: each returns the length matched at `i`, 0 for none ---------------------

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

struct Word {
  std::size_t raw_begin = 0, raw_end = 0, out_begin = 0;
  bool valid = false;
};

class Masker {
 public:
  Masker(std::string& out, std::size_t start) : out_(out), start_(start) {}
  void mask(std::string_view s, int depth);

 private:
  bool full() const { return out_.size() - start_ > kMaxSignatureBytes; }
  std::string_view delimiter(int depth) const { return depth == 0 ? "\"" : "\\\""; }
  bool opens_quote(std::string_view s, std::size_t i, int depth) const;
  std::size_t find_close(std::string_view s, std::size_t from, int depth) const;
  std::size_t quoted(std::string_view s, std::size_t i, int depth, const Word& prev,
                     bool word_start);
  void quoted_content(std::string_view content, int depth);
  std::size_t token(std::string_view s, std::size_t i, int depth);
  std::size_t alpha_token(std::string_view s, std::size_t i, int depth);
  std::size_t key_value(std::string_view s, std::size_t i, int depth);
  std::size_t phrase(std::string_view s, std::size_t i, int depth);
  std::size_t lower_word(std::string_view s, std::size_t i);
  std::size_t digit_token(std::string_view s, std::size_t i);
  std::size_t emit(std::size_t length, std::string_view mask) {
    out_.append(mask);
    return length;
  }

  std::string& out_;
  std::size_t start_;
};

bool Masker::opens_quote(std::string_view s, std::size_t i, int depth) const {
  if (depth == 0) return s[i] == '"' && (i == 0 || s[i - 1] != '\\');
  if (depth == 1) return s[i] == '\\' && at(s, i + 1) == '"' && (i == 0 || s[i - 1] != '\\');
  return false;
}

// Depth 0 closes at an unescaped '"' (an even run of backslashes before it); depth 1 at `\"`
// with exactly one backslash (`\\\"` is a quote one level deeper).
std::size_t Masker::find_close(std::string_view s, std::size_t from, int depth) const {
  std::size_t p = from;
  while (p < s.size()) {
    const void* hit = std::memchr(s.data() + p, '"', s.size() - p);
    if (hit == nullptr) return kNpos;
    std::size_t q = static_cast<std::size_t>(static_cast<const char*>(hit) - s.data());
    std::size_t run = 0;
    while (q - run > from && s[q - run - 1] == '\\') ++run;
    if (depth == 0 && run % 2 == 0) return q;
    if (depth == 1 && run == 1) return q - 1;
    p = q + 1;
  }
  return kNpos;
}

void Masker::quoted_content(std::string_view content, int depth) {
  if (content.empty()) return;
  if (has_space(content)) {
    mask(content, depth + 1);
  } else if (match_url(content, 0) == content.size()) {
    out_ += "<url>";
  } else if (content[0] == '/') {
    out_ += "<path>";
  } else {
    out_ += "<name>";
  }
}

std::size_t Masker::quoted(std::string_view s, std::size_t i, int depth, const Word& prev,
                           bool word_start) {
  if (!opens_quote(s, i, depth)) return 0;
  std::string_view delim = delimiter(depth);
  std::size_t close = find_close(s, i + delim.size(), depth);
  if (close == kNpos) return 0;
  std::string_view content = s.substr(i + delim.size(), close - i - delim.size());
  if (word_start && prev.valid && !content.empty()) {
    std::string_view word = s.substr(prev.raw_begin, prev.raw_end - prev.raw_begin);
    int kind = kind_word(word);
    bool invalid = starts_with(s, close + delim.size(), " is invalid");
    if (is_resource_word(word)) {
      out_.resize(prev.out_begin);
      out_ += "<resource> ";
    } else if (kind == 2 || (kind == 1 && invalid)) {
      out_.resize(prev.out_begin);
      out_ += "<kind> ";
    }
  }
  out_ += delim;
  quoted_content(content, depth);
  out_ += delim;
  return close + delim.size() - i;
}

// klog structured arguments: key=value, key="value".
std::size_t Masker::key_value(std::string_view s, std::size_t i, int depth) {
  if (i > 0) {
    char p = s[i - 1];
    if (!is_space(p) && p != '(' && p != '{' && p != '[' && p != ',') return 0;
  }
  if (!is_alpha(s[i]) && s[i] != '_') return 0;
  std::size_t j = i + 1;
  while (j < s.size() && j - i < 64 &&
         (is_word(s[j]) || s[j] == '.' || s[j] == '-')) {
    ++j;
  }
  if (at(s, j) != '=' || j + 1 >= s.size() || ends_value(s[j + 1])) return 0;
  std::string_view key = s.substr(i, j - i);
  std::size_t v = j + 1;
  if (key == "Kind" || key == "Resource") {
    std::size_t k = v;
    while (k < s.size() && (is_word(s[k]) || (key == "Resource" && is_label(s[k])))) ++k;
    if (k == v) return 0;
    out_.append(s.substr(i, v - i));
    out_ += key == "Kind" ? "<kind>" : "<resource>";
    return k - i;
  }
  out_.append(s.substr(i, v - i));
  bool error_text = is_error_key(key);
  if (opens_quote(s, v, depth)) {
    std::string_view delim = delimiter(depth);
    std::size_t close = find_close(s, v + delim.size(), depth);
    if (close != kNpos) {
      std::string_view content = s.substr(v + delim.size(), close - v - delim.size());
      out_ += delim;
      if (error_text) {
        mask(content, depth + 1);
      } else if (!content.empty()) {
        out_ += "<value>";
      }
      out_ += delim;
      return close + delim.size() - i;
    }
  }
  std::size_t k = match_bracketed_value(s, v);
  if (k == v) {
    while (k < s.size() && !ends_value(s[k])) ++k;
  }
  if (error_text) {
    mask(s.substr(v, k - v), depth);
  } else {
    out_ += "<value>";
  }
  return k - i;
}

// Context rules anchored on fixed phrases.
std::size_t Masker::phrase(std::string_view s, std::size_t i, int depth) {
  static constexpr std::string_view kConversion = "conversion webhook for ";
  static constexpr std::string_view kFailed = " failed: ";
  static constexpr std::string_view kReinitializing = "; reinitializing...";
  char c = s[i];
  if (c == 'c' && starts_with(s, i, kConversion)) {
    std::size_t from = i + kConversion.size();
    std::size_t f = s.substr(0, std::min(s.size(), from + kMaxScan)).find(kFailed, from);
    if (f == kNpos) return 0;
    out_ += kConversion;
    mask(s.substr(from, f - from), depth);
    out_ += " failed: <cause>";
    std::string_view rest = s.substr(f);
    while (!rest.empty() && is_space(rest.back())) rest.remove_suffix(1);
    if (rest.size() >= kReinitializing.size() &&
        rest.substr(rest.size() - kReinitializing.size()) == kReinitializing) {
      out_ += kReinitializing;
    }
    return s.size() - i;
  }
  if (c == 'f') {
    static constexpr std::string_view kFailing[] = {"failing open ", "failing closed "};
    for (std::string_view p : kFailing) {
      if (!starts_with(s, i, p)) continue;
      std::size_t j = i + p.size();
      while (j < s.size() && j - i < kMaxScan && s[j] != ':' && !is_space(s[j])) ++j;
      if (j == i + p.size()) return 0;
      out_ += p;
      return emit(j - i, "<name>");
    }
    return 0;
  }
  if (c == 'l' && starts_with(s, i, "lookup ")) {
    std::size_t from = i + 7;
    std::size_t j = from;
    while (j < s.size() && j - i < kMaxScan && (is_alnum(s[j]) || s[j] == '.' || s[j] == '-')) ++j;
    if (j == from || (at(s, j) != ':' && !starts_with(s, j, " on "))) return 0;
    out_ += "lookup ";
    return emit(j - i, "<host>");
  }
  return 0;
}

// Tokens that start with a lowercase letter: group/version, `<resource> is forbidden`,
// host:port.
std::size_t Masker::lower_word(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && j - i < kMaxScan && is_label(s[j])) ++j;
  std::string_view word = s.substr(i, j - i);
  if (at(s, j) == '/') {
    std::size_t v = match_api_version(s, j + 1);
    char next = at(s, j + 1 + v);
    if (v > 0 && !is_word(next) && next != '/' && next != '.' && next != '-') {
      return emit(j + 1 + v - i, "<group>/<version>");
    }
    return 0;
  }
  if (starts_with(s, j, " is forbidden") && is_resource_word(word)) {
    return emit(j - i, "<resource>");
  }
  if (at(s, j) == ':' && word.find('.') != kNpos && word.back() != '.' &&
      !(word.size() > 3 && word.substr(word.size() - 3) == ".go")) {
    std::size_t port = match_port(s, j);
    if (port > 0 && ends_token(s, j + port)) return emit(j + port - i, "<host>");
  }
  return 0;
}

std::size_t Masker::digit_token(std::string_view s, std::size_t i) {
  if (std::size_t n = match_timestamp(s, i)) return emit(n, "<time>");
  if (std::size_t n = match_clock(s, i); n && ends_token(s, i + n)) return emit(n, "<time>");
  if (std::size_t n = match_uuid(s, i)) return emit(n, "<uid>");
  if (std::size_t n = match_ipv4(s, i)) return emit(n, "<ip>");
  if (std::size_t n = match_ipv6(s, i)) return emit(n, "<ip>");
  if (std::size_t n = match_hex(s, i)) return emit(n, "<hex>");
  if (std::size_t n = match_duration(s, i)) return emit(n, "<duration>");
  std::size_t j = i + count_digits(s, i);
  while (at(s, j) == '.' && is_digit(at(s, j + 1))) j += 1 + count_digits(s, j + 1);
  if (!is_word(at(s, j))) return emit(j - i, "<num>");
  while (j < s.size() && is_word(s[j])) ++j;
  return emit(j - i, "<id>");
}

// A token starting with a letter. One scan over its [A-Za-z0-9_.-] run tells which rules can
// apply (what follows it, whether it is lowercase, whether it has digits); when none does, the
// word is copied as is.
std::size_t Masker::alpha_token(std::string_view s, std::size_t i, int depth) {
  std::size_t end = i;
  bool lower_label = true, digit = false;
  while (end < s.size() && end - i < kMaxScan &&
         (is_word(s[end]) || s[end] == '.' || s[end] == '-')) {
    lower_label = lower_label && is_label(s[end]);
    digit = digit || is_digit(s[end]);
    ++end;
  }
  char after = at(s, end);
  char c = s[i];
  if (after == ':' && at(s, end + 1) == '/' && at(s, end + 2) == '/') {
    if (std::size_t n = match_url(s, i)) return emit(n, "<url>");
  }
  if (after == '=') {
    if (std::size_t n = key_value(s, i, depth)) return n;
  }
  if (c == 'c' || c == 'f' || c == 'l') {
    if (std::size_t n = phrase(s, i, depth)) return n;
  }
  bool forbidden = after == ' ' && at(s, end + 1) == 'i' && at(s, end + 2) == 's';
  if (lower_label && (after == '/' || after == ':' || forbidden)) {
    if (std::size_t n = lower_word(s, i)) return n;
  }
  if (c == 'v' && is_digit(at(s, i + 1))) {
    if (std::size_t n = match_semver(s, i)) return emit(n, "<version>");
    if (std::size_t n = match_api_service(s, i)) return emit(n, "<version>.<group>");
  }
  if (is_hex(c) && digit) {
    if (std::size_t n = match_uuid(s, i)) return emit(n, "<uid>");
    if (std::size_t n = match_ipv6(s, i)) return emit(n, "<ip>");
    if (std::size_t n = match_hex(s, i)) return emit(n, "<hex>");
  }
  // Copy the word, but never much past the length cap (a hostile line may be one long word).
  std::size_t used = out_.size() - start_;
  std::size_t room = used <= kMaxSignatureBytes ? kMaxSignatureBytes + 1 - used : 1;
  std::size_t word = i;
  while (word < s.size() && word - i < room && is_word(s[word])) ++word;
  out_.append(s.substr(i, word - i));
  return word - i;
}

// Rules tried where a token starts. Returns the bytes consumed (0: no rule applies).
std::size_t Masker::token(std::string_view s, std::size_t i, int depth) {
  char c = s[i];
  if (is_digit(c)) return digit_token(s, i);
  if (is_alpha(c)) return alpha_token(s, i, depth);
  switch (c) {
    case '/': {
      std::size_t v = match_api_version(s, i + 1);
      char next = at(s, i + 1 + v);
      if (v > 0 && !is_word(next) && next != '/' && next != '.' && next != '-') {
        return emit(1 + v, "<group>/<version>");
      }
      char p = i == 0 ? ' ' : s[i - 1];
      bool after = is_space(p) || p == ':' || p == '(' || p == '=' || p == '[' || p == ',';
      char first = at(s, i + 1);
      bool path_char = is_word(first) || first == '.' || first == '~' || first == '-';
      if (!after || !path_char) return 0;
      std::size_t j = i + 1;
      while (j < s.size() && !is_space(s[j]) && s[j] != '"' && s[j] != '\\' && s[j] != '\'' &&
             s[j] != '<' && s[j] != '>' && s[j] != ')' && s[j] != ']' && s[j] != ',' &&
             s[j] != ';') {
        ++j;
      }
      while (s[j - 1] == '.' || s[j - 1] == ':') --j;
      if (j <= i + 1) return 0;
      return emit(j - i, "<path>");
    }
    case '(': {
      if (i < 7 || s.substr(i - 7, 7) != "cacher ") return 0;
      std::size_t j = i + 1;
      while (j < s.size() && j - i < kMaxScan && s[j] != ')' && !is_space(s[j])) ++j;
      if (at(s, j) != ')' || j == i + 1) return 0;
      return emit(j + 1 - i, "(<resource>)");
    }
    case '\'': {
      std::size_t j = i + 1;
      while (j < s.size() && j - i < kMaxScan && s[j] != '\'' && !is_space(s[j])) ++j;
      if (at(s, j) != '\'' || j == i + 1 || is_word(at(s, j + 1))) return 0;
      return emit(j + 1 - i, "'<name>'");
    }
    case '[': {
      if (std::size_t n = match_bracketed_ipv6(s, i)) return emit(n, "<ip>");
      return 0;
    }
    case ':': {
      if (at(s, i + 1) != ':') return 0;
      if (std::size_t n = match_ipv6(s, i)) return emit(n, "<ip>");
      return 0;
    }
    default: return 0;
  }
}

void Masker::mask(std::string_view s, int depth) {
  const std::size_t level_start = out_.size();
  Word prev;
  std::size_t word_raw = 0, word_out = out_.size();
  std::size_t i = 0;
  while (i < s.size() && !full()) {
    char c = s[i];
    if (is_space(c)) {
      if (i > word_raw) {
        prev = Word{word_raw, i, word_out, true};
      } else {
        prev.valid = false;
      }
      while (i < s.size() && is_space(s[i])) ++i;
      if (out_.size() > level_start && out_.back() != ' ') out_.push_back(' ');
      word_raw = i;
      word_out = out_.size();
      continue;
    }
    if (std::size_t n = quoted(s, i, depth, prev, i == word_raw)) {
      i += n;
      continue;
    }
    if (i == 0 || !is_word(s[i - 1])) {
      if (std::size_t n = token(s, i, depth)) {
        i += n;
        continue;
      }
    }
    if (c == '-' && i > 0 && is_alnum(s[i - 1])) {
      if (std::size_t n = match_name_suffix(s, i + 1)) {
        out_ += "-<id>";
        i += 1 + n;
        continue;
      }
    }
    out_.push_back(c);
    ++i;
  }
}

// Caps the length (the masker stopped once past it), else trims trailing spaces after `body`
// and drops a dangling ": " separator.
void finish(std::string& out, std::size_t start, std::size_t body, std::size_t separator) {
  if (out.size() - start > kMaxSignatureBytes) {
    std::size_t cut = start + kMaxSignatureBytes - kEllipsis.size();
    while (cut > start && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += kEllipsis;
    return;
  }
  while (out.size() > body && out.back() == ' ') out.pop_back();
  if (out.size() == body && separator > 0) out.resize(body - separator);
}

}  // namespace

void append_log_signature(std::string& out, std::string_view source, std::string_view message) {
  std::size_t start = out.size();
  std::size_t separator = 0;
  if (!source.empty()) {
    out.append(source.substr(0, kMaxSourceBytes));
    out += ": ";
    separator = 2;
  }
  std::size_t body = out.size();
  Masker(out, start).mask(message, 0);
  finish(out, start, body, separator);
  if (out.size() == start) out += "(empty message)";
}

std::string log_signature(std::string_view source, std::string_view message) {
  std::string out;
  append_log_signature(out, source, message);
  return out;
}

void append_audit_signature(std::string& out, int code, std::string_view reason,
                            std::string_view message) {
  std::size_t start = out.size();
  char digits[16];
  auto result = std::to_chars(digits, digits + sizeof(digits), code);
  out.append(digits, static_cast<std::size_t>(result.ptr - digits));
  if (!reason.empty()) {
    out += ' ';
    out.append(reason.substr(0, kMaxReasonBytes));
  }
  out += ": ";
  std::size_t body = out.size();
  Masker(out, start).mask(message, 0);
  finish(out, start, body, 2);
}

std::string audit_signature(int code, std::string_view reason, std::string_view message) {
  std::string out;
  append_audit_signature(out, code, reason, message);
  return out;
}

}  // namespace kubeblame::analyze
