// Line accounting and input facts: every record lands in exactly one bucket
// (lines = decoded + filtered + skipped), plus formats seen, time span and a few skip samples.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include "kubeblame/decode/record.h"
#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

struct SkipSample {
  std::uint32_t input = 0;
  std::uint64_t line = 0;
  decode::SkipReason reason = decode::SkipReason::kMalformedJson;
};

struct InputStats {
  static constexpr std::size_t kMaxSamples = 5;

  std::uint64_t lines = 0;     // records seen (a batch's elements count one each)
  std::uint64_t decoded = 0;   // records turned into events and kept
  std::uint64_t events = 0;    // audit events among the decoded records
  std::uint64_t log_lines = 0; // control-plane log lines among the decoded records
  std::uint64_t requests = 0;  // events counted as requests (the completion-stage rule)
  std::uint64_t filtered = 0;  // decoded, then excluded by --since/--until/--where
  std::array<std::uint64_t, decode::kSkipReasonCount> skipped{};
  std::array<std::uint64_t, decode::kFormatCount> formats{};
  model::TimeNs first = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last = std::numeric_limits<model::TimeNs>::min();
  std::vector<SkipSample> samples;  // the first kMaxSamples skips in input order

  std::uint64_t skipped_total() const;
  bool has_time() const { return first <= last; }
  void add_sample(const SkipSample& sample);
  void merge(const InputStats& other);
};

}  // namespace kubeblame::analyze
