// One row of a `kubeblame kql top` / `kql timeline` result read back: a group that Log Analytics
// already aggregated (docs/kql.md, "Reading the results back"). Plain data: the decoder checks the
// cells, the analysis turns the latency parts into a sketch.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::model {

struct WeightedGroup {
  enum class Kind : std::uint8_t { kTop, kTimeline };
  Kind kind = Kind::kTop;
  // (dimension name, value) in the result's column order; views live until the next record.
  std::vector<std::pair<std::string_view, std::string_view>> dimensions;
  TimeNs time = 0;              // timeline: the start of the row's bucket
  std::int64_t interval_s = 0;  // timeline: the query's bucket width
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::uint64_t watches = 0;
  std::int64_t cost_ns = 0;
  std::uint64_t latency_n = 0;
  std::int64_t min_us = -1;  // -1: no latency
  std::int64_t max_ns = -1;
  TimeNs first = 0;
  TimeNs last = 0;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> histogram;  // bucket -> count
  std::vector<std::int64_t> exact_us;  // every latency (µs) when latency_n <= 64
};

}  // namespace kubeblame::model
