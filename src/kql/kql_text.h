// Pieces of KQL text shared by the query builders: literals, the translation of dimensions and
// --where clauses into expressions over the normalized audit columns (docs/kql.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/time_bound.h"
#include "kubeblame/analyze/where_clause.h"

namespace kubeblame::kql {

// A KQL string literal: "..." with \\, \" and control characters escaped.
std::string string_literal(std::string_view text);
// A whole-value regular expression (RE2) equivalent to an analyze::glob_match pattern.
std::string glob_to_regex(std::string_view glob);
// `datetime(2024-06-30T19:00:00.000000000Z)`, or `ago(2h)` for a relative bound.
std::string time_expression(const analyze::TimeBound& bound);
std::string datetime_literal(model::TimeNs time);
// `3600s`.
std::string timespan_literal(std::int64_t seconds);
// The column a dimension is computed into (`k_agent`) and its expression.
std::string dimension_column(analyze::Dimension dimension);
std::string dimension_expression(analyze::Dimension dimension);
// A --where clause as a KQL predicate over the dimension columns and Code.
std::string where_predicate(const analyze::WhereClause& clause);
// Text safe inside a `//` comment line: control characters become spaces.
std::string comment_text(std::string_view text);

}  // namespace kubeblame::kql
