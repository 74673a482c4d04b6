// Warnings about events read more than once (analyze/seen_events.h): which inputs overlap, and
// when the de-duplication went past its exact bound. Part of every input summary.
#pragma once

#include <string>
#include <vector>

#include "kubeblame/analyze/input_stats.h"

namespace kubeblame::report {

// At most this many overlapping input pairs are named; the rest are summed in one more warning.
inline constexpr std::size_t kMaxOverlapWarnings = 10;

// In a fixed order: input pairs by (earlier input, later input), an input that repeats its own
// events where its pair would be, then the bound. `files` are the input names, by input index.
std::vector<std::string> duplicate_warnings(const analyze::InputStats& stats,
                                            const std::vector<std::string>& files);

}  // namespace kubeblame::report
