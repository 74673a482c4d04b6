// Time buckets for the timeline: the auto-interval ladder, epoch-aligned bucket numbers, and
// --interval text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::analyze {

// The auto interval keeps a terminal sparkline short: at most this many buckets.
inline constexpr std::uint64_t kTimelineTargetBuckets = 60;
// While reading, a worker keeps its buckets at the finest ladder step with at most this many
// over its own span; any bound >= kTimelineTargetBuckets gives the same final result, and the
// smallest one bounds a group to kTimelineTargetBuckets + 1 cells per worker.
inline constexpr std::uint64_t kTimelineWorkerBuckets = kTimelineTargetBuckets;
// An explicit --interval that makes more buckets than this over the input's span is refused.
inline constexpr std::uint64_t kTimelineMaxBuckets = 100000;
// The longest interval --interval accepts (100 years; nanoseconds stay far from overflow).
inline constexpr std::int64_t kTimelineMaxIntervalSeconds = 36500LL * 86400;

// The auto-interval ladder: 1s 5s 10s 30s 1m 5m 15m 30m 1h 2h 6h 12h 1d, then doubling days
// (2d 4d ... 65536d). Each step divides the next, so buckets of one step coarsen exactly into
// buckets of any later step.
std::size_t ladder_size();
std::int64_t ladder_seconds(std::size_t step);
// The first ladder step whose buckets cover [first, last] with at most `max_buckets`.
std::size_t ladder_step_for(model::TimeNs first, model::TimeNs last, std::uint64_t max_buckets);

// floor(time / interval): buckets are aligned to whole multiples of the interval since the
// epoch, also before 1970.
std::int64_t bucket_index(model::TimeNs time, std::int64_t interval_ns);
// Buckets from the one holding `first` to the one holding `last`, both included.
std::uint64_t bucket_span(model::TimeNs first, model::TimeNs last, std::int64_t interval_ns);

// "30s", "5m", "1h", "2d" (a bare number is seconds) -> seconds; nullopt if malformed, zero
// or longer than kTimelineMaxIntervalSeconds.
std::optional<std::int64_t> parse_interval(std::string_view text);
// 60 -> "1m", 7200 -> "2h", 90 -> "90s", 172800 -> "2d".
std::string format_interval(std::int64_t seconds);

}  // namespace kubeblame::analyze
