// The grouping engine: per-group request metrics keyed by a tuple of dimension values.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/latency_sketch.h"
#include "kubeblame/analyze/string_interner.h"
#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

// What one counted request contributes to its group.
struct RequestFacts {
  model::TimeNs time = 0;        // 0 when unknown
  std::int64_t latency_ns = -1;  // -1 when unknown or long-running
  bool error = false;
  bool long_running = false;
};

struct GroupMetrics {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::uint64_t watches = 0;
  std::int64_t cost_ns = 0;  // sum of latencies: integer, so the sum is the same in any order
  std::int64_t max_ns = -1;
  model::TimeNs first = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last = std::numeric_limits<model::TimeNs>::min();
  LatencySketch latency;

  void add(const RequestFacts& facts);
  void merge(const GroupMetrics& other);
};

class GroupTable {
 public:
  explicit GroupTable(std::vector<Dimension> dimensions);

  const std::vector<Dimension>& dimensions() const { return dimensions_; }
  // Adds a request to the group of `values` (one per dimension, in order).
  void add(std::span<const std::string_view> values, const RequestFacts& facts);
  // Folds another table with the same dimensions into this one.
  void merge(const GroupTable& other);

  std::size_t size() const { return metrics_.size(); }
  const GroupMetrics& metrics(std::size_t group) const { return metrics_[group]; }
  std::string_view key(std::size_t group, std::size_t dimension) const {
    return interner_.text(keys_[group * width_ + dimension]);
  }
  std::size_t memory_bytes() const;

 private:
  std::size_t find_or_insert(const std::uint32_t* ids, std::uint64_t hash);
  void grow();
  std::uint64_t hash_ids(const std::uint32_t* ids) const;

  std::vector<Dimension> dimensions_;
  std::size_t width_;
  StringInterner interner_;
  std::vector<std::uint32_t> keys_;    // width_ ids per group
  std::vector<std::uint64_t> hashes_;  // per group
  std::vector<GroupMetrics> metrics_;
  std::vector<std::uint32_t> slots_;   // group + 1, 0 = empty
  std::vector<std::uint32_t> scratch_ids_;
};

}  // namespace kubeblame::analyze
