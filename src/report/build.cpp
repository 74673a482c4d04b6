// Report building: metrics are converted to display units here, once, so every renderer shows
// the same numbers.
#include "kubeblame/report/build.h"

#include <algorithm>
#include <numeric>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/report/duplicate_warnings.h"
#include "kubeblame/report/export_warnings.h"
#include "kubeblame/report/format.h"

namespace kubeblame::report {

namespace {

RowMetrics to_row_metrics(const analyze::GroupMetrics& m, std::uint64_t total_requests,
                          double span_s) {
  RowMetrics r;
  r.requests = m.requests;
  r.share = total_requests ? static_cast<double>(m.requests) / static_cast<double>(total_requests) : 0;
  if (span_s > 0) r.rate_per_s = static_cast<double>(m.requests) / span_s;
  r.errors = m.errors;
  r.watches = m.watches;
  r.throttled = m.throttled;
  r.traced = m.traced;
  if (m.traced > 0) {
    r.etcd_s = static_cast<double>(m.etcd_ns) / 1e9;
    r.webhook_s = static_cast<double>(m.webhook_ns) / 1e9;
    r.apf_wait_s = static_cast<double>(m.apf_wait_ns) / 1e9;
  }
  r.mutations = m.mutations;
  r.failed_open = m.failed_open;
  if (m.latency.count() > 0) {
    r.cost_s = static_cast<double>(m.cost_ns) / 1e9;
    r.p50_ms = m.latency.quantile(0.50) / 1000.0;
    r.p95_ms = m.latency.quantile(0.95) / 1000.0;
    r.p99_ms = m.latency.quantile(0.99) / 1000.0;
    r.max_ms = static_cast<double>(m.max_ns) / 1e6;
  }
  if (m.first <= m.last) {
    r.first = m.first;
    r.last = m.last;
  }
  return r;
}


// Past --max-groups, a group is only ever folded while it holds at most 2N/max_groups requests
// (N: all requests in the table): folding keeps max_groups/2 groups, and that many groups above
// it would hold more than N requests. Groups at or below that line may have been folded or
// kept depending on how the input was split, so only larger ones are ranked: a steady heavy
// hitter is exact, and the report is the same for any -j and chunk size. 0 when nothing was
// folded.
std::uint64_t rank_threshold(const analyze::GroupTable& table) {
  if (!table.folded()) return 0;
  std::uint64_t total = table.overflow().requests;
  for (std::size_t g = 0; g < table.size(); ++g) total += table.metrics(g).requests;
  return 2 * total / std::max<std::size_t>(table.max_groups(), 1);
}

double sort_value(const analyze::GroupMetrics& m, SortKey sort) {
  switch (sort) {
    case SortKey::kRequests: return static_cast<double>(m.requests);
    case SortKey::kCost: return m.latency.count() ? static_cast<double>(m.cost_ns) : -1.0;
    case SortKey::kErrors: return static_cast<double>(m.errors);
    case SortKey::kP99: return m.latency.count() ? m.latency.quantile(0.99) : -1.0;
  }
  return 0;
}

// The groups to rank, best first: by the sort key, then requests, then the key's text.
std::vector<std::size_t> ranked_groups(const analyze::GroupTable& table, SortKey sort,
                                       std::uint64_t rank_above) {
  std::vector<std::size_t> order(table.size());
  std::iota(order.begin(), order.end(), 0);
  if (table.folded()) {
    std::erase_if(order, [&](std::size_t g) { return table.metrics(g).requests <= rank_above; });
  }
  std::vector<double> sort_values(table.size());
  for (std::size_t g = 0; g < table.size(); ++g) {
    sort_values[g] = sort_value(table.metrics(g), sort);
  }
  std::size_t width = table.dimensions().size();
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (sort_values[a] != sort_values[b]) return sort_values[a] > sort_values[b];
    if (table.metrics(a).requests != table.metrics(b).requests) {
      return table.metrics(a).requests > table.metrics(b).requests;
    }
    for (std::size_t d = 0; d < width; ++d) {
      int c = table.key(a, d).compare(table.key(b, d));
      if (c != 0) return c < 0;
    }
    return false;
  });
  return order;
}

Row group_row(const analyze::GroupTable& table, std::size_t g, std::uint64_t total_requests,
              double span_s) {
  Row row;
  for (std::size_t d = 0; d < table.dimensions().size(); ++d) row.key.emplace_back(table.key(g, d));
  row.metrics = to_row_metrics(table.metrics(g), total_requests, span_s);
  return row;
}

// (other): the ranked groups past the first `keep`, and past --max-groups the folded groups'
// requests (in the overflow) and the groups too small to rank, so that rows plus (other) always
// add up to every request.
OtherRow other_row(const analyze::GroupTable& table, const std::vector<std::size_t>& order,
                   std::size_t keep, std::uint64_t rank_above, std::uint64_t total_requests,
                   double span_s) {
  analyze::GroupMetrics rest = table.overflow();
  for (std::size_t i = keep; i < order.size(); ++i) rest.merge(table.metrics(order[i]));
  if (table.folded()) {
    for (std::size_t g = 0; g < table.size(); ++g) {
      if (table.metrics(g).requests <= rank_above) rest.merge(table.metrics(g));
    }
  }
  OtherRow other;
  other.groups = table.distinct_groups() - keep;
  other.metrics = to_row_metrics(rest, total_requests, span_s);
  return other;
}

}  // namespace

std::string_view sort_key_name(SortKey sort) {
  switch (sort) {
    case SortKey::kRequests: return "requests";
    case SortKey::kCost: return "cost";
    case SortKey::kErrors: return "errors";
    case SortKey::kP99: return "p99";
  }
  return "requests";
}

InputSummary build_input_summary(const analyze::InputStats& stats,
                                 const std::vector<std::string>& files) {
  InputSummary s;
  s.files = files;
  for (std::size_t i = 0; i < stats.formats.size(); ++i) {
    if (stats.formats[i] == 0) continue;
    s.formats.emplace_back(decode::format_name(static_cast<decode::Format>(i)), stats.formats[i]);
  }
  s.lines = stats.lines;
  s.decoded = stats.decoded;
  s.events = stats.events;
  s.log_lines = stats.log_lines;
  s.requests = stats.requests;
  s.filtered = stats.filtered;
  for (std::size_t i = 0; i < stats.skipped.size(); ++i) {
    if (stats.skipped[i] == 0) continue;
    s.skipped.emplace_back(decode::skip_reason_name(static_cast<decode::SkipReason>(i)),
                           stats.skipped[i]);
  }
  s.skipped_total = stats.skipped_total();
  s.sampled_skips = stats.strict_skipped();
  if (stats.has_time()) {
    s.first = stats.first;
    s.last = stats.last;
  }
  for (const analyze::SkipSample& sample : stats.samples) {
    std::string file = sample.input < files.size() ? files[sample.input] : "?";
    if (file == "-") file = "<stdin>";
    s.samples.push_back(file + ":" + std::to_string(sample.line) + ": " +
                        std::string(decode::skip_reason_name(sample.reason)));
  }
  s.duplicates = stats.duplicates;
  s.warnings = export_limit_warnings(stats, files);
  for (std::string& warning : duplicate_warnings(stats, files)) {
    s.warnings.push_back(std::move(warning));
  }
  return s;
}

TopReport build_top(const analyze::GroupTable& table, const InputSummary& input, SortKey sort,
                    std::size_t top) {
  TopReport report;
  report.sort = std::string(sort_key_name(sort));
  report.top = top;
  report.input = input;
  for (analyze::Dimension d : table.dimensions()) {
    report.by.emplace_back(analyze::dimension_name(d));
  }
  double span_s = 0;
  if (input.first && input.last) span_s = static_cast<double>(*input.last - *input.first) / 1e9;

  std::uint64_t rank_above = rank_threshold(table);
  std::vector<std::size_t> order = ranked_groups(table, sort, rank_above);
  std::size_t keep = top == 0 ? order.size() : std::min(top, order.size());
  for (std::size_t i = 0; i < keep; ++i) {
    report.rows.push_back(group_row(table, order[i], input.requests, span_s));
  }
  if (keep < order.size() || table.folded()) {
    report.other = other_row(table, order, keep, rank_above, input.requests, span_s);
  }
  if (table.folded()) {
    report.input.warnings.push_back(
        "more than " + format_count(table.max_groups()) + " distinct groups (about " +
        format_count(table.distinct_groups()) + "): to bound memory only groups with more than " +
        format_count(rank_above) + " requests are ranked, the rest are in (other) " +
        "(--max-groups 0 ranks every group)");
  }
  return report;
}

RowMetrics build_total(const analyze::GroupTable& table, const InputSummary& input) {
  analyze::GroupMetrics all = table.overflow();
  for (std::size_t g = 0; g < table.size(); ++g) all.merge(table.metrics(g));
  double span_s = 0;
  if (input.first && input.last) span_s = static_cast<double>(*input.last - *input.first) / 1e9;
  return to_row_metrics(all, input.requests, span_s);
}

std::vector<std::string> describe_filter(const analyze::RecordFilter& filter) {
  std::vector<std::string> out;
  if (filter.since) out.push_back("since " + format_rfc3339(*filter.since));
  if (filter.until) out.push_back("until " + format_rfc3339(*filter.until));
  for (const analyze::WhereClause& clause : filter.where) {
    out.push_back("where " + std::string(analyze::dimension_name(clause.dimension)) +
                  std::string(analyze::where_op_text(clause.op)) + clause.value);
  }
  return out;
}

}  // namespace kubeblame::report
