// The APF join: HTTP log lines' (audit ID → priority level, flow schema), bounded by a bottom-k
// rule on the audit ID's hash so that the kept set is the same for any input order and split.
#include "kubeblame/analyze/apf_join.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <tuple>

namespace kubeblame::analyze {

namespace {

// The value of ` key="…"` in a structured klog message; nullopt when absent or unterminated.
// `"` inside a quoted value is always escaped, so ` key="` cannot match inside another value.
std::optional<std::string_view> quoted_value(std::string_view message, std::string_view key) {
  std::size_t at = 0;
  while ((at = message.find(key, at)) != std::string_view::npos) {
    std::size_t value = at + key.size();
    bool starts = at > 0 && message[at - 1] == ' ';
    at = value;
    if (!starts || message.substr(value, 2) != "=\"") continue;
    std::size_t end = message.find('"', value + 2);
    if (end == std::string_view::npos) return std::nullopt;
    return message.substr(value + 2, end - value - 2);
  }
  return std::nullopt;
}

// The digits of the last ` resp=NNN` (an unquoted value); "" when absent.
std::string_view response_code(std::string_view message) {
  std::size_t at = message.rfind(" resp=");
  if (at == std::string_view::npos) return {};
  std::string_view rest = message.substr(at + 6);
  std::size_t end = 0;
  while (end < rest.size() && rest[end] >= '0' && rest[end] <= '9') ++end;
  return rest.substr(0, end);
}

}  // namespace

std::optional<HttpLogFields> parse_http_log_line(std::string_view message) {
  if (!message.starts_with("\"HTTP\" ")) return std::nullopt;
  std::optional<std::string_view> id = quoted_value(message, "audit-ID");
  std::optional<std::string_view> pl = quoted_value(message, "apf_pl");
  std::optional<std::string_view> fs = quoted_value(message, "apf_fs");
  if (!id || !pl || !fs || id->empty() || (pl->empty() && fs->empty())) return std::nullopt;
  return HttpLogFields{*id, *pl, *fs, response_code(message) == "429"};
}

std::uint64_t audit_id_key(std::string_view audit_id) {
  return std::hash<std::string_view>{}(audit_id);
}

const ApfJoin::Names* ApfJoin::find(std::string_view audit_id) const {
  if (audit_id.empty() || entries_.empty()) return nullptr;
  std::uint64_t key = audit_id_key(audit_id);
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const ApfEntry& entry, std::uint64_t k) { return entry.key < k; });
  if (it == entries_.end() || it->key != key) return nullptr;
  return &names_[it->names];
}

void ApfCollector::read(const model::LogLine& line) {
  if (std::optional<HttpLogFields> fields = parse_http_log_line(line.message)) add(*fields);
}

std::uint32_t ApfCollector::name_index(std::string_view priority_level,
                                       std::string_view flow_schema) {
  for (std::uint32_t i = 0; i < names_.size(); ++i) {
    if (names_[i].priority_level == priority_level && names_[i].flow_schema == flow_schema)
      return i;
  }
  names_.push_back({std::string(priority_level), std::string(flow_schema)});
  return static_cast<std::uint32_t>(names_.size() - 1);
}

void ApfCollector::add(const HttpLogFields& fields) {
  ++lines_;
  entries_.push_back({audit_id_key(fields.audit_id),
                      name_index(fields.priority_level, fields.flow_schema), fields.throttled});
  if (entries_.size() >= 2 * max_entries_ + 1024) compact();
}

void ApfCollector::compact() {
  auto before = [&](const ApfEntry& a, const ApfEntry& b) {
    if (a.key != b.key) return a.key < b.key;
    const ApfJoin::Names& x = names_[a.names];
    const ApfJoin::Names& y = names_[b.names];
    return std::tie(x.priority_level, x.flow_schema, a.throttled) <
           std::tie(y.priority_level, y.flow_schema, b.throttled);
  };
  std::sort(entries_.begin(), entries_.end(), before);
  auto same_key = [](const ApfEntry& a, const ApfEntry& b) { return a.key == b.key; };
  entries_.erase(std::unique(entries_.begin(), entries_.end(), same_key), entries_.end());
  if (entries_.size() > max_entries_) {
    entries_.resize(max_entries_);
    cut_ = true;
  }
}

void ApfCollector::merge(ApfCollector& other) {
  lines_ += other.lines_;
  cut_ = cut_ || other.cut_;
  entries_.reserve(entries_.size() + other.entries_.size());
  for (const ApfEntry& entry : other.entries_) {
    const ApfJoin::Names& names = other.names_[entry.names];
    entries_.push_back(
        {entry.key, name_index(names.priority_level, names.flow_schema), entry.throttled});
  }
  other.entries_ = {};
  compact();
}

ApfJoin ApfCollector::take_join() {
  compact();
  ApfJoin join;
  join.entries_ = std::move(entries_);
  join.names_ = names_;
  join.stats_.lines = lines_;
  join.stats_.kept = join.entries_.size();
  join.stats_.dropped = cut_ ? lines_ - join.stats_.kept : 0;
  for (const ApfEntry& entry : join.entries_) {
    if (join.names_[entry.names].flow_schema != kAksGuardFlowSchema) continue;
    ++join.stats_.guard_requests;
    join.stats_.guard_throttled += entry.throttled ? 1 : 0;
  }
  entries_ = {};
  return join;
}

ApfJoin ApfCollector::join() const {
  ApfCollector copy(max_entries_);
  copy.entries_ = entries_;
  copy.names_ = names_;
  copy.lines_ = lines_;
  copy.cut_ = cut_;
  return copy.take_join();
}

AnalyzerFactory apf_collector_factory(std::size_t max_entries) {
  return [max_entries] { return std::make_unique<ApfCollector>(max_entries); };
}

}  // namespace kubeblame::analyze
