// The `errors` analysis: counts error signatures from failed requests (audit code >= 400) and
// from control-plane log lines at or above a level, per signature with codes, first/last,
// one verbatim example and the top callers. One ErrorTable per worker; tables merge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kubeblame/analyze/analyzer.h"
#include "kubeblame/analyze/string_interner.h"
#include "kubeblame/model/log_line.h"

namespace kubeblame::analyze {

struct ErrorOptions {
  model::LogLevel min_level = model::LogLevel::kError;  // log lines below it are ignored
  std::size_t max_callers = 5;          // callers (agent, user, impersonated user) per signature
  std::size_t max_signatures = 100000;  // distinct signatures kept; the rest fold into one row
};

// Distinct callers (agent, user, impersonated user) tracked per signature; further new ones are
// counted as one "(other)" caller (and a warning says so, because which pairs got in then depends on order).
inline constexpr std::size_t kMaxCallerPairs = 256;
// Examples longer than this are cut (on a UTF-8 boundary, "…" appended): with the signature
// cap this bounds a row to a few KiB whatever the line lengths.
inline constexpr std::size_t kMaxExampleBytes = 2048;
// The signature text of the row that collects signatures beyond max_signatures.
inline constexpr std::string_view kOtherSignatures = "(other signatures)";
// Agent, user and impersonated user of the folded caller.
inline constexpr std::string_view kOtherCallers = "(other)";

class ErrorTable final : public AnalyzerOf<ErrorTable> {
 public:
  explicit ErrorTable(ErrorOptions options);

  void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                const EventPosition& position) override;
  void on_log_line(const model::LogLine& line, decode::Format format,
                   const EventPosition& position) override;
  void merge(ErrorTable& other);

  const ErrorOptions& options() const { return options_; }
  std::size_t signature_count() const { return entries_.size(); }
  // Bytes held (strings, entries, index), for --stats.
  std::size_t memory_bytes() const;

  // A caller as `top --by agent,user,impersonated_user` names it: user.username, and the
  // impersonated user ("(none)" without impersonation), both interned.
  struct CallerCount {
    std::uint32_t agent = 0, user = 0, impersonated = 0;
    std::uint64_t count = 0;
  };
  struct CodeCount {
    int code = 0;
    std::uint64_t count = 0;
  };
  struct Entry {
    bool audit = false;
    bool overflow = false;     // the "(other signatures)" row
    std::uint32_t component = 0;  // interned; log rows
    std::uint32_t signature = 0;  // interned
    // Log rows: the level of every occurrence (a signature seen at two levels is two rows, so
    // a row's level, count and example agree); the "(other signatures)" row: the highest.
    model::LogLevel level = model::LogLevel::kUnknown;
    std::uint64_t count = 0;
    model::TimeNs first = 0, last = 0;  // 0: no occurrence had a time
    model::TimeNs example_time = 0;
    EventPosition example_position;
    std::string example;
    std::vector<CodeCount> codes;
    std::vector<CallerCount> callers;
    std::uint64_t other_callers = 0;  // occurrences whose caller was beyond kMaxCallerPairs
  };
  const std::vector<Entry>& entries() const { return entries_; }
  std::string_view text(std::uint32_t id) const { return strings_.text(id); }
  bool signatures_overflowed() const { return signatures_overflowed_; }
  std::uint64_t callers_overflowed() const;

 private:
  static constexpr std::uint32_t kNoEntry = 0xFFFFFFFF;

  // Rows are found by (audit or component, level, signature text); the view points into
  // strings_.
  struct TextKey {
    bool audit = false;
    std::uint32_t component = 0;
    model::LogLevel level = model::LogLevel::kUnknown;
    std::string_view signature;
    friend bool operator==(const TextKey&, const TextKey&) = default;
  };
  struct TextKeyHash {
    std::size_t operator()(const TextKey& key) const;
  };

  Entry& entry(bool audit, std::string_view component, model::LogLevel level,
               std::string_view signature);
  Entry& overflow_entry(bool audit);
  bool record(Entry& e, model::TimeNs time, const EventPosition& position);
  static void add_code(Entry& e, int code, std::uint64_t n);
  static void add_caller(Entry& e, const CallerCount& caller);

  // Memo of recent raw texts -> entry: floods repeat the same message verbatim, and hashing
  // plus one comparison is much cheaper than masking. Direct-mapped, per worker; a pure cache
  // (results never depend on it).
  struct CacheSlot {
    std::uint64_t hash = 0;
    std::uint32_t entry = kNoEntry;
    std::string key;
  };
  Entry* cached(std::uint64_t& hash);
  void remember(std::uint64_t hash, const Entry& e);

  ErrorOptions options_;
  std::vector<CacheSlot> cache_;
  std::string cache_key_;  // the raw text being looked up (kind, component, source/code, ...)
  StringInterner strings_;
  std::vector<Entry> entries_;
  std::unordered_map<TextKey, std::uint32_t, TextKeyHash> index_;
  std::uint32_t overflow_index_[2] = {kNoEntry, kNoEntry};  // [audit]
  std::size_t overflow_entries_ = 0;
  std::uint32_t empty_id_ = 0;
  bool signatures_overflowed_ = false;
  std::string buffer_;  // the signature being built
};

AnalyzerFactory error_analyzer_factory(ErrorOptions options);

// The levels an `errors` run includes: "error,fatal", "warning,error,fatal", ...
std::string level_list(model::LogLevel min_level);

}  // namespace kubeblame::analyze
