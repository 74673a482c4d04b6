// SVG for the HTML report. Coordinates live in a fixed viewBox and the page scales the chart to
// its width (and to the paper when printed). Text and tooltips are HTML-escaped: inline SVG in
// an HTML page is parsed by the HTML parser, so the same character references are safe in both.
#include "kubeblame/report/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "kubeblame/analyze/timeline/timeline_ladder.h"
#include "kubeblame/model/time.h"
#include "kubeblame/report/escape.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/text_fit.h"
#include "kubeblame/report/render_timeline.h"

namespace kubeblame::report {

namespace {

// The timeline's viewBox and plot margins (room for count labels left, time labels below).
constexpr double kWidth = 960;
constexpr double kHeight = 300;
constexpr double kLeft = 64;
constexpr double kRight = 16;
constexpr double kTop = 14;
constexpr double kBottom = 46;
constexpr std::uint64_t kCountTicks = 5;
constexpr std::int64_t kTimeTicks = 8;
// The bar chart: a label column, the bars, room for the value after the longest bar.
constexpr double kLabelWidth = 390;
constexpr double kValueWidth = 100;
constexpr double kRowHeight = 26;
constexpr double kBarHeight = 18;
constexpr std::size_t kLabelChars = 54;

std::string coord(double value) { return fmt::format("{:.1f}", value); }

// Floor division for times before 1970 too.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Requests per bar for one series: buckets [bar * per, bar * per + per) summed.
std::vector<std::uint64_t> bar_sums(const std::vector<std::uint64_t>& counts, std::size_t buckets,
                                    std::size_t per) {
  std::vector<std::uint64_t> out((buckets + per - 1) / per, 0);
  for (std::size_t b = 0; b < buckets && b < counts.size(); ++b) out[b / per] += counts[b];
  return out;
}

std::string hh_mm(const model::CivilTime& t, bool seconds) {
  return seconds ? fmt::format("{:02}:{:02}:{:02}", t.hour, t.minute, t.second)
                 : fmt::format("{:02}:{:02}", t.hour, t.minute);
}

// Horizontal grid lines with count labels, and the y-axis caption.
void count_axis(std::string& out, std::uint64_t y_top, std::uint64_t step, std::string_view caption) {
  double plot_h = kHeight - kTop - kBottom;
  out += "<g class=\"grid\">";
  for (std::uint64_t v = 0; v <= y_top; v += step) {
    double y = kHeight - kBottom - plot_h * static_cast<double>(v) / static_cast<double>(y_top);
    out += "<line x1=\"" + coord(kLeft) + "\" y1=\"" + coord(y) + "\" x2=\"" + coord(kWidth - kRight) +
           "\" y2=\"" + coord(y) + "\"/>";
    out += "<text class=\"tick\" x=\"" + coord(kLeft - 6) + "\" y=\"" + coord(y + 4) +
           "\" text-anchor=\"end\">" + format_count(v) + "</text>";
  }
  out += "<text class=\"caption\" x=\"" + coord(kLeft) + "\" y=\"" + coord(kHeight - 4) + "\">" +
         escape_html(caption) + "</text></g>";
}

// Ticks at round UTC times; the date is shown on the first tick and where the day changes.
void time_axis(std::string& out, std::int64_t start_s, std::int64_t span_s) {
  double plot_w = kWidth - kLeft - kRight;
  double base = kHeight - kBottom;
  std::int64_t step = nice_time_step(span_s, kTimeTicks);
  std::int64_t first = floor_div(start_s + step - 1, step) * step;
  out += "<g class=\"axis\"><line x1=\"" + coord(kLeft) + "\" y1=\"" + coord(base) + "\" x2=\"" +
         coord(kWidth - kRight) + "\" y2=\"" + coord(base) + "\"/>";
  int last_day = -1;
  // Nanoseconds end in 2262: a last bucket reaching past that gets no tick there.
  std::int64_t last = std::min(start_s + span_s, INT64_MAX / model::kNsPerSecond);
  for (std::int64_t t = first; t <= last; t += step) {
    double x = kLeft + plot_w * static_cast<double>(t - start_s) / static_cast<double>(span_s);
    model::CivilTime c = model::civil_from_ns(t * model::kNsPerSecond);
    std::string label;
    if (step >= 86400) {
      label = fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
    } else {
      label = hh_mm(c, step < 60);
      if (c.day != last_day) label.insert(0, fmt::format("{:02}-{:02} ", c.month, c.day));
    }
    last_day = c.day;
    out += "<line x1=\"" + coord(x) + "\" y1=\"" + coord(base) + "\" x2=\"" + coord(x) + "\" y2=\"" +
           coord(base + 5) + "\"/><text class=\"tick\" x=\"" + coord(x) + "\" y=\"" + coord(base + 18) +
           "\" text-anchor=\"middle\">" + label + "</text>";
  }
  out += "<text class=\"caption\" x=\"" + coord(kWidth - kRight) + "\" y=\"" + coord(kHeight - 4) +
         "\" text-anchor=\"end\">time (UTC)</text></g>";
}

std::string timeline_aria_label(const TimelineReport& report) {
  std::string by;
  for (std::size_t i = 0; i < report.by.size(); ++i) by += (i > 0 ? "," : "") + report.by[i];
  TimelinePeak peak = timeline_peak(report.total);
  std::string text = "Stacked bars: requests per " + analyze::format_interval(report.interval_s) +
                     " by " + by + " from " + format_time_short(timeline_bucket_start(report, 0)) +
                     " to " + format_time_short(timeline_bucket_start(report, report.buckets)) + "; " +
                     plural(report.total.requests, "request");
  if (peak.count > 0) {
    text += ", peak " + format_count(peak.count) + " at " +
            format_time_short(timeline_bucket_start(report, peak.bucket));
  }
  return text;
}

struct Stack {
  std::string name;      // unescaped
  std::string css;       // fill class
  std::vector<std::uint64_t> bars;
};

std::vector<Stack> timeline_stacks(const TimelineReport& report, std::size_t per) {
  std::vector<Stack> stacks;
  for (std::size_t i = 0; i < report.series.size(); ++i) {
    std::string name;
    for (std::size_t k = 0; k < report.series[i].key.size(); ++k) {
      name += (k > 0 ? " \xC2\xB7 " : "") + report.series[i].key[k];
    }
    stacks.push_back({name, series_class(i), bar_sums(report.series[i].counts, report.buckets, per)});
  }
  if (report.other_groups > 0) {
    stacks.push_back({"(other: " + plural(report.other_groups, "group") + ")", "so",
                      bar_sums(report.other.counts, report.buckets, per)});
  }
  return stacks;
}

// One bar per `per` buckets, its stacks from the bottom up, each segment with a <title>.
void stacked_bars(std::string& out, const TimelineReport& report, const std::vector<Stack>& stacks,
                  std::size_t per, std::uint64_t y_top) {
  std::size_t bars = stacks.empty() ? 0 : stacks.front().bars.size();
  if (bars == 0) return;
  std::int64_t width_s = report.interval_s * static_cast<std::int64_t>(per);
  double plot_w = kWidth - kLeft - kRight;
  double plot_h = kHeight - kTop - kBottom;
  double bar_w = plot_w / static_cast<double>(bars);
  double gap = bar_w >= 6 ? bar_w * 0.12 : 0;
  double scale = plot_h / static_cast<double>(y_top);
  out += "<g class=\"bars\">";
  for (std::size_t b = 0; b < bars; ++b) {
    std::string when = format_time_short(timeline_bucket_start(report, b * per)) + " (" +
                       analyze::format_interval(width_s) + ")";
    double x = kLeft + bar_w * static_cast<double>(b) + gap / 2;
    std::uint64_t below = 0;
    for (const Stack& s : stacks) {
      std::uint64_t count = s.bars[b];
      if (count == 0) continue;
      double y_low = kHeight - kBottom - scale * static_cast<double>(below);
      double y_high = kHeight - kBottom - scale * static_cast<double>(below + count);
      below += count;
      out += "<rect class=\"" + s.css + "\" x=\"" + coord(x) + "\" y=\"" + coord(y_high) + "\" width=\"" +
             coord(bar_w - gap) + "\" height=\"" + coord(y_low - y_high) + "\"><title>" +
             escape_html(s.name) + ": " + plural(count, "request") + ", " +
             when + "</title></rect>";
    }
  }
  out += "</g>";
}

}  // namespace

std::string series_class(std::size_t index) { return "s" + std::to_string(index % kSeriesColours); }

std::uint64_t nice_count_step(std::uint64_t max, std::uint64_t ticks) {
  if (max == 0 || ticks == 0) return 1;
  for (std::uint64_t scale = 1;; scale *= 10) {
    for (std::uint64_t m : {1, 2, 5}) {
      std::uint64_t step = m * scale;
      if ((max + step - 1) / step <= ticks) return step;
    }
    if (scale > UINT64_MAX / 100) return max;
  }
}

std::int64_t nice_time_step(std::int64_t span_s, std::int64_t ticks) {
  static constexpr std::array<std::int64_t, 16> kSteps = {
      1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
  ticks = std::max<std::int64_t>(ticks, 1);
  for (std::int64_t step : kSteps) {
    if (span_s / step <= ticks) return step;
  }
  std::int64_t step = 86400;
  while (span_s / step > ticks && step < INT64_MAX / 2) step *= 2;
  return step;
}

std::size_t timeline_buckets_per_bar(std::size_t buckets) {
  return buckets <= kMaxTimelineBars ? 1 : (buckets + kMaxTimelineBars - 1) / kMaxTimelineBars;
}

std::string svg_timeline(const TimelineReport& report) {
  if (report.buckets == 0 || report.interval_s <= 0) return {};
  std::size_t per = timeline_buckets_per_bar(report.buckets);
  std::vector<Stack> stacks = timeline_stacks(report, per);
  std::size_t bars = (report.buckets + per - 1) / per;
  std::uint64_t max = 0;
  for (std::size_t b = 0; b < bars; ++b) {
    std::uint64_t sum = 0;
    for (const Stack& s : stacks) sum += s.bars[b];
    max = std::max(max, sum);
  }
  std::uint64_t step = nice_count_step(max, kCountTicks);
  std::uint64_t y_top = std::max<std::uint64_t>(1, (max + step - 1) / step) * step;
  std::string label = timeline_aria_label(report);
  std::string out = "<svg class=\"chart timeline\" viewBox=\"0 0 " + coord(kWidth) + " " + coord(kHeight) +
                    "\" role=\"img\" aria-label=\"" + escape_html(label) + "\"><title>" +
                    escape_html(label) + "</title>";
  std::int64_t width_s = report.interval_s * static_cast<std::int64_t>(per);
  count_axis(out, y_top, step, "requests per " + analyze::format_interval(width_s));
  stacked_bars(out, report, stacks, per, y_top);
  std::int64_t start_s = floor_div(report.start, model::kNsPerSecond);
  time_axis(out, start_s, width_s * static_cast<std::int64_t>(bars));
  out += "</svg>";
  return out;
}

namespace {

double finite_positive(double value) { return std::isfinite(value) && value > 0 ? value : 0; }

double bar_sum(const StackedBarItem& item) {
  double sum = 0;
  for (double part : item.parts) sum += finite_positive(part);
  return sum;
}

// One stacked row: label, then each non-empty part as a segment with its own <title>.
void stacked_row(std::string& out, const StackedBarItem& item, const std::vector<BarPart>& parts,
                 std::string_view unit, double y, double scale) {
  std::string short_label = shorten_end(escape_terminal(item.label), kLabelChars);
  out += "<g><title>" + escape_html(item.label) + ": " + escape_html(item.value_text) +
         "</title><text class=\"label\" x=\"" + coord(kLabelWidth - 8) + "\" y=\"" + coord(y + 13) +
         "\" text-anchor=\"end\">" + escape_html(short_label) + "</text>";
  double x = kLabelWidth;
  for (std::size_t p = 0; p < parts.size() && p < item.parts.size(); ++p) {
    double value = finite_positive(item.parts[p]);
    if (value <= 0) continue;
    double w = value * scale;
    out += "<rect class=\"" + parts[p].css + "\" x=\"" + coord(x) + "\" y=\"" + coord(y) +
           "\" width=\"" + coord(w) + "\" height=\"" + coord(kBarHeight) + "\"><title>" +
           escape_html(item.label) + ": " + escape_html(parts[p].name) + " " +
           format_fixed(value, 2) + std::string(unit) + "</title></rect>";
    x += w;
  }
  out += "<text class=\"value\" x=\"" + coord(x + 6) + "\" y=\"" + coord(y + 13) + "\">" +
         escape_html(item.value_text) + "</text></g>";
}

}  // namespace

std::string svg_stacked_bar_chart(const std::vector<StackedBarItem>& items,
                                  const std::vector<BarPart>& parts, std::string_view unit,
                                  std::string_view aria_label) {
  if (items.empty()) return {};
  double max = 0;
  for (const StackedBarItem& item : items) max = std::max(max, bar_sum(item));
  double height = kRowHeight * static_cast<double>(items.size()) + 8;
  double scale = max > 0 ? (kWidth - kLabelWidth - kValueWidth) / max : 0;
  std::string out = "<svg class=\"chart bars\" viewBox=\"0 0 " + coord(kWidth) + " " +
                    coord(height) + "\" role=\"img\" aria-label=\"" + escape_html(aria_label) +
                    "\"><title>" + escape_html(aria_label) + "</title>";
  for (std::size_t i = 0; i < items.size(); ++i) {
    stacked_row(out, items[i], parts, unit, 4 + kRowHeight * static_cast<double>(i), scale);
  }
  return out + "</svg>";
}

std::string svg_bar_chart(const std::vector<BarItem>& items, std::string_view aria_label) {
  if (items.empty()) return {};
  double max = 0;
  for (const BarItem& item : items) {
    if (std::isfinite(item.value)) max = std::max(max, item.value);
  }
  double height = kRowHeight * static_cast<double>(items.size()) + 8;
  double bar_space = kWidth - kLabelWidth - kValueWidth;
  std::string out = "<svg class=\"chart bars\" viewBox=\"0 0 " + coord(kWidth) + " " + coord(height) +
                    "\" role=\"img\" aria-label=\"" + escape_html(aria_label) + "\"><title>" +
                    escape_html(aria_label) + "</title>";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const BarItem& item = items[i];
    double value = std::isfinite(item.value) && item.value > 0 ? item.value : 0;
    double w = max > 0 ? bar_space * value / max : 0;
    double y = 4 + kRowHeight * static_cast<double>(i);
    std::string short_label = shorten_end(escape_terminal(item.label), kLabelChars);
    out += "<g><title>" + escape_html(item.tooltip) + "</title><text class=\"label\" x=\"" +
           coord(kLabelWidth - 8) + "\" y=\"" + coord(y + 13) + "\" text-anchor=\"end\">" +
           escape_html(short_label) + "</text><rect class=\"bar\" x=\"" + coord(kLabelWidth) + "\" y=\"" +
           coord(y) + "\" width=\"" + coord(w) + "\" height=\"" + coord(kBarHeight) +
           "\"/><text class=\"value\" x=\"" + coord(kLabelWidth + w + 6) + "\" y=\"" + coord(y + 13) + "\">" +
           escape_html(item.value_text) + "</text></g>";
  }
  out += "</svg>";
  return out;
}

}  // namespace kubeblame::report
