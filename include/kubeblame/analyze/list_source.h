// LIST requests served from etcd vs the API server's watch cache, by (agent, resource).
// list_source_analyzer_factory() rides along the single pass; build_list_sources() ranks the
// merged result. A LIST from etcd reads every object of the collection from storage: many of
// them (informers relisting, tools polling without resourceVersion=0) are a classic cause of
// API server and etcd load.
#pragma once

#include <cstddef>
#include <array>
#include <string_view>
#include <unordered_map>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/analyze/string_interner.h"

namespace kubeblame::analyze {

// Where a LIST is served, following the kube-apiserver cacher's delegation rule
// (storage/cacher shouldDelegateList, without the ConsistentListFromCache feature that
// Kubernetes 1.31+ enables by default and that serves consistent reads from the cache too):
// etcd when resourceVersion is unset or empty (a consistent read), when a continue token is
// given, when limit>0 and resourceVersion is not "0", or when resourceVersionMatch is set to
// anything but NotOlderThan; the watch cache otherwise (resourceVersion="0", or a non-zero
// resourceVersion without limit/continue).
enum class ListSource { kWatchCache, kEtcdNoResourceVersion, kEtcdContinue, kEtcdLimit, kEtcdExact };

// Classifies a LIST by its request URI's query string ("/api/v1/pods?limit=500").
ListSource classify_list(std::string_view request_uri);
inline bool is_etcd(ListSource source) { return source != ListSource::kWatchCache; }

// Per (agent, resource): integer sums, so a merge in any order gives the same totals.
struct ListCounts {
  std::uint64_t lists = 0, etcd = 0, cache = 0;
  std::int64_t cost_ns = 0, etcd_cost_ns = 0;
  void add(const ListCounts& other) {
    lists += other.lists;
    etcd += other.etcd;
    cache += other.cache;
    cost_ns += other.cost_ns;
    etcd_cost_ns += other.etcd_cost_ns;
  }
};

class ListSourceAnalyzer final : public AnalyzerOf<ListSourceAnalyzer> {
 public:
  void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                const EventPosition& position) override;
  void on_log_line(const model::LogLine&, decode::Format, const EventPosition&) override {}
  void merge(ListSourceAnalyzer& other);

  // Groups keyed by (agent id << 32 | resource id), ids interned in strings().
  const std::unordered_map<std::uint64_t, ListCounts>& groups() const { return groups_; }
  const StringInterner& strings() const { return strings_; }
  std::uint64_t reason(ListSource source) const { return reasons_[static_cast<std::size_t>(source)]; }
  // LISTs without a request URI (GKE input): not classified, not in groups().
  std::uint64_t without_uri() const { return without_uri_; }

 private:
  StringInterner strings_;
  std::unordered_map<std::uint64_t, ListCounts> groups_;
  std::array<std::uint64_t, 5> reasons_{};
  std::uint64_t without_uri_ = 0;
};

// Counts counted requests with verb "list" (watches, including ?watch=true lists, have verb
// "watch" and are not LISTs). Cost is the request latency, as in `top`.
AnalyzerFactory list_source_analyzer_factory();


}  // namespace kubeblame::analyze
