// build_top: ranking, ties by key text, the --top cut and the (other) row's merged metrics;
// build_input_summary: only what was seen, samples as file:line: reason.
#include "kubeblame/report/build.h"

#include <catch2/catch.hpp>

#include "kubeblame/model/time.h"

namespace kubeblame::report {
namespace {

using analyze::Dimension;
using analyze::GroupTable;
using analyze::RequestFacts;

constexpr model::TimeNs kSecond = model::kNsPerSecond;
constexpr model::TimeNs kMs = 1'000'000;
constexpr model::TimeNs kT = 1719776474LL * kSecond;

void add(GroupTable& table, std::string_view agent, int count, std::int64_t latency_ns,
         bool error = false, model::TimeNs time = kT, bool long_running = false) {
  std::string_view key[] = {agent};
  for (int i = 0; i < count; ++i) table.add(key, RequestFacts{time, latency_ns, error, long_running});
}

InputSummary input_of(std::uint64_t requests, model::TimeNs span) {
  InputSummary input;
  input.requests = requests;
  input.first = kT;
  input.last = kT + span;
  return input;
}

std::vector<std::string> first_keys(const TopReport& report) {
  std::vector<std::string> keys;
  for (const Row& row : report.rows) keys.push_back(row.key.at(0));
  return keys;
}

TEST_CASE("build_top ranks by requests, ties by key text, and folds the rest", "[report][build]") {
  GroupTable table({Dimension::kAgent});
  add(table, "delta", 1, 40 * kMs, true, kT + 9 * kSecond);
  add(table, "bravo", 5, 2 * kMs, false, kT + 3 * kSecond);
  add(table, "charlie", 10, 1 * kMs);
  add(table, "alpha", 5, 4 * kMs, true, kT + 1 * kSecond);
  add(table, "echo", 2, -1, false, kT + 5 * kSecond, true);  // watches
  TopReport report = build_top(table, input_of(23, 10 * kSecond), SortKey::kRequests, 2);

  CHECK(report.by == std::vector<std::string>{"agent"});
  CHECK(report.sort == "requests");
  CHECK(report.top == 2);
  CHECK(report.input.requests == 23);
  CHECK(first_keys(report) == std::vector<std::string>{"charlie", "alpha"});
  const RowMetrics& charlie = report.rows[0].metrics;
  CHECK(charlie.requests == 10);
  CHECK(charlie.share == Approx(10.0 / 23));
  REQUIRE(charlie.rate_per_s);
  CHECK(*charlie.rate_per_s == Approx(1.0));
  CHECK(charlie.errors == 0);
  REQUIRE(charlie.p50_ms);
  CHECK(*charlie.p50_ms == Approx(1.0).epsilon(0.01));
  CHECK(*charlie.max_ms == Approx(1.0));
  CHECK(charlie.cost_s == Approx(0.010));
  CHECK(charlie.first == kT);
  CHECK(charlie.last == kT);
  const RowMetrics& alpha = report.rows[1].metrics;
  CHECK(alpha.errors == 5);
  CHECK(alpha.cost_s == Approx(0.020));

  REQUIRE(report.other);
  CHECK(report.other->groups == 3);  // bravo, echo, delta
  const RowMetrics& other = report.other->metrics;
  CHECK(other.requests == 8);
  CHECK(other.share == Approx(8.0 / 23));
  CHECK(*other.rate_per_s == Approx(0.8));
  CHECK(other.errors == 1);
  CHECK(other.watches == 2);
  CHECK(other.cost_s == Approx(0.050));  // 5 x 2 ms + 40 ms
  REQUIRE(other.max_ms);
  CHECK(*other.max_ms == Approx(40.0));
  CHECK(*other.p50_ms == Approx(2.0).epsilon(0.01));  // 6 latencies: five of 2 ms, one of 40
  CHECK(*other.p99_ms == Approx(40.0).epsilon(0.01));
  CHECK(other.first == kT + 3 * kSecond);
  CHECK(other.last == kT + 9 * kSecond);
}

TEST_CASE("build_top: --top 0 and a --top beyond the groups keep everything", "[report][build]") {
  GroupTable table({Dimension::kAgent});
  add(table, "b", 2, 1000);
  add(table, "a", 2, 1000);
  add(table, "c", 3, 1000);
  for (std::size_t top : {0, 3, 100}) {
    TopReport report = build_top(table, input_of(7, 0), SortKey::kRequests, top);
    CHECK(first_keys(report) == std::vector<std::string>{"c", "a", "b"});
    CHECK_FALSE(report.other);
    CHECK_FALSE(report.rows[0].metrics.rate_per_s);  // no time span, no rate
  }
}

TEST_CASE("build_top sorts by cost, errors and p99", "[report][build]") {
  GroupTable table({Dimension::kAgent});
  add(table, "many-fast", 100, 1 * kMs);           // cost 100 ms, p99 1 ms
  add(table, "few-slow", 2, 500 * kMs, true);      // cost 1000 ms, p99 500 ms, 2 errors
  add(table, "erroring", 10, 2 * kMs, true);       // cost 20 ms, 10 errors
  add(table, "watcher", 50, -1, false, kT, true);  // no latency at all
  auto order = [&](SortKey sort) {
    return first_keys(build_top(table, input_of(162, 0), sort, 0));
  };
  CHECK(order(SortKey::kRequests) ==
        std::vector<std::string>{"many-fast", "watcher", "erroring", "few-slow"});
  CHECK(order(SortKey::kCost) ==
        std::vector<std::string>{"few-slow", "many-fast", "erroring", "watcher"});
  add(table, "instant", 1, 0);  // a measured cost of 0 ranks above no cost at all
  CHECK(order(SortKey::kCost) ==
        std::vector<std::string>{"few-slow", "many-fast", "erroring", "instant", "watcher"});
  CHECK(order(SortKey::kErrors) ==
        std::vector<std::string>{"erroring", "few-slow", "many-fast", "watcher", "instant"});
  CHECK(order(SortKey::kP99) ==
        std::vector<std::string>{"few-slow", "erroring", "many-fast", "instant", "watcher"});
  TopReport report = build_top(table, input_of(162, 0), SortKey::kP99, 0);
  CHECK(report.sort == "p99");
  const RowMetrics& watcher = report.rows[4].metrics;
  CHECK_FALSE(watcher.p50_ms);
  CHECK_FALSE(watcher.max_ms);
  CHECK(watcher.watches == 50);
  CHECK_FALSE(watcher.cost_s);  // no latency: no cost either, never 0
}

TEST_CASE("build_top: equal metrics rank by every key column in order", "[report][build]") {
  GroupTable table({Dimension::kVerb, Dimension::kResource});
  for (auto [verb, resource] : {std::pair{"list", "pods"}, {"get", "secrets"}, {"get", "pods"},
                                {"list", "configmaps"}}) {
    std::string_view key[] = {verb, resource};
    table.add(key, RequestFacts{kT, 1000, false, false});
  }
  TopReport report = build_top(table, input_of(4, 0), SortKey::kRequests, 0);
  REQUIRE(report.rows.size() == 4);
  CHECK(report.by == std::vector<std::string>{"verb", "resource"});
  CHECK(report.rows[0].key == std::vector<std::string>{"get", "pods"});
  CHECK(report.rows[1].key == std::vector<std::string>{"get", "secrets"});
  CHECK(report.rows[2].key == std::vector<std::string>{"list", "configmaps"});
  CHECK(report.rows[3].key == std::vector<std::string>{"list", "pods"});
}

TEST_CASE("build_input_summary keeps what was seen, in contract names", "[report][build]") {
  analyze::InputStats stats;
  stats.lines = 9;
  stats.decoded = 6;
  stats.events = 6;
  stats.requests = 4;
  stats.formats[static_cast<std::size_t>(decode::Format::kAuditJsonLines)] = 5;
  stats.formats[static_cast<std::size_t>(decode::Format::kAzureStorage)] = 4;
  stats.skipped[static_cast<std::size_t>(decode::SkipReason::kTruncated)] = 2;
  stats.skipped[static_cast<std::size_t>(decode::SkipReason::kTooLong)] = 1;
  stats.add_sample({1, 40, decode::SkipReason::kTooLong});
  stats.add_sample({0, 3, decode::SkipReason::kTruncated});
  stats.add_sample({7, 1, decode::SkipReason::kTruncated});
  InputSummary s = build_input_summary(stats, {"-", "b.log"});
  CHECK(s.files == std::vector<std::string>{"-", "b.log"});
  using Counts = std::vector<std::pair<std::string, std::uint64_t>>;
  CHECK(s.formats == Counts{{"audit-jsonl", 5}, {"azure-storage", 4}});
  CHECK(s.skipped == Counts{{"truncated", 2}, {"too_long", 1}});
  CHECK(s.skipped_total == 3);
  CHECK(s.lines == 9);
  CHECK(s.requests == 4);
  CHECK_FALSE(s.first);
  CHECK(s.samples ==
        std::vector<std::string>{"<stdin>:3: truncated", "b.log:40: too_long", "?:1: truncated"});
  stats.first = kT;
  stats.last = kT + kSecond;
  InputSummary timed = build_input_summary(stats, {});
  CHECK(timed.first == kT);
  CHECK(timed.last == kT + kSecond);
  CHECK(sort_key_name(SortKey::kCost) == "cost");
  CHECK(sort_key_name(SortKey::kErrors) == "errors");
}

}  // namespace
}  // namespace kubeblame::report
