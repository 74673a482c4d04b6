// `diff`: each side is built like `top` with every group kept (so --max-groups folding and its
// warning are the same), the rows are joined by key, and each side's counts become rates over
// that side's own span, so a 20-minute BEFORE and a 2-hour AFTER compare fairly.
#include <algorithm>
#include <cmath>
#include <map>

#include "kubeblame/report/build.h"

namespace kubeblame::report {

namespace {

using Key = std::vector<std::string>;

// A side that spans less than a second (one event, one instant, no times) counts as 1 s long,
// so its rates are its counts rather than infinite.
double side_span_s(const InputSummary& input) {
  if (!input.first || !input.last) return 1;
  return std::max(1.0, static_cast<double>(*input.last - *input.first) / 1e9);
}

DiffMetrics side_metrics(RowMetrics metrics, double span_s) {
  DiffMetrics out;
  metrics.rate_per_s = static_cast<double>(metrics.requests) / span_s;
  out.errors_per_s = static_cast<double>(metrics.errors) / span_s;
  // A side without requests cost nothing; one whose requests carry no latency has no cost.
  if (metrics.requests == 0 && !metrics.cost_s) metrics.cost_s = 0.0;
  if (metrics.cost_s) out.cost_s_per_s = *metrics.cost_s / span_s;
  out.metrics = std::move(metrics);
  return out;
}

std::optional<double> percent(double before, double after) {
  if (before <= 0) return std::nullopt;
  return 100.0 * (after - before) / before;
}

std::int64_t difference(std::uint64_t before, std::uint64_t after) {
  return static_cast<std::int64_t>(after) - static_cast<std::int64_t>(before);
}

DiffChange change_of(const DiffMetrics& before, const DiffMetrics& after) {
  DiffChange c;
  c.requests = difference(before.metrics.requests, after.metrics.requests);
  c.errors = difference(before.metrics.errors, after.metrics.errors);
  if (before.metrics.cost_s && after.metrics.cost_s) c.cost_s = *after.metrics.cost_s - *before.metrics.cost_s;
  double rate_before = before.metrics.rate_per_s.value_or(0);
  double rate_after = after.metrics.rate_per_s.value_or(0);
  c.rate_per_s = rate_after - rate_before;
  c.errors_per_s = after.errors_per_s - before.errors_per_s;
  if (before.cost_s_per_s && after.cost_s_per_s) c.cost_s_per_s = *after.cost_s_per_s - *before.cost_s_per_s;
  c.rate_pct = percent(rate_before, rate_after);
  c.errors_pct = percent(before.errors_per_s, after.errors_per_s);
  if (c.cost_s_per_s) c.cost_pct = percent(*before.cost_s_per_s, *after.cost_s_per_s);
  return c;
}

// The metrics that add up (counts, cost, share, time range); percentiles do not.
void add_metrics(RowMetrics& sum, const RowMetrics& m) {
  sum.requests += m.requests;
  sum.share += m.share;
  sum.errors += m.errors;
  if (m.cost_s) sum.cost_s = sum.cost_s.value_or(0) + *m.cost_s;
  sum.watches += m.watches;
  if (m.first && (!sum.first || *m.first < *sum.first)) sum.first = m.first;
  if (m.last && (!sum.last || *m.last > *sum.last)) sum.last = m.last;
}

struct Side {
  TopReport top;  // every group; `other` holds only what --max-groups folded
  double span_s = 1;
};

struct Joined {
  RowMetrics before, after;
  bool in_before = false, in_after = false;
};

std::map<Key, Joined> join(const Side& before, const Side& after) {
  std::map<Key, Joined> joined;
  for (const Row& row : before.top.rows) {
    Joined& j = joined[row.key];
    j.before = row.metrics;
    j.in_before = true;
  }
  for (const Row& row : after.top.rows) {
    Joined& j = joined[row.key];
    j.after = row.metrics;
    j.in_after = true;
  }
  return joined;
}

DiffRow diff_row(const Key& key, const Joined& joined, const Side& before, const Side& after) {
  DiffRow row;
  row.key = key;
  row.status = !joined.in_before  ? DiffStatus::kNew
               : !joined.in_after ? DiffStatus::kGone
                                  : DiffStatus::kBoth;
  row.before = side_metrics(joined.before, before.span_s);
  row.after = side_metrics(joined.after, after.span_s);
  row.change = change_of(row.before, row.after);
  return row;
}

double sort_change(const DiffChange& change, DiffSort sort) {
  switch (sort) {
    case DiffSort::kRate: return std::abs(change.rate_per_s);
    case DiffSort::kCost: return std::abs(change.cost_s_per_s.value_or(0));
    case DiffSort::kErrors: return std::abs(change.errors_per_s);
  }
  return 0;
}

// Largest absolute change first; ties: the change in requests/s, then the key's text (keys are
// unique, so the order is total and the same for any -j).
void rank(std::vector<DiffRow>& rows, DiffSort sort) {
  std::sort(rows.begin(), rows.end(), [sort](const DiffRow& a, const DiffRow& b) {
    double change_a = sort_change(a.change, sort);
    double change_b = sort_change(b.change, sort);
    if (change_a != change_b) return change_a > change_b;
    double rate_a = std::abs(a.change.rate_per_s);
    double rate_b = std::abs(b.change.rate_per_s);
    if (rate_a != rate_b) return rate_a > rate_b;
    return a.key < b.key;
  });
}

DiffSum make_sum(std::uint64_t groups, RowMetrics before, RowMetrics after, const Side& b,
                 const Side& a) {
  DiffSum sum;
  sum.groups = groups;
  sum.before = side_metrics(std::move(before), b.span_s);
  sum.after = side_metrics(std::move(after), a.span_s);
  sum.change = change_of(sum.before, sum.after);
  return sum;
}

// The rows past `keep`, plus what --max-groups folded on either side.
DiffSum other_sum(const std::vector<DiffRow>& rows, std::size_t keep, const Side& b,
                  const Side& a) {
  RowMetrics before, after;
  std::uint64_t groups = rows.size() - keep;
  for (std::size_t i = keep; i < rows.size(); ++i) {
    add_metrics(before, rows[i].before.metrics);
    add_metrics(after, rows[i].after.metrics);
  }
  if (b.top.other) {
    add_metrics(before, b.top.other->metrics);
    groups += b.top.other->groups;
  }
  if (a.top.other) {
    add_metrics(after, a.top.other->metrics);
    groups += a.top.other->groups;
  }
  return make_sum(groups, before, after, b, a);
}

}  // namespace

std::string_view diff_sort_name(DiffSort sort) {
  switch (sort) {
    case DiffSort::kRate: return "rate";
    case DiffSort::kCost: return "cost";
    case DiffSort::kErrors: return "errors";
  }
  return "rate";
}

std::string_view diff_status_name(DiffStatus status) {
  switch (status) {
    case DiffStatus::kBoth: return "both";
    case DiffStatus::kNew: return "new";
    case DiffStatus::kGone: return "gone";
  }
  return "both";
}

DiffReport build_diff(const DiffInput& before, const DiffInput& after, DiffSort sort,
                      std::size_t top) {
  Side b{build_top(before.table, before.input, SortKey::kRequests, 0), side_span_s(before.input)};
  Side a{build_top(after.table, after.input, SortKey::kRequests, 0), side_span_s(after.input)};
  DiffReport report;
  report.by = b.top.by;
  report.sort = std::string(diff_sort_name(sort));
  report.top = top;
  report.before = {before.label, b.top.input, b.span_s};
  report.after = {after.label, a.top.input, a.span_s};
  for (const auto& [key, joined] : join(b, a)) report.rows.push_back(diff_row(key, joined, b, a));
  rank(report.rows, sort);
  std::uint64_t folded =
      (b.top.other ? b.top.other->groups : 0) + (a.top.other ? a.top.other->groups : 0);
  report.total = make_sum(report.rows.size() + folded, build_total(before.table, before.input),
                          build_total(after.table, after.input), b, a);
  std::size_t keep = top == 0 ? report.rows.size() : std::min(top, report.rows.size());
  if (keep < report.rows.size() || b.top.other || a.top.other)
    report.other = other_sum(report.rows, keep, b, a);
  report.rows.resize(keep);
  return report;
}

}  // namespace kubeblame::report
