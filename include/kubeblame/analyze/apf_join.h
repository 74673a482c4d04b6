// API Priority and Fairness names per request, from kube-apiserver HTTP log lines
// (`"HTTP" verb=… audit-ID="…" apf_pl="…" apf_fs="…"`), joined to audit events by audit ID.
// An ApfCollector reads the lines (in a pass of its own, before the audit events are counted,
// so the join does not depend on input order); its result, an ApfJoin, is read-only and shared
// by the workers of the counting pass. Memory is bounded (docs/design.md, "APF join").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kubeblame/analyze/analyzer.h"

namespace kubeblame::analyze {

// The fields of one HTTP log line the join needs; nullopt for any other message.
struct HttpLogFields {
  std::string_view audit_id;
  std::string_view priority_level;
  std::string_view flow_schema;
  bool throttled = false;  // resp=429
};
std::optional<HttpLogFields> parse_http_log_line(std::string_view message);

// The flow schema AKS moves clients that overload the API server to.
inline constexpr std::string_view kAksGuardFlowSchema = "aks-managed-apiserver-guard";

// The 64-bit key an audit ID is joined on.
std::uint64_t audit_id_key(std::string_view audit_id);

// What the collector saw and kept, for --stats and the warning when the bound is hit.
struct ApfJoinStats {
  std::uint64_t lines = 0;    // HTTP log lines with an audit ID and APF names
  std::uint64_t kept = 0;     // distinct audit IDs kept
  std::uint64_t dropped = 0;  // once the bound is hit: lines - kept (repeated lines included)
  // Kept audit IDs whose line names kAksGuardFlowSchema, and those of them answered 429.
  std::uint64_t guard_requests = 0;
  std::uint64_t guard_throttled = 0;
};

// One HTTP log line kept: its audit ID's key, its names' index, whether it was a 429.
struct ApfEntry {
  std::uint64_t key = 0;
  std::uint32_t names = 0;
  bool throttled = false;
};

class ApfJoin {
 public:
  struct Names {
    std::string priority_level;
    std::string flow_schema;
  };
  // Null when no HTTP log line (or none kept) named this audit ID.
  const Names* find(std::string_view audit_id) const;
  const ApfJoinStats& stats() const { return stats_; }

 private:
  friend class ApfCollector;
  std::vector<ApfEntry> entries_;  // sorted by key
  std::vector<Names> names_;
  ApfJoinStats stats_;
};

// Keeps at most `max_entries` audit IDs: those with the smallest keys, so which are kept depends
// only on the set of lines, never on their order or on how they were split between workers.
class ApfCollector final : public AnalyzerOf<ApfCollector> {
 public:
  static constexpr std::size_t kDefaultMaxEntries = 1000000;  // ~12 MiB of entries
  explicit ApfCollector(std::size_t max_entries = kDefaultMaxEntries) : max_entries_(max_entries) {}

  void on_event(const model::AuditEvent&, bool, DimensionValues&, const EventPosition&) override {}
  // Lines come through read(), from the shard, before --since/--until/--where and --redact (a
  // request inside the window may have its line outside, and masking would hide the audit ID).
  void on_log_line(const model::LogLine&, decode::Format, const EventPosition&) override {}
  void read(const model::LogLine& line);
  void add(const HttpLogFields& fields);
  void merge(ApfCollector& other);
  // HTTP log lines read (with an audit ID and APF names).
  std::uint64_t lines() const { return lines_; }
  // The join, with the collector's entries moved out.
  ApfJoin take_join();
  // The join of a copy of the entries (the collector is left as it is).
  ApfJoin join() const;

 private:
  std::uint32_t name_index(std::string_view priority_level, std::string_view flow_schema);
  // Sorts, removes repeated keys (the first name pair of a key wins: the smallest index, which
  // is the same whatever the order, since names are compared by text) and cuts to the bound.
  void compact();

  std::size_t max_entries_;
  std::vector<ApfEntry> entries_;
  std::vector<ApfJoin::Names> names_;
  std::uint64_t lines_ = 0;
  bool cut_ = false;  // some distinct audit IDs were dropped at the bound
};

AnalyzerFactory apf_collector_factory(std::size_t max_entries = ApfCollector::kDefaultMaxEntries);

}  // namespace kubeblame::analyze
