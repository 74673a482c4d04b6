// Group table: each dimension value is interned once; a group is found by hashing its id tuple
// in an open-addressing table. A request for a group seen before costs one intern lookup per
// dimension and one probe, and allocates nothing.
#include "kubeblame/analyze/group_table.h"

#include <algorithm>
#include <cstring>

namespace kubeblame::analyze {

namespace {
constexpr std::size_t kInitialSlots = 64;
}

void GroupMetrics::add(const RequestFacts& facts) {
  ++requests;
  if (facts.error) ++errors;
  if (facts.long_running) ++watches;
  if (facts.latency_ns >= 0) {
    cost_ns += facts.latency_ns;
    max_ns = std::max(max_ns, facts.latency_ns);
    latency.add(facts.latency_ns / 1000);
  }
  if (facts.time != 0) {
    first = std::min(first, facts.time);
    last = std::max(last, facts.time);
  }
}

void GroupMetrics::merge(const GroupMetrics& other) {
  requests += other.requests;
  errors += other.errors;
  watches += other.watches;
  cost_ns += other.cost_ns;
  max_ns = std::max(max_ns, other.max_ns);
  first = std::min(first, other.first);
  last = std::max(last, other.last);
  latency.merge(other.latency);
}

GroupTable::GroupTable(std::vector<Dimension> dimensions)
    : dimensions_(std::move(dimensions)),
      width_(dimensions_.size()),
      slots_(kInitialSlots, 0),
      scratch_ids_(dimensions_.size()) {}

std::uint64_t GroupTable::hash_ids(const std::uint32_t* ids) const {
  return hash_bytes({reinterpret_cast<const char*>(ids), width_ * sizeof(std::uint32_t)});
}

void GroupTable::grow() {
  std::vector<std::uint32_t> slots(slots_.size() * 2, 0);
  std::size_t mask = slots.size() - 1;
  for (std::uint32_t g = 0; g < metrics_.size(); ++g) {
    std::size_t i = hashes_[g] & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = g + 1;
  }
  slots_.swap(slots);
}

std::size_t GroupTable::find_or_insert(const std::uint32_t* ids, std::uint64_t hash) {
  std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i] != 0) {
    std::uint32_t g = slots_[i] - 1;
    if (hashes_[g] == hash &&
        std::memcmp(&keys_[g * width_], ids, width_ * sizeof(std::uint32_t)) == 0) {
      return g;
    }
    i = (i + 1) & mask;
  }
  auto g = static_cast<std::uint32_t>(metrics_.size());
  keys_.insert(keys_.end(), ids, ids + width_);
  hashes_.push_back(hash);
  metrics_.emplace_back();
  slots_[i] = g + 1;
  if (metrics_.size() * 2 > slots_.size()) grow();
  return g;
}

void GroupTable::add(std::span<const std::string_view> values, const RequestFacts& facts) {
  for (std::size_t d = 0; d < width_; ++d) scratch_ids_[d] = interner_.intern(values[d]);
  std::size_t g = find_or_insert(scratch_ids_.data(), hash_ids(scratch_ids_.data()));
  metrics_[g].add(facts);
}

void GroupTable::merge(const GroupTable& other) {
  for (std::size_t g = 0; g < other.metrics_.size(); ++g) {
    for (std::size_t d = 0; d < width_; ++d) {
      scratch_ids_[d] = interner_.intern(other.interner_.text(other.keys_[g * width_ + d]));
    }
    std::size_t mine = find_or_insert(scratch_ids_.data(), hash_ids(scratch_ids_.data()));
    metrics_[mine].merge(other.metrics_[g]);
  }
}

std::size_t GroupTable::memory_bytes() const {
  std::size_t bytes = interner_.memory_bytes() + keys_.capacity() * sizeof(std::uint32_t) +
                      hashes_.capacity() * sizeof(std::uint64_t) +
                      slots_.capacity() * sizeof(std::uint32_t) +
                      metrics_.capacity() * sizeof(GroupMetrics);
  return bytes;
}

}  // namespace kubeblame::analyze
