// Renderers for `kubeblame timeline`: a terminal table with one sparkline per group (plus the
// (other) and total rows), markdown (the same table, sparklines in code spans), JSON (dense
// counts per bucket) and CSV (long format: one line per series per non-empty bucket).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kubeblame/report/render.h"
#include "kubeblame/report/timeline_report.h"

namespace kubeblame::report {

// A sparkline never gets wider than this: more buckets are summed into one character each.
inline constexpr std::size_t kMaxSparklineWidth = 120;

std::string render_timeline(const TimelineReport& report, OutputFormat format,
                            const RenderOptions& options);

std::string render_timeline_table(const TimelineReport& report, const RenderOptions& options);
std::string render_timeline_markdown(const TimelineReport& report);
std::string render_timeline_json(const TimelineReport& report);
std::string render_timeline_csv(const TimelineReport& report);

// The JSON members after "input" ("interval_s" ... "untimed"), without a leading comma (for
// kubeblame report).
void append_timeline_json_body(std::string& out, const TimelineReport& report);
// The header line, the table / markdown table and the untimed note, without the input summary.
std::string render_timeline_table_body(const TimelineReport& report, const RenderOptions& options);
std::string render_timeline_markdown_body(const TimelineReport& report);

// Buckets per sparkline character: 1 up to kMaxSparklineWidth buckets, then the smallest
// factor that fits.
std::size_t sparkline_buckets_per_char(std::size_t buckets);
// ▁▂▃▄▅▆▇█ scaled to the largest character's count (a character with any request is at least
// ▁); a space for none.
std::string sparkline(const std::vector<std::uint64_t>& counts, std::size_t buckets_per_char);
// "timeline by agent · interval 1m (auto) · 2025-02-25 08:00:00Z → 2025-02-25 09:00:00Z · 60 buckets", unescaped.
std::string timeline_header_line(const TimelineReport& report);
// The same with `per_char` buckets per sparkline character (the terminal's may be more).
std::string timeline_header_line(const TimelineReport& report, std::size_t per_char);

// The bucket with the most requests (the first of equals) and its count; {0, 0} when empty.
struct TimelinePeak {
  std::uint64_t count = 0;
  std::size_t bucket = 0;
};
TimelinePeak timeline_peak(const TimelineSeries& series);
// When bucket `bucket` starts (bucket == report.buckets: when the last one ends), saturated at
// the largest time an int64 of nanoseconds holds (2262-04-11).
model::TimeNs timeline_bucket_start(const TimelineReport& report, std::size_t bucket);

}  // namespace kubeblame::report
