// One worker's aggregation state: accounting plus one group table per requested grouping.
// Workers never share a shard; shards merge at the end.
#pragma once

#include <cstdint>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/group_table.h"
#include "kubeblame/analyze/input_stats.h"
#include "kubeblame/decode/record.h"

namespace kubeblame::analyze {

// What to compute in the single pass.
struct AnalysisPlan {
  std::vector<std::vector<Dimension>> groupings;
};

class Shard : public decode::EventSink {
 public:
  explicit Shard(const AnalysisPlan& plan);

  // Where the next records come from, for skip samples.
  void set_position(std::uint32_t input, std::uint64_t line) {
    input_ = input;
    line_ = line;
  }
  void on_event(const model::AuditEvent& event, decode::Format format) override;
  void on_skip(decode::SkipReason reason, decode::Format format) override;
  void merge(const Shard& other);

  const InputStats& stats() const { return stats_; }
  InputStats& stats() { return stats_; }
  const std::vector<GroupTable>& tables() const { return tables_; }

 private:
  InputStats stats_;
  std::vector<GroupTable> tables_;
  DimensionValues values_;
  std::vector<std::string_view> key_;
  std::uint32_t input_ = 0;
  std::uint64_t line_ = 0;
};

}  // namespace kubeblame::analyze
