// The rows of a `kubeblame kql top` / `kql timeline` result (docs/kql.md, "Reading the results
// back"), whatever shape they came in: the Log Analytics row reader hands over each row's column
// names and cell texts, this turns them into a model::WeightedGroup.
#pragma once

#include <span>
#include <string_view>

#include "kubeblame/decode/parse_context.h"
#include "kubeblame/model/weighted_group.h"

namespace kubeblame::decode {

enum class ResultRow { kOk, kUnknownVersion, kBad };

// `names[i]` names `cells[i]` (a CSV header's " [UTC]" suffix is ignored). Cells are text as
// exported: numbers as digits, null as "None", "null" or empty, dynamic values as JSON text.
// The views in `out` point into `cells`. Checks every cell; the latency parts' agreement with
// one another is checked when the sketch is rebuilt (analyze::LatencySketch::from_parts).
ResultRow parse_result_row(std::span<const std::string_view> names,
                           std::span<const std::string_view> cells, ParseContext& context,
                           model::WeightedGroup& out);

}  // namespace kubeblame::decode
