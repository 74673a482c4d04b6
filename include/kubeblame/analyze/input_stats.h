// Line accounting and input facts: every record lands in exactly one bucket
// (lines = decoded + filtered + skipped), plus formats seen, time span and a few skip samples.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "kubeblame/analyze/time_histogram.h"
#include "kubeblame/decode/record.h"
#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

struct SkipSample {
  std::uint32_t input = 0;
  std::uint64_t line = 0;
  decode::SkipReason reason = decode::SkipReason::kMalformedJson;
};

// One input file's share of the records, for the Log Analytics row-cap check and for naming an
// input none of whose records could be read.
struct FileStats {
  std::uint64_t records = 0;     // every record of this input, whatever its bucket
  std::uint64_t skipped = 0;     // of which skipped (blank lines excluded)
  std::uint64_t table_rows = 0;  // of which Log Analytics rows (AKSAudit, AzureDiagnostics, ...)
  // Times of those rows only (for the split-by-time advice); raw audit files skip this work.
  model::TimeNs first = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last = std::numeric_limits<model::TimeNs>::min();

  bool has_time() const { return first <= last; }
  void merge(const FileStats& other);
};

struct InputStats {
  static constexpr std::size_t kMaxSamples = 5;

  std::uint64_t lines = 0;     // records seen (a batch's elements count one each)
  std::uint64_t decoded = 0;   // records turned into events and kept (duplicates included)
  std::uint64_t events = 0;    // audit events among the decoded records, less duplicates
  std::uint64_t log_lines = 0; // control-plane log lines among the decoded records
  // kubeblame kql result rows among the decoded records (groups Log Analytics aggregated):
  // decoded = events + log_lines + weighted_rows + duplicates.
  std::uint64_t weighted_rows = 0;
  std::uint64_t requests = 0;  // events counted as requests (the completion-stage rule)
  std::uint64_t filtered = 0;  // decoded, then excluded by --since/--until/--where
  // Decoded events already counted from another copy (analyze/seen_events.h): decoded =
  // events + log_lines + duplicates.
  std::uint64_t duplicates = 0;
  // (input of the first copy, input of the duplicate) -> duplicates; equal inputs when a file
  // repeats its own events.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> overlaps;
  bool duplicates_windowed = false;  // past the exact bound: duplicates found over a window only
  std::array<std::uint64_t, decode::kSkipReasonCount> skipped{};
  std::array<std::uint64_t, decode::kFormatCount> formats{};
  model::TimeNs first = std::numeric_limits<model::TimeNs>::max();
  model::TimeNs last = std::numeric_limits<model::TimeNs>::min();
  std::vector<SkipSample> samples;  // the first kMaxSamples skips in input order
  // Signs of an export limit (report/export_warnings.h turns them into warnings).
  std::vector<FileStats> files;            // by input index
  std::uint64_t bodies_too_big = 0;        // AKS "skipped-too-big-size-object" request bodies
  std::uint64_t truncated_events = 0;      // audit.k8s.io/truncated: "true"
  // The APF join (analyze/apf_join.h): whether one ran, and the counted requests it found no
  // HTTP log line for (their priority_level and flow_schema are "(unknown)").
  bool apf_joined = false;
  std::uint64_t apf_unjoined = 0;
  std::array<std::uint64_t, decode::kExportCutCount> cuts{};  // payloads cut at a field limit
  // Audit events read from admin-only sources (no get or list requests), whatever the filters.
  std::array<std::uint64_t, decode::kAdminSourceCount> admin_events{};
  TimeHistogram event_times;               // audit event times, for holes in the input

  // Counts a record of input `input` (a batch's elements count one each); `time` 0 = none.
  // Inline: it runs once per record.
  void count_record(std::uint32_t input, decode::Format format, model::TimeNs time) {
    if (input >= files.size()) files.resize(static_cast<std::size_t>(input) + 1);
    FileStats& file = files[input];
    ++file.records;
    if (!decode::is_table_row(format)) return;
    ++file.table_rows;
    if (time != 0) {
      file.first = std::min(file.first, time);
      file.last = std::max(file.last, time);
    }
  }

  void count_duplicate(std::uint32_t first_input, std::uint32_t input) {
    ++decoded;
    ++duplicates;
    ++overlaps[{first_input, input}];
  }

  std::uint64_t skipped_total() const;
  // Skips that --strict fails on: all but blank lines (a trailing empty line is not bad data)
  // and CloudWatch control messages (health checks).
  std::uint64_t strict_skipped() const;
  bool has_time() const { return first <= last; }
  void add_sample(const SkipSample& sample);
  void merge(const InputStats& other);
};

}  // namespace kubeblame::analyze
