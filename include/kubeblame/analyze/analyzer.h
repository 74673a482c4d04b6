// Extra analyses that ride along the single pass (errors, fights, ...). A Shard owns one
// instance of each requested analyzer per worker; shards merge pairwise at the end, so every
// analyzer must be mergeable and its final result independent of how records were split
// between workers (use EventPosition to break ties deterministically).
#pragma once

#include <cstdint>
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

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  // Every decoded audit event (after filters). `values` has been reset to this event and
  // computes dimension values on demand. `counted` is the SPEC completion-stage rule.
  virtual void on_event(const model::AuditEvent& event, bool counted, DimensionValues& values,
                        const EventPosition& position) = 0;
  // Every decoded control-plane log line (after filters).
  virtual void on_log_line(const model::LogLine& line, decode::Format format,
                           const EventPosition& position) = 0;
  // Folds `other` (the same concrete type, from another worker) into this one.
  virtual void merge(Analyzer& other) = 0;
};

using AnalyzerFactory = std::function<std::unique_ptr<Analyzer>()>;

}  // namespace kubeblame::analyze
