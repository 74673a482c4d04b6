// Error signatures per worker. Each failed request (counted, code >= 400) and each klog/JSON
// log line at or above the level threshold becomes a signature (analyze/signature.h); rows are
// keyed by (audit | log component and level, signature): a message seen at W and at E is two
// rows, so each row's level, count and example agree. The hot path builds the signature into a reused
// buffer and looks the row up by that view, so a known signature costs no allocation; only a
// new row stores its text. Deterministic across workers: counts, codes and callers add up,
// first/last are min/max, and the example is the occurrence with the smallest
// (time, EventPosition), time 0 (unknown) sorting last. Bounds (max_signatures,
// kMaxCallerPairs) fold the excess into "(other ...)" entries and the report says so, since
// which entries got in first then depends on the order records were seen.
#include "kubeblame/analyze/errors/error_table.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <stdexcept>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/errors/signature.h"

namespace kubeblame::analyze {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
constexpr std::size_t kCacheSlots = 512;       // power of two
constexpr std::size_t kMaxCachedKey = 2048;    // longer raw texts are masked every time

model::TimeNs sort_time(model::TimeNs time) {
  return time != 0 ? time : std::numeric_limits<model::TimeNs>::max();
}

bool earlier(model::TimeNs a_time, const EventPosition& a, model::TimeNs b_time,
             const EventPosition& b) {
  model::TimeNs ta = sort_time(a_time), tb = sort_time(b_time);
  return ta != tb ? ta < tb : a < b;
}

// Copies `text` into `out`, cut at kMaxExampleBytes on a UTF-8 boundary.
void assign_example(std::string& out, std::string_view text) {
  if (text.size() <= kMaxExampleBytes) {
    out.assign(text);
    return;
  }
  std::size_t cut = kMaxExampleBytes - kEllipsis.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  out.assign(text.substr(0, cut));
  out += kEllipsis;
}

// Appends a length-prefixed part of a cache key, so no two different tuples share a key.
void append_part(std::string& key, std::string_view part) {
  auto size = static_cast<std::uint32_t>(part.size());
  key.append(reinterpret_cast<const char*>(&size), sizeof(size));
  key.append(part);
}

void fold_time(model::TimeNs& first, model::TimeNs& last, model::TimeNs time) {
  if (time == 0) return;
  first = first == 0 ? time : std::min(first, time);
  last = last == 0 ? time : std::max(last, time);
}

}  // namespace

std::size_t ErrorTable::TextKeyHash::operator()(const TextKey& key) const {
  std::uint64_t scope = key.audit ? 0
                                  : (static_cast<std::uint64_t>(key.component) + 1) * 8 +
                                        static_cast<std::uint64_t>(key.level);
  return static_cast<std::size_t>(hash_bytes(key.signature) ^ (scope * 0x9E3779B97F4A7C15ull));
}

ErrorTable::ErrorTable(ErrorOptions options) : options_(options), cache_(kCacheSlots) {
  empty_id_ = strings_.intern("");
  buffer_.reserve(2 * kMaxSignatureBytes);
}

// Looks cache_key_ up; `hash` is set for remember(). nullptr on a miss or an uncacheable key.
ErrorTable::Entry* ErrorTable::cached(std::uint64_t& hash) {
  if (cache_key_.size() > kMaxCachedKey) return nullptr;
  hash = hash_bytes(cache_key_);
  const CacheSlot& slot = cache_[hash & (kCacheSlots - 1)];
  if (slot.entry == kNoEntry || slot.hash != hash || slot.key != cache_key_) return nullptr;
  return &entries_[slot.entry];
}

void ErrorTable::remember(std::uint64_t hash, const Entry& e) {
  if (cache_key_.size() > kMaxCachedKey) return;
  CacheSlot& slot = cache_[hash & (kCacheSlots - 1)];
  slot.hash = hash;
  slot.entry = static_cast<std::uint32_t>(&e - entries_.data());
  slot.key.assign(cache_key_);
}

std::uint64_t ErrorTable::callers_overflowed() const {
  std::uint64_t n = 0;
  for (const Entry& e : entries_) n += e.other_callers > 0 ? 1 : 0;
  return n;
}

std::size_t ErrorTable::memory_bytes() const {
  constexpr std::size_t kIndexNode = sizeof(TextKey) + sizeof(std::uint32_t) + 2 * sizeof(void*);
  std::size_t bytes = strings_.memory_bytes() + entries_.capacity() * sizeof(Entry) +
                      cache_.size() * sizeof(CacheSlot) + cache_key_.capacity() +
                      index_.size() * kIndexNode + index_.bucket_count() * sizeof(void*) +
                      buffer_.capacity();
  for (const CacheSlot& slot : cache_) bytes += slot.key.capacity();
  for (const Entry& e : entries_) {
    bytes += e.example.capacity() + e.codes.capacity() * sizeof(CodeCount) +
             e.callers.capacity() * sizeof(CallerCount);
  }
  return bytes;
}

ErrorTable::Entry& ErrorTable::overflow_entry(bool audit) {
  std::uint32_t& index = overflow_index_[audit ? 1 : 0];
  if (index == kNoEntry) {
    index = static_cast<std::uint32_t>(entries_.size());
    Entry& e = entries_.emplace_back();
    e.audit = audit;
    e.overflow = true;
    e.component = empty_id_;
    e.signature = strings_.intern(kOtherSignatures);
    ++overflow_entries_;
  }
  return entries_[index];
}

ErrorTable::Entry& ErrorTable::entry(bool audit, std::string_view component,
                                     model::LogLevel level, std::string_view signature) {
  std::uint32_t component_id = audit ? empty_id_ : strings_.intern(component);
  if (audit) level = model::LogLevel::kUnknown;
  auto found = index_.find(TextKey{audit, component_id, level, signature});
  if (found != index_.end()) return entries_[found->second];
  if (entries_.size() - overflow_entries_ >= options_.max_signatures) {
    signatures_overflowed_ = true;
    return overflow_entry(audit);
  }
  std::uint32_t signature_id = strings_.intern(signature);
  auto index = static_cast<std::uint32_t>(entries_.size());
  Entry& e = entries_.emplace_back();
  e.audit = audit;
  e.component = component_id;
  e.level = level;
  e.signature = signature_id;
  index_.emplace(TextKey{audit, component_id, level, strings_.text(signature_id)}, index);
  return e;
}

// Counts one occurrence; true when it becomes the row's example.
bool ErrorTable::record(Entry& e, model::TimeNs time, const EventPosition& position) {
  bool example = e.count == 0 || earlier(time, position, e.example_time, e.example_position);
  ++e.count;
  fold_time(e.first, e.last, time);
  if (example) {
    e.example_time = time;
    e.example_position = position;
  }
  return example;
}

void ErrorTable::add_code(Entry& e, int code, std::uint64_t n) {
  for (CodeCount& c : e.codes) {
    if (c.code == code) {
      c.count += n;
      return;
    }
  }
  e.codes.push_back(CodeCount{code, n});
}

void ErrorTable::add_caller(Entry& e, const CallerCount& caller) {
  for (CallerCount& c : e.callers) {
    if (c.agent == caller.agent && c.user == caller.user && c.impersonated == caller.impersonated) {
      c.count += caller.count;
      return;
    }
  }
  if (e.callers.size() < kMaxCallerPairs) {
    e.callers.push_back(caller);
  } else {
    e.other_callers += caller.count;
  }
}

void ErrorTable::on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                          const EventPosition& position) {
  if (!counted || event.code < 400) return;
  cache_key_.assign("A");
  char code[16];
  auto written = std::to_chars(code, code + sizeof(code), event.code);
  append_part(cache_key_, std::string_view(code, static_cast<std::size_t>(written.ptr - code)));
  append_part(cache_key_, event.reason);
  cache_key_ += event.message;
  std::uint64_t hash = 0;
  Entry* hit = cached(hash);
  if (hit == nullptr) {
    buffer_.clear();
    append_audit_signature(buffer_, event.code, event.reason, event.message);
    hit = &entry(true, {}, model::LogLevel::kUnknown, buffer_);
    remember(hash, *hit);
  }
  Entry& e = *hit;
  if (record(e, model::event_time(event), position)) {
    if (!event.message.empty()) {
      assign_example(e.example, event.message);
    } else {
      // No message (a bare 401, say): the request itself is the most useful example.
      buffer_.assign(event.verb);
      buffer_ += ' ';
      // GKE entries carry no request URI: the object stands for it.
      buffer_ += event.request_uri.empty() ? values.get(Dimension::kObject) : event.request_uri;
      assign_example(e.example, buffer_);
    }
  }
  add_code(e, event.code, 1);
  add_caller(e, CallerCount{strings_.intern(values.get(Dimension::kAgent)),
                            strings_.intern(values.get(Dimension::kUser)),
                            strings_.intern(values.get(Dimension::kImpersonatedUser)), 1});
}

void ErrorTable::on_log_line(const model::LogLine& line, decode::Format /*format*/,
                             const EventPosition& position) {
  if (line.shape != model::LogShape::kKlog && line.shape != model::LogShape::kJson) return;
  if (line.level < options_.min_level) return;
  cache_key_.assign("L");
  cache_key_ += static_cast<char>(line.level);
  append_part(cache_key_, line.component);
  append_part(cache_key_, line.source);
  cache_key_ += line.message;
  std::uint64_t hash = 0;
  Entry* hit = cached(hash);
  if (hit == nullptr) {
    buffer_.clear();
    append_log_signature(buffer_, line.source, line.message);
    hit = &entry(false, line.component, line.level, buffer_);
    remember(hash, *hit);
  }
  Entry& e = *hit;
  if (e.overflow) e.level = std::max(e.level, line.level);  // the fold shows its highest level
  if (record(e, line.time, position)) assign_example(e.example, line.text);
}

void ErrorTable::merge(ErrorTable& other) {
  signatures_overflowed_ = signatures_overflowed_ || other.signatures_overflowed_;
  for (Entry& from : other.entries_) {
    if (from.count == 0) continue;
    Entry& to = from.overflow ? overflow_entry(from.audit)
                              : entry(from.audit, other.text(from.component), from.level,
                                      other.text(from.signature));
    bool example = to.count == 0 ||
                   earlier(from.example_time, from.example_position, to.example_time,
                           to.example_position);
    if (example) {
      to.example = std::move(from.example);
      to.example_time = from.example_time;
      to.example_position = from.example_position;
    }
    to.count += from.count;
    if (to.overflow) to.level = std::max(to.level, from.level);
    fold_time(to.first, to.last, from.first);
    fold_time(to.first, to.last, from.last);
    for (const CodeCount& c : from.codes) add_code(to, c.code, c.count);
    for (const CallerCount& c : from.callers) {
      add_caller(to, CallerCount{strings_.intern(other.text(c.agent)),
                                 strings_.intern(other.text(c.user)),
                                 strings_.intern(other.text(c.impersonated)), c.count});
    }
    to.other_callers += from.other_callers;
  }
}

AnalyzerFactory error_analyzer_factory(ErrorOptions options) {
  return [options] { return std::make_unique<ErrorTable>(options); };
}

std::string level_list(model::LogLevel min_level) {
  static constexpr model::LogLevel kLevels[] = {model::LogLevel::kUnknown, model::LogLevel::kInfo,
                                                model::LogLevel::kWarning, model::LogLevel::kError,
                                                model::LogLevel::kFatal};
  std::string out;
  for (model::LogLevel level : kLevels) {
    if (level < min_level) continue;
    if (!out.empty()) out += ',';
    out += model::log_level_name(level);
  }
  return out;
}

}  // namespace kubeblame::analyze
