// Inline SVG charts for the HTML report: a stacked timeline of requests per interval by group
// and a horizontal bar chart. Pure functions of report data; every label is HTML-escaped here,
// colours come from CSS classes (s0..s9, so, bar) that the page styles for light and dark.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/report/timeline_report.h"

namespace kubeblame::report {

// A stacked timeline never draws more bars than this: more buckets are summed per bar.
inline constexpr std::size_t kMaxTimelineBars = 240;
// Series colours repeat after this many (the palette's size).
inline constexpr std::size_t kSeriesColours = 10;

// One bar of a horizontal bar chart. Text is unescaped (it may come from the input).
struct BarItem {
  std::string label;
  double value = 0;
  std::string value_text;  // printed after the bar, e.g. "23.92 s"
  std::string tooltip;     // the bar's <title>
};

// Stacked bars of requests per bucket: report.series[i] in class series_class(i) from the
// bottom up, then `other` in class "so"; count ticks on the left, UTC time ticks below, a
// <title> per segment. "" when nothing has a time (no buckets).
std::string svg_timeline(const TimelineReport& report);

// One row per item (label, bar scaled to the largest value, value text); "" for no items.
std::string svg_bar_chart(const std::vector<BarItem>& items, std::string_view aria_label);

// One bar of a stacked horizontal bar chart: its parts in the chart's part order.
struct StackedBarItem {
  std::string label;          // unescaped
  std::vector<double> parts;  // seconds (or any unit) per part; negative or NaN count as 0
  std::string value_text;     // printed after the bar
};
// A part of every stacked bar: its name (legend, tooltips) and fill class.
struct BarPart {
  std::string name;
  std::string css;
};

// One row per item, its parts left to right, scaled to the largest sum; a <title> per segment
// ("label: part 1.25 s") and per row. "" for no items.
std::string svg_stacked_bar_chart(const std::vector<StackedBarItem>& items,
                                  const std::vector<BarPart>& parts, std::string_view unit,
                                  std::string_view aria_label);

// "s0".."s9" (cycling) for series `index`.
std::string series_class(std::size_t index);

// The smallest step of 1, 2 or 5 x 10^k that covers [0, max] in at most `ticks` steps (1 for max 0).
std::uint64_t nice_count_step(std::uint64_t max, std::uint64_t ticks);
// A round time step in seconds (1s, 5s, 10s, 15s, 30s, 1m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h,
// 12h, 1d, then doubling days) that puts at most `ticks` ticks over `span_s`.
std::int64_t nice_time_step(std::int64_t span_s, std::int64_t ticks);
// Buckets summed into one bar so at most kMaxTimelineBars bars are drawn.
std::size_t timeline_buckets_per_bar(std::size_t buckets);

}  // namespace kubeblame::report
