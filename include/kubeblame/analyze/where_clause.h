// One --where condition on a dimension value (`verb=list`, `agent!~kube-*`, `code>=400`), its
// parser, and the whole-value glob matcher it uses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kubeblame/analyze/dimension.h"

namespace kubeblame::analyze {

enum class WhereOp : std::uint8_t {
  kEqual,         // =
  kNotEqual,      // !=
  kGlob,          // ~   the whole value matches the glob
  kNotGlob,       // !~
  kGreaterEqual,  // >=  code only, numeric
  kLessEqual,     // <=
  kGreater,       // >
  kLess,          // <
};

std::string_view where_op_text(WhereOp op);

struct WhereClause {
  Dimension dimension = Dimension::kAgent;
  WhereOp op = WhereOp::kEqual;
  std::string value;        // as given (the glob for ~ and !~)
  std::int64_t number = 0;  // the numeric operand of >=, <=, >, <

  // `value` is the dimension's value exactly as --by shows it; `code` the event's response code (0
  // = none, which no numeric comparison accepts).
  bool matches(std::string_view dimension_value, int code) const;
};

// Parses "dim<op>value". Throws std::invalid_argument with a one-line message naming the expression
// and listing what is valid.
WhereClause parse_where_clause(std::string_view text);

// Shell-style glob over the whole text: `*` any run, `?` one byte, `[abc]`, `[a-z]`, `[!a]` or
// `[^a]` one byte of (not of) a set; `\` makes the next character literal. No allocation.
// Precondition: the pattern passed glob_is_valid().
bool glob_match(std::string_view pattern, std::string_view text);
// False for an unterminated `[` set or a trailing `\`.
bool glob_is_valid(std::string_view pattern);

}  // namespace kubeblame::analyze
