// The HTML report's SVG charts: round axis steps, buckets summed into at most kMaxTimelineBars
// bars, exact stacked segments with their tooltips, bars scaled to the largest value.
#include "kubeblame/report/svg_chart.h"

#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/model/time.h"

using namespace kubeblame;

namespace {

constexpr model::TimeNs kT0 = 1740470400LL * model::kNsPerSecond;  // 2025-02-25T08:00:00Z

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

report::TimelineReport flat_timeline(std::size_t buckets, std::int64_t interval_s) {
  report::TimelineReport t;
  t.by = {"agent"};
  t.interval_s = interval_s;
  t.start = kT0;
  t.buckets = buckets;
  report::TimelineSeries s;
  s.key = {"kubelet"};
  s.counts.assign(buckets, 1);
  s.requests = buckets;
  t.series.push_back(s);
  t.total = s;
  t.total.key.clear();
  return t;
}

}  // namespace

TEST_CASE("nice_count_step: 1, 2 or 5 times a power of ten", "[report][html]") {
  CHECK(report::nice_count_step(0, 5) == 1);
  CHECK(report::nice_count_step(5, 5) == 1);
  CHECK(report::nice_count_step(6, 5) == 2);
  CHECK(report::nice_count_step(87, 5) == 20);
  CHECK(report::nice_count_step(100, 5) == 20);
  CHECK(report::nice_count_step(101, 5) == 50);
  CHECK(report::nice_count_step(2021, 5) == 500);
  CHECK(report::nice_count_step(UINT64_MAX, 5) > 0);
}

TEST_CASE("nice_time_step: round steps, then doubling days", "[report][html]") {
  CHECK(report::nice_time_step(8, 8) == 1);
  CHECK(report::nice_time_step(60, 8) == 10);
  CHECK(report::nice_time_step(8400, 8) == 1800);  // 2h 20m: ticks every 30m
  CHECK(report::nice_time_step(3600, 8) == 600);
  CHECK(report::nice_time_step(86400, 8) == 10800);
  CHECK(report::nice_time_step(30 * 86400, 8) == 4 * 86400);
}

TEST_CASE("timeline_buckets_per_bar keeps at most kMaxTimelineBars bars", "[report][html]") {
  CHECK(report::timeline_buckets_per_bar(1) == 1);
  CHECK(report::timeline_buckets_per_bar(240) == 1);
  CHECK(report::timeline_buckets_per_bar(241) == 2);
  CHECK(report::timeline_buckets_per_bar(1000) == 5);
}

TEST_CASE("svg_timeline: one segment per non-empty series and bar, with tooltips", "[report][html]") {
  report::TimelineReport t = flat_timeline(3, 60);
  t.series[0].counts = {1, 0, 3};
  t.series[0].requests = 4;
  report::TimelineSeries other;
  other.counts = {2, 2, 0};
  other.requests = 4;
  t.other = other;
  t.other_groups = 5;
  std::string svg = report::svg_timeline(t);
  CHECK(count_of(svg, "<rect class=\"s0\"") == 2);
  CHECK(count_of(svg, "<rect class=\"so\"") == 2);
  CHECK(svg.find("<title>kubelet: 3 requests, 2025-02-25 08:02:00Z (1m)</title>") != std::string::npos);
  CHECK(svg.find("<title>(other: 5 groups): 2 requests, 2025-02-25 08:01:00Z (1m)</title>") != std::string::npos);
  // Bar 0 holds 1 + 2 = 3 of a y axis topped at 3 (step 1): the other segment reaches the top.
  CHECK(svg.find("<rect class=\"so\" x=\"81.6\" y=\"14.0\"") != std::string::npos);
  CHECK(svg.find(">requests per 1m</text>") != std::string::npos);
  // 3 minutes: ticks every 30 s, the date on the first one.
  CHECK(svg.find(">02-25 08:00:00</text>") != std::string::npos);
  CHECK(svg.find(">08:01:30</text>") != std::string::npos);
  CHECK(count_of(svg, "<text class=\"tick\"") == 4 + 7);  // counts 0..3, times 08:00:00..08:03:00
  CHECK(svg.rfind("</svg>") == svg.size() - 6);
}

TEST_CASE("svg_timeline: many buckets are summed into fewer bars", "[report][html]") {
  std::string svg = report::svg_timeline(flat_timeline(1000, 60));
  CHECK(count_of(svg, "<rect class=\"s0\"") == 200);
  CHECK(svg.find("<title>kubelet: 5 requests, 2025-02-25 08:05:00Z (5m)</title>") != std::string::npos);
  CHECK(svg.find(">requests per 5m</text>") != std::string::npos);
  CHECK(report::svg_timeline(report::TimelineReport{}).empty());
}

TEST_CASE("svg_timeline: buckets reaching past 2262 get no tick beyond it", "[report][html]") {
  // 2262-04-01T00:00:00Z, one bucket of 16 days: it ends after int64 nanoseconds do (04-11).
  report::TimelineReport t = flat_timeline(1, 16 * 86400);
  t.start = 9222422400LL * model::kNsPerSecond;
  std::string svg = report::svg_timeline(t);
  for (const char* day : {"02", "04", "06", "08", "10"}) {
    CHECK(svg.find(std::string(">2262-04-") + day + "</text>") != std::string::npos);
  }
  CHECK(count_of(svg, "text-anchor=\"middle\"") == 5);
  CHECK(svg.find(">1677-") == std::string::npos);  // what a wrapped time would print
}

TEST_CASE("svg_bar_chart: bars scaled to the largest, labels cut and escaped", "[report][html]") {
  std::vector<report::BarItem> items = {
      {"a<b>", 10.0, "10.00 s", "a<b>: 10.00 s"},
      {std::string(80, 'x'), 5.0, "5.00 s", "long"},
      {"nan", std::numeric_limits<double>::quiet_NaN(), "-", "nan"}};
  std::string svg = report::svg_bar_chart(items, "Cost <chart>");
  CHECK(svg.find("aria-label=\"Cost &lt;chart&gt;\"><title>Cost &lt;chart&gt;</title>") != std::string::npos);
  CHECK(svg.find("<g><title>a&lt;b&gt;: 10.00 s</title><text class=\"label\" x=\"382.0\" y=\"17.0\" "
                 "text-anchor=\"end\">a&lt;b&gt;</text><rect class=\"bar\" x=\"390.0\" y=\"4.0\" width=\"470.0\"") !=
        std::string::npos);
  CHECK(svg.find("width=\"235.0\"") != std::string::npos);
  CHECK(svg.find(">" + std::string(53, 'x') + "\xE2\x80\xA6</text>") != std::string::npos);
  CHECK(svg.find("width=\"0.0\"") != std::string::npos);
  CHECK(report::svg_bar_chart({}, "x").empty());
}
