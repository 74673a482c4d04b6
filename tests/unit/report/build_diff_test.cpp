// build_diff: rates over each side's own span, the join by key (new, gone), ranking by the
// absolute change with deterministic ties, the --top cut into (other), the total, a side with a
// zero span and a side with no events.
#include <catch2/catch.hpp>

#include "kubeblame/model/time.h"
#include "kubeblame/report/build.h"

namespace kubeblame::report {
namespace {

using analyze::Dimension;
using analyze::GroupTable;
using analyze::RequestFacts;

constexpr model::TimeNs kSecond = model::kNsPerSecond;
constexpr model::TimeNs kMs = 1'000'000;
constexpr model::TimeNs kT = 1740472800LL * kSecond;  // 2025-02-25T08:40:00Z

void add(GroupTable& table, std::string_view agent, int count, std::int64_t latency_ns = 10 * kMs,
         bool error = false) {
  std::string_view key[] = {agent};
  for (int i = 0; i < count; ++i) table.add(key, RequestFacts{kT, latency_ns, error, false});
}

InputSummary input_of(std::uint64_t requests, std::optional<model::TimeNs> span) {
  InputSummary input;
  input.requests = requests;
  if (span) {
    input.first = kT;
    input.last = kT + *span;
  }
  return input;
}

std::vector<std::string> keys(const DiffReport& report) {
  std::vector<std::string> out;
  for (const DiffRow& row : report.rows) out.push_back(row.key.at(0));
  return out;
}

const DiffRow& row_of(const DiffReport& report, std::string_view key) {
  for (const DiffRow& row : report.rows) {
    if (row.key.at(0) == key) return row;
  }
  FAIL("no row " << key);
  return report.rows.front();
}

TEST_CASE("build_diff divides each side's counts by its own span", "[report][diff]") {
  GroupTable before({Dimension::kAgent});
  GroupTable after({Dimension::kAgent});
  add(before, "argocd", 100, 20 * kMs, true);  // 100 requests in 100 s: 1/s, all errors
  add(after, "argocd", 100, 10 * kMs);         // 100 requests in 50 s: 2/s, none
  InputSummary in_before = input_of(100, 100 * kSecond);
  InputSummary in_after = input_of(100, 50 * kSecond);
  DiffReport report =
      build_diff({before, in_before, "b/"}, {after, in_after, "a.log"}, DiffSort::kRate, 20);

  CHECK(report.before.label == "b/");
  CHECK(report.after.label == "a.log");
  CHECK(report.before.span_s == 100);
  CHECK(report.after.span_s == 50);
  REQUIRE(report.rows.size() == 1);
  const DiffRow& row = report.rows[0];
  CHECK(row.status == DiffStatus::kBoth);
  CHECK(*row.before.metrics.rate_per_s == Approx(1.0));
  CHECK(*row.after.metrics.rate_per_s == Approx(2.0));
  CHECK(row.before.errors_per_s == Approx(1.0));
  CHECK(row.after.errors_per_s == 0);
  CHECK(row.before.cost_s_per_s == Approx(2.0 / 100));  // 100 × 20 ms over 100 s
  CHECK(row.after.cost_s_per_s == Approx(1.0 / 50));
  CHECK(row.change.requests == 0);
  CHECK(row.change.errors == -100);
  CHECK(row.change.rate_per_s == Approx(1.0));
  REQUIRE(row.change.rate_pct);
  CHECK(*row.change.rate_pct == Approx(100.0));
  REQUIRE(row.change.errors_pct);
  CHECK(*row.change.errors_pct == Approx(-100.0));
  REQUIRE(row.change.cost_pct);
  CHECK(*row.change.cost_pct == Approx(0.0).margin(1e-9));
  CHECK(row.change.cost_s == Approx(-1.0));
}

TEST_CASE("build_diff keeps groups of one side as new and gone, the other side at 0",
          "[report][diff]") {
  GroupTable before({Dimension::kAgent});
  GroupTable after({Dimension::kAgent});
  add(before, "kubelet", 10);
  add(before, "argocd", 4);
  add(after, "kubelet", 10);
  add(after, "flux", 6);
  InputSummary in_before = input_of(14, 10 * kSecond);
  InputSummary in_after = input_of(16, 10 * kSecond);
  DiffReport report =
      build_diff({before, in_before, "b"}, {after, in_after, "a"}, DiffSort::kRate, 0);

  CHECK(keys(report) == std::vector<std::string>{"flux", "argocd", "kubelet"});
  const DiffRow& flux = row_of(report, "flux");
  CHECK(flux.status == DiffStatus::kNew);
  CHECK(flux.before.metrics.requests == 0);
  CHECK(*flux.before.metrics.rate_per_s == 0);
  CHECK_FALSE(flux.before.metrics.p50_ms);
  CHECK_FALSE(flux.change.rate_pct);  // nothing before: no relative change
  CHECK(flux.change.requests == 6);
  const DiffRow& argocd = row_of(report, "argocd");
  CHECK(argocd.status == DiffStatus::kGone);
  CHECK(argocd.after.metrics.requests == 0);
  CHECK(*argocd.change.rate_pct == Approx(-100.0));
  CHECK(row_of(report, "kubelet").status == DiffStatus::kBoth);
  CHECK(diff_status_name(DiffStatus::kNew) == "new");
  CHECK(diff_status_name(DiffStatus::kGone) == "gone");
  CHECK_FALSE(report.other);
  CHECK(report.total.groups == 3);
  CHECK(report.total.before.metrics.requests == 14);
  CHECK(report.total.after.metrics.requests == 16);
  CHECK(*report.total.change.rate_pct == Approx(100.0 * (1.6 - 1.4) / 1.4));
}

TEST_CASE("build_diff ranks by the absolute change, ties by requests/s then key text",
          "[report][diff]") {
  GroupTable before({Dimension::kAgent});
  GroupTable after({Dimension::kAgent});
  add(before, "up", 10);
  add(after, "up", 30);  // +2/s
  add(before, "down", 30);
  add(after, "down", 10);  // -2/s: the same size of change as "up"
  add(before, "big", 100);
  add(after, "big", 50);  // -5/s
  add(before, "same", 7);
  add(after, "same", 7);  // 0
  add(before, "errors", 5, 10 * kMs, true);
  add(after, "errors", 4, 10 * kMs, false);  // -0.1/s, but -0.5 errors/s
  InputSummary in_before = input_of(152, 10 * kSecond);
  InputSummary in_after = input_of(101, 10 * kSecond);

  DiffReport by_rate =
      build_diff({before, in_before, "b"}, {after, in_after, "a"}, DiffSort::kRate, 0);
  CHECK(keys(by_rate) == std::vector<std::string>{"big", "down", "up", "errors", "same"});
  CHECK(by_rate.sort == "rate");

  DiffReport by_errors =
      build_diff({before, in_before, "b"}, {after, in_after, "a"}, DiffSort::kErrors, 0);
  // Only "errors" changed its errors/s; the rest tie at 0 and fall back to the rate order.
  CHECK(keys(by_errors) == std::vector<std::string>{"errors", "big", "down", "up", "same"});
  CHECK(by_errors.sort == "errors");

  DiffReport by_cost =
      build_diff({before, in_before, "b"}, {after, in_after, "a"}, DiffSort::kCost, 0);
  // Every request costs 10 ms, so cost follows the request rate.
  CHECK(keys(by_cost) == std::vector<std::string>{"big", "down", "up", "errors", "same"});

  // The same inputs give the same order whatever order the groups were added in.
  GroupTable before_reversed({Dimension::kAgent});
  GroupTable after_reversed({Dimension::kAgent});
  add(before_reversed, "errors", 5, 10 * kMs, true);
  add(after_reversed, "errors", 4, 10 * kMs, false);
  add(before_reversed, "same", 7);
  add(after_reversed, "same", 7);
  add(before_reversed, "big", 100);
  add(after_reversed, "big", 50);
  add(before_reversed, "down", 30);
  add(after_reversed, "down", 10);
  add(before_reversed, "up", 10);
  add(after_reversed, "up", 30);
  DiffReport reversed = build_diff({before_reversed, in_before, "b"},
                                   {after_reversed, in_after, "a"}, DiffSort::kRate, 0);
  CHECK(keys(reversed) == keys(by_rate));
}

TEST_CASE("build_diff keeps --top rows and sums the rest into (other)", "[report][diff]") {
  GroupTable before({Dimension::kAgent});
  GroupTable after({Dimension::kAgent});
  add(before, "a", 50, 10 * kMs);
  add(before, "b", 20, 20 * kMs, true);
  add(before, "c", 10, 30 * kMs);
  add(after, "b", 5, 20 * kMs);
  add(after, "c", 10, 30 * kMs);
  add(after, "d", 3, 40 * kMs, true);
  InputSummary in_before = input_of(80, 10 * kSecond);
  InputSummary in_after = input_of(18, 10 * kSecond);
  DiffReport report =
      build_diff({before, in_before, "b"}, {after, in_after, "a"}, DiffSort::kRate, 1);

  CHECK(keys(report) == std::vector<std::string>{"a"});
  REQUIRE(report.other);
  CHECK(report.other->groups == 3);
  CHECK(report.other->before.metrics.requests == 30);
  CHECK(report.other->after.metrics.requests == 18);
  CHECK(report.other->before.metrics.errors == 20);
  CHECK(report.other->after.metrics.errors == 3);
  CHECK(report.other->before.metrics.cost_s == Approx(0.7));  // 20 × 20 ms + 10 × 30 ms
  CHECK(*report.other->after.metrics.rate_per_s == Approx(1.8));
  CHECK_FALSE(report.other->before.metrics.p50_ms);  // percentiles do not add up
  CHECK(report.other->change.requests == -12);
  CHECK(report.total.groups == 4);
  CHECK(report.total.before.metrics.requests == 80);
  CHECK(report.total.after.metrics.requests == 18);
  CHECK(report.total.before.metrics.p50_ms);  // the total merges the sketches
  CHECK(report.total.change.errors == -17);
  CHECK(report.total.before.cost_s_per_s == Approx(1.2 / 10));
}

TEST_CASE("build_diff counts a side shorter than a second, or without times, as 1 s",
          "[report][diff]") {
  GroupTable before({Dimension::kAgent});
  GroupTable after({Dimension::kAgent});
  add(before, "kubectl", 1);  // one event: first == last
  add(after, "kubectl", 3);
  InputSummary in_before = input_of(1, 0);
  InputSummary in_after = input_of(3, std::nullopt);  // no record times at all
  DiffReport report =
      build_diff({before, in_before, "b"}, {after, in_after, "a"}, DiffSort::kRate, 20);
  CHECK(report.before.span_s == 1);
  CHECK(report.after.span_s == 1);
  CHECK(*report.rows.at(0).before.metrics.rate_per_s == 1);
  CHECK(*report.rows.at(0).after.metrics.rate_per_s == 3);
  CHECK(*report.rows.at(0).change.rate_pct == Approx(200.0));

  InputSummary half_second = input_of(1, kSecond / 2);
  CHECK(build_diff({before, half_second, "b"}, {after, in_after, "a"}, DiffSort::kRate, 20)
            .before.span_s == 1);
  InputSummary ninety_seconds = input_of(1, 90 * kSecond + kSecond / 2);
  CHECK(build_diff({before, ninety_seconds, "b"}, {after, in_after, "a"}, DiffSort::kRate, 20)
            .before.span_s == Approx(90.5));
}

TEST_CASE("build_diff of a side with no events: every group gone, its rates 0", "[report][diff]") {
  GroupTable before({Dimension::kAgent});
  GroupTable after({Dimension::kAgent});
  add(before, "kubelet", 6);
  add(before, "argocd", 2);
  InputSummary in_before = input_of(8, 4 * kSecond);
  InputSummary in_after = input_of(0, std::nullopt);
  DiffReport report =
      build_diff({before, in_before, "b"}, {after, in_after, "a"}, DiffSort::kRate, 20);
  CHECK(keys(report) == std::vector<std::string>{"kubelet", "argocd"});
  for (const DiffRow& row : report.rows) CHECK(row.status == DiffStatus::kGone);
  CHECK(report.total.after.metrics.requests == 0);
  CHECK(*report.total.after.metrics.rate_per_s == 0);
  CHECK(*report.total.change.rate_pct == Approx(-100.0));
  CHECK_FALSE(report.total.after.metrics.p50_ms);
}

}  // namespace
}  // namespace kubeblame::report
