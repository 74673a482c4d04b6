// Group table: each dimension value is interned once; a group is found by hashing its key in an
// open-addressing table. A request for a group seen before costs one intern lookup per
// dimension and one probe, and allocates nothing. Past max_groups, the smaller half is folded
// into the overflow metrics (see the header).
#include "kubeblame/analyze/group_table.h"

#include <algorithm>
#include <numeric>

namespace kubeblame::analyze {

namespace {
// Keys are one to a few ids: a plain loop, where std::equal would call memcmp for each lookup.
bool same_ids(const std::uint32_t* a, const std::uint32_t* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

constexpr std::size_t kInitialSlots = 64;
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

// splitmix64's finalizer: every input bit reaches every output bit.
std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

// Candidates are numbered: this table's groups first (0..size()-1), then `extra` more (newer);
// `requests_of` gives any candidate's count. Returns the `keep` largest, ties to the newer,
// sorted by number.
template <typename Requests>
std::vector<std::uint32_t> largest(std::size_t candidates, std::size_t keep, Requests requests_of) {
  std::vector<std::uint32_t> order(candidates);
  std::iota(order.begin(), order.end(), 0u);
  auto larger = [&](std::uint32_t a, std::uint32_t b) {
    std::uint64_t ra = requests_of(a), rb = requests_of(b);
    if (ra != rb) return ra > rb;
    return a > b;  // the newer group: it has had less time to collect requests
  };
  if (keep < candidates) {
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep), order.end(),
                     larger);
  }
  order.resize(std::min(keep, candidates));
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace

void GroupMetrics::add(const RequestFacts& facts) {
  ++requests;
  if (facts.error) ++errors;
  if (facts.long_running) ++watches;
  if (facts.throttled) ++throttled;
  if (facts.traced) {
    ++traced;
    etcd_ns += facts.etcd_ns;
    webhook_ns += facts.webhook_ns;
    apf_wait_ns += facts.apf_wait_ns;
  }
  if (facts.mutated) ++mutations;
  if (facts.failed_open) ++failed_open;
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
  throttled += other.throttled;
  traced += other.traced;
  etcd_ns += other.etcd_ns;
  webhook_ns += other.webhook_ns;
  apf_wait_ns += other.apf_wait_ns;
  mutations += other.mutations;
  failed_open += other.failed_open;
  cost_ns += other.cost_ns;
  max_ns = std::max(max_ns, other.max_ns);
  first = std::min(first, other.first);
  last = std::max(last, other.last);
  latency.merge(other.latency);
}

GroupTable::GroupTable(std::vector<Dimension> dimensions, std::size_t max_groups)
    : dimensions_(std::move(dimensions)),
      width_(dimensions_.size()),
      max_groups_(max_groups),
      slots_(kInitialSlots, 0),
      scratch_ids_(dimensions_.size()) {}

// Combines the interner's hashes of the key's strings, in dimension order. Ids differ between
// workers' tables; text hashes do not, which the distinct sketch relies on.
std::uint64_t GroupTable::key_hash(const std::uint32_t* ids) const {
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ width_;
  for (std::size_t d = 0; d < width_; ++d) h = mix(h ^ interner_.hash(ids[d]));
  return h;
}

void GroupTable::grow() {
  slots_.assign(slots_.size() * 2, 0);
  rebuild_slots();
}

void GroupTable::rebuild_slots() {
  std::fill(slots_.begin(), slots_.end(), 0);
  std::size_t mask = slots_.size() - 1;
  for (std::uint32_t g = 0; g < metrics_.size(); ++g) {
    std::size_t i = hashes_[g] & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = g + 1;
  }
}

std::size_t GroupTable::find(const std::uint32_t* ids, std::uint64_t hash, std::size_t& slot) const {
  std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i] != 0) {
    std::uint32_t g = slots_[i] - 1;
    if (hashes_[g] == hash && same_ids(ids, keys_.data() + g * width_, width_)) return g;
    i = (i + 1) & mask;
  }
  slot = i;
  return kNotFound;
}

std::size_t GroupTable::insert(const std::uint32_t* ids, std::uint64_t hash, std::size_t slot) {
  auto g = static_cast<std::uint32_t>(metrics_.size());
  keys_.insert(keys_.end(), ids, ids + width_);
  hashes_.push_back(hash);
  metrics_.emplace_back();
  slots_[slot] = g + 1;
  if (folded_) distinct_.add(hash);
  if (metrics_.size() * 2 > slots_.size()) grow();
  return g;
}

std::size_t GroupTable::find_or_insert(std::span<const std::string_view> values) {
  for (std::size_t d = 0; d < width_; ++d) scratch_ids_[d] = interner_.intern(values[d]);
  std::uint64_t hash = key_hash(scratch_ids_.data());
  std::size_t slot = 0;
  std::size_t g = find(scratch_ids_.data(), hash, slot);
  if (g != kNotFound) return g;
  if (max_groups_ != 0 && metrics_.size() >= max_groups_) {
    fold_to(max_groups_ / 2);
    // The interner was rebuilt: intern the new key again and find its slot in the new table.
    for (std::size_t d = 0; d < width_; ++d) scratch_ids_[d] = interner_.intern(values[d]);
    find(scratch_ids_.data(), hash, slot);
  }
  return insert(scratch_ids_.data(), hash, slot);
}

void GroupTable::add(std::span<const std::string_view> values, const RequestFacts& facts) {
  metrics_[find_or_insert(values)].add(facts);
}

void GroupTable::add_metrics(std::span<const std::string_view> values, const GroupMetrics& metrics) {
  metrics_[find_or_insert(values)].merge(metrics);
}

void GroupTable::start_folding() {
  if (folded_) return;
  // Every key seen so far is still in the table: seed the sketch with all of them.
  folded_ = true;
  for (std::uint64_t hash : hashes_) distinct_.add(hash);
}

void GroupTable::fold_to(std::size_t keep) {
  start_folding();
  std::size_t n = metrics_.size();
  if (keep >= n) return;
  std::vector<std::uint32_t> survivors =
      largest(n, keep, [&](std::uint32_t g) { return metrics_[g].requests; });
  compact(survivors);
}

void GroupTable::compact(const std::vector<std::uint32_t>& survivors) {
  ++generation_;
  // Fold the others into the overflow, in index order.
  std::size_t next = 0;
  for (std::uint32_t g = 0; g < metrics_.size(); ++g) {
    if (next < survivors.size() && survivors[next] == g) {
      ++next;
    } else {
      overflow_.merge(metrics_[g]);
    }
  }
  // Compact in place (survivors only move towards the front, so a key is read before its slot
  // is reused) and re-intern the survivors' strings so the folded groups' strings are freed.
  StringInterner interner;
  std::size_t out = 0;
  for (std::uint32_t g : survivors) {
    for (std::size_t d = 0; d < width_; ++d) {
      keys_[out * width_ + d] = interner.intern(interner_.text(keys_[g * width_ + d]));
    }
    hashes_[out] = hashes_[g];
    if (out != g) metrics_[out] = std::move(metrics_[g]);
    ++out;
  }
  keys_.resize(out * width_);
  hashes_.resize(out);
  metrics_.erase(metrics_.begin() + static_cast<std::ptrdiff_t>(out), metrics_.end());
  interner_ = std::move(interner);
  rebuild_slots();
}

void GroupTable::merge(const GroupTable& other) {
  ++generation_;
  if (other.folded_) {
    start_folding();
    distinct_.merge(other.distinct_);
    overflow_.merge(other.overflow_);
  }
  // 1. Groups both tables have: sum in place. Collect the others' new groups without interning
  //    their strings yet (most may be folded away).
  std::vector<std::uint32_t> pending;
  for (std::uint32_t g = 0; g < other.metrics_.size(); ++g) {
    bool known = true;
    for (std::size_t d = 0; d < width_ && known; ++d) {
      std::uint32_t id = other.keys_[g * width_ + d];
      scratch_ids_[d] = interner_.find(other.interner_.text(id), other.interner_.hash(id));
      known = scratch_ids_[d] != StringInterner::kNotFound;
    }
    std::size_t slot = 0;
    std::size_t mine = known ? find(scratch_ids_.data(), other.hashes_[g], slot) : kNotFound;
    if (mine == kNotFound) {
      pending.push_back(g);
    } else {
      metrics_[mine].merge(other.metrics_[g]);
    }
  }
  // 2. Sum first, cut after: if the union is too big, keep the max_groups largest of this
  //    table's groups and the new ones together, judged by their whole counts. This table never
  //    holds more than max_groups, so a merge costs no more memory than the two tables.
  std::size_t n = metrics_.size();
  std::vector<std::uint32_t> admitted;
  if (max_groups_ != 0 && n + pending.size() > max_groups_) {
    start_folding();
    std::vector<std::uint32_t> kept = largest(n + pending.size(), max_groups_, [&](std::uint32_t c) {
      return c < n ? metrics_[c].requests : other.metrics_[pending[c - n]].requests;
    });
    auto split = std::lower_bound(kept.begin(), kept.end(), static_cast<std::uint32_t>(n));
    std::vector<std::uint32_t> survivors(kept.begin(), split);
    std::size_t next = 0;
    for (std::size_t j = 0; j < pending.size(); ++j) {
      auto candidate = static_cast<std::uint32_t>(n + j);
      auto survivor = split + static_cast<std::ptrdiff_t>(next);
      if (survivor != kept.end() && *survivor == candidate) {
        admitted.push_back(pending[j]);
        ++next;
      } else {
        overflow_.merge(other.metrics_[pending[j]]);
        distinct_.add(other.hashes_[pending[j]]);
      }
    }
    compact(survivors);
  } else {
    admitted = std::move(pending);
  }
  // 3. Add the admitted new groups.
  for (std::uint32_t g : admitted) {
    for (std::size_t d = 0; d < width_; ++d) {
      scratch_ids_[d] = interner_.intern(other.interner_.text(other.keys_[g * width_ + d]));
    }
    std::size_t slot = 0;
    find(scratch_ids_.data(), other.hashes_[g], slot);
    std::size_t mine = insert(scratch_ids_.data(), other.hashes_[g], slot);
    metrics_[mine].merge(other.metrics_[g]);
  }
}

std::uint64_t GroupTable::distinct_groups() const {
  if (!folded_) return metrics_.size();
  return std::max<std::uint64_t>(distinct_.estimate(), max_groups_ + 1);
}

std::size_t GroupTable::memory_bytes() const {
  std::size_t bytes = interner_.memory_bytes() + keys_.capacity() * sizeof(std::uint32_t) +
                      hashes_.capacity() * sizeof(std::uint64_t) +
                      slots_.capacity() * sizeof(std::uint32_t) +
                      metrics_.capacity() * sizeof(GroupMetrics) + distinct_.memory_bytes();
  return bytes;
}

}  // namespace kubeblame::analyze
