// The grouping engine: per-group request metrics keyed by a tuple of dimension values.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/distinct_sketch.h"
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
  bool throttled = false;  // 429 Too Many Requests (API Priority and Fairness)
  // The latency breakdown (model::LatencyBreakdown), for a request that carries one.
  bool traced = false;
  std::int64_t etcd_ns = 0;
  std::int64_t webhook_ns = 0;  // mutating + validating
  std::int64_t apf_wait_ns = 0;
  // Under the `webhook` dimension: what the group's webhook did to this request.
  bool mutated = false;
  bool failed_open = false;
};

struct GroupMetrics {
  std::uint64_t requests = 0;
  std::uint64_t errors = 0;
  std::uint64_t watches = 0;
  std::int64_t cost_ns = 0;  // sum of latencies: integer, so the sum is the same in any order
  std::int64_t max_ns = -1;
  std::uint64_t throttled = 0;
  std::uint64_t traced = 0;  // requests with a latency breakdown; the three sums are over them
  std::int64_t etcd_ns = 0;
  std::int64_t webhook_ns = 0;
  std::int64_t apf_wait_ns = 0;
  std::uint64_t mutations = 0;    // `webhook` groups: requests the webhook mutated
  std::uint64_t failed_open = 0;  // `webhook` groups: calls that failed open
  model::TimeNs first = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last = std::numeric_limits<model::TimeNs>::min();
  LatencySketch latency;

  void add(const RequestFacts& facts);
  void merge(const GroupMetrics& other);
};

// Groups are bounded by max_groups (0 = unlimited) so that millions of distinct keys (an attacker
// varying its user agent, one object name per request) cannot exhaust memory. When a new group
// arrives at a full table, the table keeps its max_groups / 2 largest groups (by requests; ties
// keep the newer group, which has had less time to accumulate) and folds the others into the
// overflow metrics, which belong to the report's (other) row. A group that comes back after being
// folded starts again from zero, so a kept group's counts are a lower bound; a group that is never
// folded (every clear heavy hitter) is exact. Requests are never lost: the sum over groups plus the
// overflow is always the number of requests added. Merging sums the groups both tables share,
// then keeps the max_groups largest of the union (by whole counts) without ever holding more.
// A distinct-count sketch, started at the first fold, estimates how many groups existed in all;
// it depends only on the set of keys, so it is the same for any split.
class GroupTable {
 public:
  static constexpr std::size_t kDefaultMaxGroups = 100000;

  explicit GroupTable(std::vector<Dimension> dimensions,
                      std::size_t max_groups = kDefaultMaxGroups);

  const std::vector<Dimension>& dimensions() const { return dimensions_; }
  // Adds a request to the group of `values` (one per dimension, in order).
  void add(std::span<const std::string_view> values, const RequestFacts& facts);
  // Adds a whole group's metrics (a group Log Analytics aggregated) to the group of `values`.
  void add_metrics(std::span<const std::string_view> values, const GroupMetrics& metrics);
  // add() in steps, so that a caller with several tables can overlap their cache misses:
  // locate() finds (or creates) the group and prefetches its metrics, prefetch() its latency
  // counter, add_to() counts the request.
  std::size_t locate(std::span<const std::string_view> values) {
    std::size_t group = find_or_insert(values);
    __builtin_prefetch(&metrics_[group], 1);
    return group;
  }
  void prefetch(std::size_t group, const RequestFacts& facts) const {
    if (facts.latency_ns >= 0) metrics_[group].latency.prefetch(facts.latency_ns / 1000);
  }
  void add_to(std::size_t group, const RequestFacts& facts) { metrics_[group].add(facts); }
  // Changes whenever group indexes are renumbered (a fold or a merge): an index kept from
  // before belongs to another group, or none.
  std::uint64_t generation() const { return generation_; }
  void touch(std::size_t group) const { __builtin_prefetch(&metrics_[group], 1); }
  // Folds another table with the same dimensions into this one.
  void merge(const GroupTable& other);

  std::size_t size() const { return metrics_.size(); }
  const GroupMetrics& metrics(std::size_t group) const { return metrics_[group]; }
  std::string_view key(std::size_t group, std::size_t dimension) const {
    return interner_.text(keys_[group * width_ + dimension]);
  }
  std::size_t memory_bytes() const;

  std::size_t max_groups() const { return max_groups_; }
  // True once more than max_groups distinct groups were seen and some were folded.
  bool folded() const { return folded_; }
  // The merged metrics of every folded-away group (empty unless folded()).
  const GroupMetrics& overflow() const { return overflow_; }
  // Distinct groups seen: exact (size()) unless folded(); then the sketch's estimate, never
  // below max_groups + 1 (folding proves there were more).
  std::uint64_t distinct_groups() const;

 private:
  // Index of the group with these ids, or npos.
  std::size_t find(const std::uint32_t* ids, std::uint64_t hash, std::size_t& slot) const;
  std::size_t insert(const std::uint32_t* ids, std::uint64_t hash, std::size_t slot);
  std::size_t find_or_insert(std::span<const std::string_view> values);
  void grow();
  void rebuild_slots();
  std::uint64_t key_hash(const std::uint32_t* ids) const;
  // Keeps the `keep` largest groups, folds the rest into overflow_, and rebuilds the interner
  // so the folded groups' strings are freed too.
  void fold_to(std::size_t keep);
  // Keeps exactly `survivors` (sorted group indexes), folding the others into overflow_.
  void compact(const std::vector<std::uint32_t>& survivors);
  // Marks the table folded and seeds the distinct sketch with every key it holds.
  void start_folding();

  std::vector<Dimension> dimensions_;
  std::size_t width_;
  std::size_t max_groups_;
  StringInterner interner_;
  std::vector<std::uint32_t> keys_;    // width_ ids per group
  std::vector<std::uint64_t> hashes_;  // per group: a hash of the key text (not of the ids)
  std::vector<GroupMetrics> metrics_;
  std::vector<std::uint32_t> slots_;   // group + 1, 0 = empty
  std::vector<std::uint32_t> scratch_ids_;
  bool folded_ = false;
  std::uint64_t generation_ = 0;
  GroupMetrics overflow_;
  DistinctSketch distinct_;
};

}  // namespace kubeblame::analyze
