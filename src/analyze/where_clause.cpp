// --where parsing and matching. The operator is the whole run of operator characters after the
// dimension name, so a typo like `code=>400` is refused instead of silently comparing against the
// text ">400".
#include "kubeblame/analyze/where_clause.h"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

namespace kubeblame::analyze {

namespace {

constexpr std::string_view kOperatorChars = "=!~<>";
constexpr std::string_view kOperatorList = "=, !=, ~, !~ (and >=, <=, >, < on code)";

struct OpName {
  std::string_view text;
  WhereOp op;
};
constexpr OpName kOps[] = {{"=", WhereOp::kEqual},         {"!=", WhereOp::kNotEqual},
                           {"~", WhereOp::kGlob},          {"!~", WhereOp::kNotGlob},
                           {">=", WhereOp::kGreaterEqual}, {"<=", WhereOp::kLessEqual},
                           {">", WhereOp::kGreater},       {"<", WhereOp::kLess}};

bool is_numeric(WhereOp op) {
  return op == WhereOp::kGreaterEqual || op == WhereOp::kLessEqual || op == WhereOp::kGreater ||
         op == WhereOp::kLess;
}

// Index just past the `]` closing the set that starts at `open` (the `[`), or npos.
std::size_t set_end(std::string_view pattern, std::size_t open) {
  std::size_t p = open + 1;
  if (p < pattern.size() && (pattern[p] == '!' || pattern[p] == '^')) ++p;
  if (p < pattern.size() && pattern[p] == ']') ++p;  // a leading ] is a member
  while (p < pattern.size() && pattern[p] != ']') p += pattern[p] == '\\' ? 2 : 1;
  return p < pattern.size() ? p + 1 : std::string_view::npos;
}

bool set_contains(std::string_view pattern, std::size_t open, std::size_t end, char c) {
  std::size_t p = open + 1;
  bool negate = pattern[p] == '!' || pattern[p] == '^';
  if (negate) ++p;
  bool found = false;
  std::size_t last = end - 1;  // the closing ]; a ] before it (leading) is a member
  while (p < last) {
    char low = pattern[p] == '\\' ? pattern[++p] : pattern[p];
    ++p;
    char high = low;
    if (p + 1 < last && pattern[p] == '-') {
      high = pattern[p + 1] == '\\' ? pattern[p + 2] : pattern[p + 1];
      p += pattern[p + 1] == '\\' ? 3 : 2;
    }
    auto u = static_cast<unsigned char>(c);
    if (u >= static_cast<unsigned char>(low) && u <= static_cast<unsigned char>(high)) found = true;
  }
  return found != negate;
}

// Matches one non-`*` pattern element at `p` against `c`; on success `next` is past it.
bool match_one(std::string_view pattern, std::size_t p, char c, std::size_t& next) {
  if (p >= pattern.size()) return false;
  char pc = pattern[p];
  if (pc == '?') {
    next = p + 1;
    return true;
  }
  if (pc == '[') {
    std::size_t end = set_end(pattern, p);
    next = end;
    return set_contains(pattern, p, end, c);
  }
  if (pc == '\\') {
    next = p + 2;
    return pattern[p + 1] == c;
  }
  next = p + 1;
  return pc == c;
}

[[noreturn]] void bad(std::string_view text, const std::string& why) {
  throw std::invalid_argument(fmt::format("--where '{}': {}", text, why));
}

}  // namespace

std::string_view where_op_text(WhereOp op) {
  for (const OpName& entry : kOps) {
    if (entry.op == op) return entry.text;
  }
  return "?";
}

bool glob_is_valid(std::string_view pattern) {
  for (std::size_t p = 0; p < pattern.size(); ++p) {
    if (pattern[p] == '\\') {
      if (++p >= pattern.size()) return false;
    } else if (pattern[p] == '[') {
      std::size_t end = set_end(pattern, p);
      if (end == std::string_view::npos) return false;
      p = end - 1;
    }
  }
  return true;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  constexpr std::size_t kNoStar = std::string_view::npos;
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star_p = kNoStar;  // pattern position after the last `*` seen
  std::size_t star_t = 0;        // text position that `*` currently extends to
  while (t < text.size()) {
    std::size_t next = 0;
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = ++p;
      star_t = t;
    } else if (match_one(pattern, p, text[t], next)) {
      p = next;
      ++t;
    } else if (star_p != kNoStar) {
      p = star_p;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool WhereClause::matches(std::string_view dimension_value, int code) const {
  switch (op) {
    case WhereOp::kEqual:
      return dimension_value == value;
    case WhereOp::kNotEqual:
      return dimension_value != value;
    case WhereOp::kGlob:
      return glob_match(value, dimension_value);
    case WhereOp::kNotGlob:
      return !glob_match(value, dimension_value);
    case WhereOp::kGreaterEqual:
      return code > 0 && code >= number;
    case WhereOp::kLessEqual:
      return code > 0 && code <= number;
    case WhereOp::kGreater:
      return code > 0 && code > number;
    case WhereOp::kLess:
      return code > 0 && code < number;
  }
  return false;
}

WhereClause parse_where_clause(std::string_view text) {
  std::size_t op_start = text.find_first_of(kOperatorChars);
  if (op_start == std::string_view::npos) {
    bad(text,
        fmt::format("expected DIMENSION OPERATOR VALUE (verb=list); operators: {}", kOperatorList));
  }
  std::size_t op_end = text.find_first_not_of(kOperatorChars, op_start);
  if (op_end == std::string_view::npos) op_end = text.size();
  std::string_view name = text.substr(0, op_start);
  std::string_view op_text = text.substr(op_start, op_end - op_start);
  std::string_view value = text.substr(op_end);

  WhereClause clause;
  auto dimension = parse_dimension(name);
  if (!dimension) {
    bad(text, fmt::format("unknown dimension '{}'; valid: {}", name, dimension_list()));
  }
  clause.dimension = *dimension;
  const OpName* op = nullptr;
  for (const OpName& entry : kOps) {
    if (entry.text == op_text) op = &entry;
  }
  if (op == nullptr)
    bad(text, fmt::format("unknown operator '{}'; valid: {}", op_text, kOperatorList));
  clause.op = op->op;
  if (value.empty()) bad(text, fmt::format("missing value after '{}'", op_text));
  clause.value = std::string(value);
  if (is_numeric(clause.op)) {
    if (clause.dimension != Dimension::kCode) {
      bad(text, fmt::format("'{}' compares numbers and only applies to code; "
                            "for {} use =, !=, ~ or !~",
                            op_text, name));
    }
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), clause.number);
    if (ec != std::errc() || end != value.data() + value.size()) {
      bad(text, fmt::format("'{}' is not a number (example: code>=400)", value));
    }
  }
  if ((clause.op == WhereOp::kGlob || clause.op == WhereOp::kNotGlob) && !glob_is_valid(value)) {
    bad(text, "the glob has an unterminated '[' set or a trailing '\\'");
  }
  return clause;
}

}  // namespace kubeblame::analyze
