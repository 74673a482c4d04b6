// Extra analyses that ride along the single pass (errors, fights, ...). A Shard owns one
// instance of each requested analyzer type per worker; shards merge pairwise at the end, so every
// analyzer must be mergeable and its final result independent of how records were split
// between workers (use EventPosition to break ties deterministically). Analyzers are found by
// their type (Shard::get<ErrorTable>()), never by position, and merge with their own type
// through AnalyzerOf<T>, so no code needs RTTI.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>

#include "kubeblame/decode/record.h"
#include "kubeblame/model/audit_event.h"
#include "kubeblame/model/log_line.h"

namespace kubeblame::analyze {

class DimensionValues;

// Where a record came from: (input index, line of the record's first byte). Records inside one
// line (batch elements) share a position and always go to the same worker, in order.
struct EventPosition {
  std::uint32_t input = 0;
  std::uint64_t line = 0;
  friend bool operator<(const EventPosition& a, const EventPosition& b) {
    return a.input != b.input ? a.input < b.input : a.line < b.line;
  }
  friend bool operator==(const EventPosition&, const EventPosition&) = default;
};

// The identity of an analyzer type: the address of a variable that exists once per type.
using AnalyzerType = const void*;
template <class T>
AnalyzerType analyzer_type() {
  static constexpr char kTag = 0;
  return &kTag;
}

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  AnalyzerType type() const { return type_; }
  // Every decoded audit event (after filters). `values` has been reset to this event and
  // computes dimension values on demand. `counted` is the request rule of docs/counting.md.
  virtual void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                        const EventPosition& position) = 0;
  // Every decoded control-plane log line (after filters).
  virtual void on_log_line(const model::LogLine& line, decode::Format format,
                           const EventPosition& position) = 0;
  // Folds `other`, an analyzer of the same type from another worker, into this one.
  virtual void merge_same_type(Analyzer& other) = 0;
  // True when it reads request bodies (AuditEvent::request_object): only then do decoders
  // unescape a body sent as JSON text (an AKSAudit RequestObject column).
  virtual bool reads_bodies() const { return false; }

 protected:
  explicit Analyzer(AnalyzerType type) : type_(type) {}

 private:
  AnalyzerType type_;
};

// Base of every concrete analyzer: gives it its type identity and turns the shard's untyped
// merge into a call of T::merge(T&).
template <class T>
class AnalyzerOf : public Analyzer {
 public:
  AnalyzerOf() : Analyzer(analyzer_type<T>()) {}
  void merge_same_type(Analyzer& other) final {
    // Shard::merge pairs analyzers by type; a mismatch is a programming error.
    if (other.type() != type()) std::abort();
    static_cast<T&>(*this).merge(static_cast<T&>(other));
  }
};

// `analyzer` as its concrete type T; a wrong type is a programming error (abort).
template <class T>
T& analyzer_cast(Analyzer& analyzer) {
  if (analyzer.type() != analyzer_type<T>()) std::abort();
  return static_cast<T&>(analyzer);
}
template <class T>
const T& analyzer_cast(const Analyzer& analyzer) {
  if (analyzer.type() != analyzer_type<T>()) std::abort();
  return static_cast<const T&>(analyzer);
}

using AnalyzerFactory = std::function<std::unique_ptr<Analyzer>()>;

}  // namespace kubeblame::analyze
