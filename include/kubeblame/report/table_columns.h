// The metric columns of a `top` row, with their headers and human-readable cell text, shared
// by the terminal and markdown renderers so both show the same columns the same way. `--columns`
// picks them by name or by preset (docs/manual.md).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/report/report.h"

namespace kubeblame::report {

struct MetricColumn {
  std::string_view table_header;
  std::function<std::string(const RowMetrics&)> human;
  std::string_view name;  // what --columns calls it
};

// cost_s less the etcd, webhook and APF-wait seconds, never below 0.
double other_seconds(const RowMetrics& m);

// The default columns.
const std::vector<MetricColumn>& metric_columns();
// Every column --columns can name, in display order of the presets.
const std::vector<MetricColumn>& all_metric_columns();
// The columns `names` picks (empty: the default ones); unknown names are skipped (they are
// rejected when the option is parsed).
std::vector<MetricColumn> select_metric_columns(const std::vector<std::string>& names);
// --columns text ("breakdown", "default", "requests,etcd,webhook") as column names; nullopt
// (with `error` set) for an unknown name.
std::optional<std::vector<std::string>> parse_metric_columns(std::string_view text,
                                                             std::string& error);

}  // namespace kubeblame::report
