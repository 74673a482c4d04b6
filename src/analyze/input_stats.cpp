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

void InputStats::add_sample(const SkipSample& sample) {
  if (samples.size() == kMaxSamples && !earlier(sample, samples.back())) return;
  auto at = std::upper_bound(samples.begin(), samples.end(), sample, earlier);
  samples.insert(at, sample);
  if (samples.size() > kMaxSamples) samples.pop_back();
}

void InputStats::merge(const InputStats& other) {
  lines += other.lines;
  decoded += other.decoded;
  events += other.events;
  log_lines += other.log_lines;
  requests += other.requests;
  filtered += other.filtered;
  for (std::size_t i = 0; i < skipped.size(); ++i) skipped[i] += other.skipped[i];
  for (std::size_t i = 0; i < formats.size(); ++i) formats[i] += other.formats[i];
  first = std::min(first, other.first);
  last = std::max(last, other.last);
  for (const SkipSample& sample : other.samples) add_sample(sample);
}

}  // namespace kubeblame::analyze
