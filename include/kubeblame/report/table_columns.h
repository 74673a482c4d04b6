// The metric columns of a `top` row, with their headers and human-readable cell text, shared
// by the terminal and markdown renderers so both show the same columns the same way.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/report/report.h"

namespace kubeblame::report {

struct MetricColumn {
  std::string_view table_header;
  std::function<std::string(const RowMetrics&)> human;
};

const std::vector<MetricColumn>& metric_columns();

}  // namespace kubeblame::report
