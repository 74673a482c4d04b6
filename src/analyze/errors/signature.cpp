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
//   makes the Dapr conversion-webhook flood one signature across CRDs, kinds and webhook URLs.
//
// Bounds. A signature is at most kMaxSignatureBytes: the scan stops once that much is written
// and the text is cut on a UTF-8 boundary with "…" appended. Every look-ahead is bounded
// (kMaxScan) or consumes what it scans, so a hostile 64 MiB line costs a bounded amount of
// work. The masker writes straight into the caller's buffer: nothing is allocated per call
// when that buffer has room.
#include "kubeblame/analyze/errors/signature.h"

#include "kubeblame/analyze/errors/signature_shapes.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace kubeblame::analyze {

namespace {

using namespace shapes;  // NOLINT: the matchers and character classes

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
constexpr std::size_t kMaxSourceBytes = 128;
constexpr std::size_t kMaxReasonBytes = 64;
constexpr std::size_t kNpos = std::string_view::npos;

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
