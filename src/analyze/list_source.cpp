// LIST requests by where they were served (etcd or the watch cache), per (agent, resource).
// Groups are keyed by interned ids; sums are integers (latency in nanoseconds), so a merge in
// any order gives the same totals and the final ranking is a total order on the key text.
#include "kubeblame/analyze/list_source.h"

#include <algorithm>
#include <array>
#include <memory>
#include <unordered_map>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/string_interner.h"

namespace kubeblame::analyze {

namespace {

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

class ListSourceAnalyzer final : public Analyzer {
 public:
  void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                const EventPosition&) override {
    if (!counted || event.verb != "list") return;
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

  void on_log_line(const model::LogLine&, decode::Format, const EventPosition&) override {}

  void merge(Analyzer& other_base) override {
    auto& other = dynamic_cast<ListSourceAnalyzer&>(other_base);
    for (const auto& [key, counts] : other.groups_) {
      std::uint64_t agent = strings_.intern(other.strings_.text(static_cast<std::uint32_t>(key >> 32)));
      std::uint64_t resource = strings_.intern(other.strings_.text(static_cast<std::uint32_t>(key)));
      groups_[(agent << 32) | resource].add(counts);
    }
    for (std::size_t i = 0; i < reasons_.size(); ++i) reasons_[i] += other.reasons_[i];
  }

  report::ListSourcesReport build(std::size_t top) const {
    report::ListSourcesReport out;
    out.top = top;
    out.etcd_no_resource_version = reason(ListSource::kEtcdNoResourceVersion);
    out.etcd_continue = reason(ListSource::kEtcdContinue);
    out.etcd_limit = reason(ListSource::kEtcdLimit);
    out.etcd_exact = reason(ListSource::kEtcdExact);
    struct Entry {
      std::string_view agent, resource;
      const ListCounts* counts;
    };
    std::vector<Entry> entries;
    entries.reserve(groups_.size());
    ListCounts total;
    for (const auto& [key, counts] : groups_) {
      entries.push_back({strings_.text(static_cast<std::uint32_t>(key >> 32)),
                         strings_.text(static_cast<std::uint32_t>(key)), &counts});
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
      report::ListSourceRow r;
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

 private:
  std::uint64_t reason(ListSource source) const { return reasons_[static_cast<std::size_t>(source)]; }

  StringInterner strings_;
  std::unordered_map<std::uint64_t, ListCounts> groups_;
  std::array<std::uint64_t, 5> reasons_{};
};

}  // namespace

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

report::ListSourcesReport build_list_sources(const Analyzer& analyzer, std::size_t top) {
  return dynamic_cast<const ListSourceAnalyzer&>(analyzer).build(top);
}

}  // namespace kubeblame::analyze
