// The timeline report: the merged TimelineAnalyzer's cells, coarsened to the final interval and
// laid out densely for the top groups (analyze/timeline/timeline.h explains why every split of the
// input gives the same counts).
#include <algorithm>
#include <string>
#include <vector>

#include "kubeblame/analyze/timeline/timeline.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/format.h"

namespace kubeblame::report {

namespace {

using analyze::TimelineCell;
using analyze::TimelineCells;
using analyze::bucket_index;
using analyze::bucket_span;
using analyze::format_interval;
using analyze::kTimelineMaxBuckets;
using analyze::kTimelineTargetBuckets;
using analyze::ladder_seconds;
using analyze::ladder_step_for;

// Largest first, then by key text: a total order, so the ranking never depends on map order.
struct Ranked {
  std::vector<std::string> key;
  const TimelineCells* series;
};
bool ranks_before(const Ranked& a, const Ranked& b) {
  if (a.series->requests() != b.series->requests()) return a.series->requests() > b.series->requests();
  return a.key < b.key;
}

TimelineSeries dense(const TimelineCells& series, std::int64_t factor, std::int64_t start_index,
                     std::size_t buckets) {
  TimelineSeries out;
  out.counts.assign(buckets, 0);
  out.error_counts.assign(buckets, 0);
  for (const TimelineCell& cell : series.cells()) {
    auto slot = static_cast<std::size_t>(bucket_index(cell.index, factor) - start_index);
    out.counts[slot] += cell.requests;
    out.error_counts[slot] += cell.errors;
    out.requests += cell.requests;
    out.errors += cell.errors;
  }
  return out;
}

}  // namespace

std::optional<std::string> timeline_interval_error(const analyze::TimelineAnalyzer& timeline) {
  if (timeline.auto_interval() || !timeline.has_time()) return std::nullopt;
  std::uint64_t buckets = bucket_span(timeline.first(), timeline.last(), timeline.interval_ns());
  if (buckets <= kTimelineMaxBuckets) return std::nullopt;
  std::int64_t suggested = ladder_seconds(ladder_step_for(timeline.first(), timeline.last(), kTimelineMaxBuckets));
  return "--interval " + format_interval(timeline.options().interval_s) + " makes " +
         format_count(buckets) + " buckets over the input's span (" +
         format_rfc3339(timeline.first()) + " to " + format_rfc3339(timeline.last()) + "); at most " +
         format_count(kTimelineMaxBuckets) + " are allowed: use --interval " +
         format_interval(std::max(suggested, timeline.options().interval_s + 1)) +
         " or longer, or leave --interval out to choose one";
}

TimelineReport build_timeline(const analyze::TimelineAnalyzer& timeline, const InputSummary& input,
                              std::size_t top) {
  TimelineReport out;
  for (analyze::Dimension dimension : timeline.options().by) out.by.emplace_back(analyze::dimension_name(dimension));
  out.top = top;
  out.input = input;
  out.interval_auto = timeline.auto_interval();
  out.interval_s = timeline.auto_interval() ? ladder_seconds(timeline.step()) : timeline.options().interval_s;
  out.untimed = timeline.untimed();
  if (!timeline.has_time() || timeline.too_many_buckets()) return out;
  if (timeline.auto_interval()) {
    out.interval_s = ladder_seconds(std::max(timeline.step(), ladder_step_for(timeline.first(), timeline.last(), kTimelineTargetBuckets)));
  }
  std::int64_t interval_ns = out.interval_s * model::kNsPerSecond;
  std::int64_t factor = interval_ns / timeline.interval_ns();
  std::int64_t start_index = bucket_index(timeline.first(), interval_ns);
  out.start = start_index * interval_ns;
  out.buckets = bucket_span(timeline.first(), timeline.last(), interval_ns);

  std::uint64_t total_requests = timeline.other().requests();
  for (const auto& [key, series] : timeline.groups()) total_requests += series.requests();
  // Past max_groups only groups that were never folded anywhere are ranked (see build_top).
  std::uint64_t rank_above =
      timeline.folded() ? 2 * total_requests / std::max<std::size_t>(timeline.options().max_groups, 1) : 0;
  std::vector<Ranked> ranked;
  TimelineCells rest = timeline.other();
  TimelineCells total = timeline.other();
  for (const auto& [key, series] : timeline.groups()) {
    total.absorb(series);
    if (timeline.folded() && series.requests() <= rank_above) {
      rest.absorb(series);
    } else {
      ranked.push_back({analyze::decode_timeline_key(key), &series});
    }
  }
  std::sort(ranked.begin(), ranked.end(), ranks_before);
  std::size_t keep = top == 0 ? ranked.size() : std::min(top, ranked.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    if (i < keep) {
      TimelineSeries series = dense(*ranked[i].series, factor, start_index, out.buckets);
      series.key = ranked[i].key;
      out.series.push_back(std::move(series));
    } else {
      rest.absorb(*ranked[i].series);
    }
  }
  rest.normalize();
  total.normalize();
  out.other = dense(rest, factor, start_index, out.buckets);
  out.other_groups = timeline.distinct_groups() - keep;
  out.total = dense(total, factor, start_index, out.buckets);
  if (timeline.folded()) {
    out.input.warnings.push_back(
        "timeline: more than " + format_count(timeline.options().max_groups) + " distinct groups (about " +
        format_count(timeline.distinct_groups()) + "): to bound memory only groups with more than " +
        format_count(rank_above) + " requests are ranked, the rest are in (other) " +
        "(--max-groups 0 ranks every group)");
  }
  return out;
}

}  // namespace kubeblame::report
