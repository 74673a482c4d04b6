// Duplicate warnings. Pairs come from the shards' (first input, duplicate input) counts; the
// pipeline counts the copy in the earliest input, so the pairs and their counts are the same for
// any thread count and chunk size (docs/duplicates.md).
#include "kubeblame/report/duplicate_warnings.h"

#include "kubeblame/analyze/seen_events.h"
#include "kubeblame/report/format.h"

namespace kubeblame::report {

namespace {

std::string name_of(const std::vector<std::string>& files, std::uint32_t index) {
  // Input indexes are kept in SeenEvents::kInputBits bits: later inputs share the last one.
  if (index == analyze::SeenEvents::kLastInput && files.size() > index + 1u) {
    return "input " + format_count(std::uint64_t{index} + 1) + " or later";
  }
  if (index >= files.size()) return "input " + std::to_string(index + 1);
  return files[index] == "-" ? "<stdin>" : files[index];
}

std::string events(std::uint64_t n) { return format_count(n) + (n == 1 ? " event" : " events"); }

std::string overlap_warning(const std::vector<std::string>& files, std::uint32_t first,
                            std::uint32_t second, std::uint64_t n) {
  std::string a = name_of(files, first);
  if (first == second) return a + " holds " + events(n) + " more than once: each is counted once";
  std::string b = name_of(files, second);
  if (a == b) {
    a += " (input " + std::to_string(first + 1) + ")";
    b += " (input " + std::to_string(second + 1) + ")";
  }
  return a + " and " + b + " overlap: " + events(n) + " of the second " + (n == 1 ? "was" : "were") +
         " already read from the first and " + (n == 1 ? "is" : "are") +
         " counted once (--keep-duplicates counts every copy)";
}

}  // namespace

std::vector<std::string> duplicate_warnings(const analyze::InputStats& stats,
                                            const std::vector<std::string>& files) {
  std::vector<std::string> out;
  std::size_t more_pairs = 0;
  std::uint64_t more_events = 0;
  for (const auto& [pair, n] : stats.overlaps) {
    if (out.size() < kMaxOverlapWarnings) {
      out.push_back(overlap_warning(files, pair.first, pair.second, n));
    } else {
      ++more_pairs;
      more_events += n;
    }
  }
  if (more_pairs > 0) {
    out.push_back("and " + format_count(more_pairs) + " more overlapping inputs: " +
                  events(more_events) + " counted once");
  }
  if (stats.duplicates_windowed) {
    out.push_back("more than " + format_count(analyze::SeenEvents::kExactKeys) +
                  " distinct audit events: past that bound duplicates are only found among the "
                  "most recent 2.3 million or more (docs/duplicates.md); copies read further "
                  "apart are counted twice");
  }
  return out;
}

}  // namespace kubeblame::report
