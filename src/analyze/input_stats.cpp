// Input accounting. Samples keep the earliest skips by (input, line) so that the report is the
// same whatever the thread count or chunk size.
#include "kubeblame/analyze/input_stats.h"

#include <algorithm>

namespace kubeblame::analyze {

namespace {
bool earlier(const SkipSample& a, const SkipSample& b) {
  return a.input != b.input ? a.input < b.input : a.line < b.line;
}
}  // namespace

std::uint64_t InputStats::skipped_total() const {
  std::uint64_t total = 0;
  for (std::uint64_t n : skipped) total += n;
  return total;
}

std::uint64_t InputStats::strict_skipped() const {
  return skipped_total() - skipped[static_cast<std::size_t>(decode::SkipReason::kBlank)] -
         skipped[static_cast<std::size_t>(decode::SkipReason::kControlMessage)];
}

void InputStats::add_sample(const SkipSample& sample) {
  if (samples.size() == kMaxSamples && !earlier(sample, samples.back())) return;
  auto at = std::upper_bound(samples.begin(), samples.end(), sample, earlier);
  samples.insert(at, sample);
  if (samples.size() > kMaxSamples) samples.pop_back();
}

void FileStats::merge(const FileStats& other) {
  records += other.records;
  skipped += other.skipped;
  table_rows += other.table_rows;
  first = std::min(first, other.first);
  last = std::max(last, other.last);
}

void InputStats::merge(const InputStats& other) {
  weighted_rows += other.weighted_rows;
  lines += other.lines;
  decoded += other.decoded;
  events += other.events;
  log_lines += other.log_lines;
  requests += other.requests;
  filtered += other.filtered;
  duplicates += other.duplicates;
  for (const auto& [pair, count] : other.overlaps) overlaps[pair] += count;
  duplicates_windowed = duplicates_windowed || other.duplicates_windowed;
  for (std::size_t i = 0; i < skipped.size(); ++i) skipped[i] += other.skipped[i];
  for (std::size_t i = 0; i < formats.size(); ++i) formats[i] += other.formats[i];
  first = std::min(first, other.first);
  last = std::max(last, other.last);
  for (const SkipSample& sample : other.samples) add_sample(sample);
  if (files.size() < other.files.size()) files.resize(other.files.size());
  for (std::size_t i = 0; i < other.files.size(); ++i) files[i].merge(other.files[i]);
  bodies_too_big += other.bodies_too_big;
  truncated_events += other.truncated_events;
  apf_joined = apf_joined || other.apf_joined;
  apf_unjoined += other.apf_unjoined;
  for (std::size_t i = 0; i < cuts.size(); ++i) cuts[i] += other.cuts[i];
  for (std::size_t i = 0; i < admin_events.size(); ++i) admin_events[i] += other.admin_events[i];
  event_times.merge(other.event_times);
}

}  // namespace kubeblame::analyze
