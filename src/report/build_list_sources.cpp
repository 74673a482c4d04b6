// The LIST-source ranking of the report: (agent, resource) groups by LISTs served from etcd.
#include <algorithm>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/list_source.h"
#include "kubeblame/report/build.h"

namespace kubeblame::report {

ListSourcesReport build_list_sources(const analyze::ListSourceAnalyzer& analyzer, std::size_t top) {
  using analyze::ListCounts;
  using analyze::ListSource;
  auto reason = [&](ListSource source) { return analyzer.reason(source); };
  ListSourcesReport out;
  out.top = top;
  out.etcd_no_resource_version = reason(ListSource::kEtcdNoResourceVersion);
  out.etcd_continue = reason(ListSource::kEtcdContinue);
  out.etcd_limit = reason(ListSource::kEtcdLimit);
  out.etcd_exact = reason(ListSource::kEtcdExact);
  out.without_uri = analyzer.without_uri();
  struct Entry {
    std::string_view agent, resource;
    const ListCounts* counts;
  };
  std::vector<Entry> entries;
  entries.reserve(analyzer.groups().size());
  ListCounts total;
  for (const auto& [key, counts] : analyzer.groups()) {
    entries.push_back({analyzer.strings().text(static_cast<std::uint32_t>(key >> 32)),
                       analyzer.strings().text(static_cast<std::uint32_t>(key)), &counts});
    total.add(counts);
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.counts->etcd != b.counts->etcd) return a.counts->etcd > b.counts->etcd;
    if (a.counts->etcd_cost_ns != b.counts->etcd_cost_ns) return a.counts->etcd_cost_ns > b.counts->etcd_cost_ns;
    if (a.counts->lists != b.counts->lists) return a.counts->lists > b.counts->lists;
    if (a.agent != b.agent) return a.agent < b.agent;
    return a.resource < b.resource;
  });
  auto row = [&](std::string_view agent, std::string_view resource, const ListCounts& c) {
    ListSourceRow r;
    r.agent = agent;
    r.resource = resource;
    r.lists = c.lists;
    r.etcd = c.etcd;
    r.cache = c.cache;
    r.cost_s = static_cast<double>(c.cost_ns) / 1e9;
    r.etcd_cost_s = static_cast<double>(c.etcd_cost_ns) / 1e9;
    r.share = total.lists > 0 ? static_cast<double>(c.lists) / static_cast<double>(total.lists) : 0;
    return r;
  };
  std::size_t keep = top == 0 ? entries.size() : std::min(top, entries.size());
  ListCounts other;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i < keep) {
      out.rows.push_back(row(entries[i].agent, entries[i].resource, *entries[i].counts));
    } else {
      other.add(*entries[i].counts);
    }
  }
  out.other_rows = entries.size() - keep;
  out.other = row("", "", other);
  out.total = row("", "", total);
  return out;
}

}  // namespace kubeblame::report
