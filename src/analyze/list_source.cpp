// LIST requests by where they were served (etcd or the watch cache), per (agent, resource).
// Groups are keyed by interned ids; sums are integers (latency in nanoseconds), so a merge in
// any order gives the same totals and the final ranking is a total order on the key text.
#include "kubeblame/analyze/list_source.h"

#include <memory>

#include "kubeblame/analyze/dimension.h"

namespace kubeblame::analyze {

void ListSourceAnalyzer::on_event(const model::AuditEvent& event, bool counted,
                                DimensionValues& values, const EventPosition&) {
  if (!counted || event.verb != "list") return;
  if (event.request_uri.empty()) {  // GKE logs none: nothing tells where the list was served
    ++without_uri_;
    return;
  }
  ListSource source = classify_list(event.request_uri);
  std::int64_t latency = 0;
  if (!model::is_long_running(event) && event.received != 0 && event.stage_time >= event.received) {
    latency = event.stage_time - event.received;
  }
  std::uint64_t key = (static_cast<std::uint64_t>(strings_.intern(values.get(Dimension::kAgent))) << 32) |
                      strings_.intern(values.get(Dimension::kResource));
  ListCounts& counts = groups_[key];
  ++counts.lists;
  counts.cost_ns += latency;
  if (is_etcd(source)) {
    ++counts.etcd;
    counts.etcd_cost_ns += latency;
  } else {
    ++counts.cache;
  }
  ++reasons_[static_cast<std::size_t>(source)];
}

void ListSourceAnalyzer::merge(ListSourceAnalyzer& other) {
  for (const auto& [key, counts] : other.groups_) {
    std::uint64_t agent = strings_.intern(other.strings_.text(static_cast<std::uint32_t>(key >> 32)));
    std::uint64_t resource = strings_.intern(other.strings_.text(static_cast<std::uint32_t>(key)));
    groups_[(agent << 32) | resource].add(counts);
  }
  for (std::size_t i = 0; i < reasons_.size(); ++i) reasons_[i] += other.reasons_[i];
  without_uri_ += other.without_uri_;
}

ListSource classify_list(std::string_view request_uri) {
  std::size_t query_start = request_uri.find('?');
  bool has_rv = false, has_continue = false, has_limit = false, unsupported_match = false;
  std::string_view rv;
  if (query_start != std::string_view::npos) {
    std::string_view query = request_uri.substr(query_start + 1);
    query = query.substr(0, query.find('#'));
    while (!query.empty()) {
      std::size_t amp = query.find('&');
      std::string_view param = query.substr(0, amp);
      query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
      std::size_t eq = param.find('=');
      std::string_view name = param.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
      if (name == "resourceVersion") {
        has_rv = true;
        rv = value;
      } else if (name == "continue") {
        has_continue = has_continue || !value.empty();
      } else if (name == "limit") {
        bool positive = !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos &&
                        value.find_first_not_of('0') != std::string_view::npos;
        has_limit = has_limit || positive;
      } else if (name == "resourceVersionMatch") {
        unsupported_match = !value.empty() && value != "NotOlderThan";
      }
    }
  }
  if (!has_rv || rv.empty()) return ListSource::kEtcdNoResourceVersion;
  if (has_continue) return ListSource::kEtcdContinue;
  if (has_limit && rv != "0") return ListSource::kEtcdLimit;
  if (unsupported_match) return ListSource::kEtcdExact;
  return ListSource::kWatchCache;
}

AnalyzerFactory list_source_analyzer_factory() {
  return [] { return std::make_unique<ListSourceAnalyzer>(); };
}

}  // namespace kubeblame::analyze
