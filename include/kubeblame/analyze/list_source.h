// LIST requests served from etcd vs the API server's watch cache, by (agent, resource).
// list_source_analyzer_factory() rides along the single pass; build_list_sources() ranks the
// merged result. A LIST from etcd reads every object of the collection from storage: many of
// them (informers relisting, tools polling without resourceVersion=0) are a classic cause of
// API server and etcd load.
#pragma once

#include <cstddef>
#include <string_view>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/report/incident_report.h"

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

// Counts counted requests with verb "list" (watches, including ?watch=true lists, have verb
// "watch" and are not LISTs). Cost is the request latency, as in `top`.
AnalyzerFactory list_source_analyzer_factory();

// Ranks (agent, resource) groups by etcd LISTs, then etcd cost, then LISTs, then agent and
// resource text; keeps `top` rows (0 = all) and sums the rest into `other`.
report::ListSourcesReport build_list_sources(const Analyzer& analyzer, std::size_t top);

}  // namespace kubeblame::analyze
