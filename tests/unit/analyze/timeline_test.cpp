// Timeline: epoch-aligned buckets, the interval ladder and its coarsening, --interval text,
// exact counts (the the request rule of docs/counting.md, errors, untimed requests), merge equality under random
// splits of the input, and the --max-groups bound.
#include "kubeblame/report/build.h"
#include "kubeblame/analyze/timeline/timeline.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/model/time.h"

using namespace kubeblame;
using analyze::bucket_index;
using analyze::bucket_span;
using analyze::ladder_seconds;
using analyze::ladder_step_for;

namespace {

constexpr std::int64_t kSecond = model::kNsPerSecond;
// 2025-02-25T08:00:00Z
constexpr model::TimeNs kT0 = 1'740'470'400LL * kSecond;

struct Request {
  std::string agent = "kubectl/v1.29.0";
  std::string verb = "get";
  model::TimeNs time = kT0;
  int code = 200;
  model::Stage stage = model::Stage::kResponseComplete;
};

void feed(analyze::Analyzer& analyzer, const Request& r) {
  model::AuditEvent event;
  event.stage = r.stage;
  event.verb = r.verb;
  event.user_agent = r.agent;
  event.code = r.code;
  event.received = r.time;
  event.stage_time = r.time == 0 ? 0 : r.time + 1000;
  analyze::DimensionValues values;
  values.reset(event);
  analyzer.on_event(event, model::is_counted_request(event), values, analyze::EventPosition{});
}

std::unique_ptr<analyze::Analyzer> make(std::vector<analyze::Dimension> by = {analyze::Dimension::kAgent},
                                        std::int64_t interval_s = 0, std::size_t max_groups = 100000) {
  return analyze::timeline_analyzer_factory({std::move(by), interval_s, max_groups})();
}

std::string describe(const report::TimelineReport& r) {
  std::ostringstream out;
  out << r.interval_s << (r.interval_auto ? " auto " : " fixed ") << r.start << ' ' << r.buckets << ' '
      << r.other_groups << ' ' << r.untimed << '\n';
  auto series = [&](const report::TimelineSeries& s) {
    for (const auto& k : s.key) out << k << '|';
    out << s.requests << ' ' << s.errors << ':';
    for (auto c : s.counts) out << ' ' << c;
    out << " /";
    for (auto c : s.error_counts) out << ' ' << c;
    out << '\n';
  };
  for (const auto& s : r.series) series(s);
  out << "other ";
  series(r.other);
  out << "total ";
  series(r.total);
  for (const auto& w : r.input.warnings) out << "warning " << w << '\n';
  return out.str();
}

}  // namespace

TEST_CASE("timeline buckets are aligned to multiples of the interval since the epoch", "[timeline]") {
  CHECK(bucket_index(0, 60 * kSecond) == 0);
  CHECK(bucket_index(59 * kSecond + 999'999'999, 60 * kSecond) == 0);
  CHECK(bucket_index(60 * kSecond, 60 * kSecond) == 1);
  CHECK(bucket_index(-1, 60 * kSecond) == -1);  // before 1970: floor, not truncation
  CHECK(bucket_index(-60 * kSecond, 60 * kSecond) == -1);
  CHECK(bucket_index(-60 * kSecond - 1, 60 * kSecond) == -2);
  CHECK(bucket_index(kT0 + 7 * 60 * kSecond + 5, 300 * kSecond) * 300 * kSecond == kT0 + 300 * kSecond);
  CHECK(bucket_span(kT0, kT0, 60 * kSecond) == 1);
  CHECK(bucket_span(kT0 + 59 * kSecond, kT0 + 60 * kSecond, 60 * kSecond) == 2);
  CHECK(bucket_span(kT0 + 60 * kSecond, kT0, 60 * kSecond) == 0);
}

TEST_CASE("timeline ladder: each step divides the next, and the step fits the span", "[timeline]") {
  std::vector<std::int64_t> first13;
  for (std::size_t i = 0; i < 13; ++i) first13.push_back(ladder_seconds(i));
  CHECK(first13 == std::vector<std::int64_t>{1, 5, 10, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400});
  CHECK(ladder_seconds(13) == 2 * 86400);
  CHECK(ladder_seconds(analyze::ladder_size() - 1) == 65536LL * 86400);
  for (std::size_t i = 0; i + 1 < analyze::ladder_size(); ++i) {
    INFO("step " << i);
    CHECK(ladder_seconds(i + 1) % ladder_seconds(i) == 0);
    CHECK(ladder_seconds(i + 1) > ladder_seconds(i));
  }
  // 08:00:00 .. 08:59:59 is 60 one-minute buckets; one more second needs 61 and so 5m.
  CHECK(ladder_seconds(ladder_step_for(kT0, kT0 + 3599 * kSecond, 60)) == 60);
  CHECK(ladder_seconds(ladder_step_for(kT0, kT0 + 3600 * kSecond, 60)) == 300);
  CHECK(ladder_seconds(ladder_step_for(kT0, kT0, 60)) == 1);
  CHECK(ladder_seconds(ladder_step_for(kT0, kT0 + 59 * kSecond, 60)) == 1);
  CHECK(ladder_seconds(ladder_step_for(kT0, kT0 + 30LL * 86400 * kSecond, 60)) == 86400);
  // Two centuries fit into 60 buckets of the top of the ladder.
  CHECK(ladder_step_for(0, 200LL * 365 * 86400 * kSecond, 60) < analyze::ladder_size());
}

TEST_CASE("timeline --interval text", "[timeline]") {
  CHECK(analyze::parse_interval("30s") == 30);
  CHECK(analyze::parse_interval("90") == 90);
  CHECK(analyze::parse_interval("5m") == 300);
  CHECK(analyze::parse_interval("2h") == 7200);
  CHECK(analyze::parse_interval("1d") == 86400);
  CHECK(analyze::parse_interval("36500d") == 36500LL * 86400);
  CHECK_FALSE(analyze::parse_interval("36501d"));
  CHECK_FALSE(analyze::parse_interval("0s"));
  CHECK_FALSE(analyze::parse_interval("1w"));
  CHECK_FALSE(analyze::parse_interval("m"));
  CHECK_FALSE(analyze::parse_interval("-5m"));
  CHECK_FALSE(analyze::parse_interval("1.5h"));
  CHECK_FALSE(analyze::parse_interval(""));
  CHECK(analyze::format_interval(60) == "1m");
  CHECK(analyze::format_interval(90) == "90s");
  CHECK(analyze::format_interval(7200) == "2h");
  CHECK(analyze::format_interval(172800) == "2d");
}

TEST_CASE("timeline counts exactly: counting rule, errors, untimed, other and total", "[timeline]") {
  auto timeline = make();
  auto at = [](std::int64_t seconds) { return kT0 + seconds * kSecond; };
  // kubectl: 3 requests in 08:00, 1 error at 08:02; argocd: 2 in 08:01; helm: 1 at 08:02.
  feed(*timeline, {"kubectl/v1", "get", at(0), 200});
  feed(*timeline, {"kubectl/v1", "get", at(59), 200});
  feed(*timeline, {"kubectl/v1", "list", at(30), 200});
  feed(*timeline, {"kubectl/v1", "get", at(150), 404});
  feed(*timeline, {"argocd-application-controller/v2", "patch", at(61), 409});
  feed(*timeline, {"argocd-application-controller/v2", "patch", at(119), 200});
  feed(*timeline, {"helm/v3", "get", at(179), 500});
  // Not requests: the first stage, and a ResponseStarted that is not a 401.
  feed(*timeline, {"kubectl/v1", "get", at(10), 200, model::Stage::kRequestReceived});
  feed(*timeline, {"kubectl/v1", "watch", at(10), 200, model::Stage::kResponseStarted});
  // A 401 at ResponseStarted is a request; one without any time is untimed.
  feed(*timeline, {"curl/8", "get", at(5), 401, model::Stage::kResponseStarted});
  feed(*timeline, {"curl/8", "get", 0, 200});

  report::TimelineReport r = report::build_timeline(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*timeline), {}, 2);
  // Span 08:00:00 .. 08:02:59: 180 one-second buckets is too many, 5s gives 36.
  CHECK(r.interval_s == 5);
  CHECK(r.interval_auto);
  CHECK(r.start == kT0);
  CHECK(r.buckets == 36);
  CHECK(r.untimed == 1);
  REQUIRE(r.series.size() == 2);
  CHECK(r.series[0].key == std::vector<std::string>{"kubectl"});
  CHECK(r.series[0].requests == 4);
  CHECK(r.series[0].errors == 1);
  CHECK(r.series[0].counts[0] == 1);
  CHECK(r.series[0].counts[6] == 1);
  CHECK(r.series[0].counts[11] == 1);
  CHECK(r.series[0].counts[30] == 1);
  CHECK(r.series[0].error_counts[30] == 1);
  CHECK(r.series[1].key == std::vector<std::string>{"argocd-application-controller"});
  CHECK(r.series[1].requests == 2);
  CHECK(r.series[1].error_counts[12] == 1);
  // (other): curl (1 timed) and helm (1): ties ranked by key text, so both are beyond the top 2.
  CHECK(r.other_groups == 2);
  CHECK(r.other.requests == 2);
  CHECK(r.other.errors == 2);  // the 401 and the 500
  CHECK(r.other.counts[1] == 1);
  CHECK(r.other.counts[35] == 1);
  CHECK(r.total.requests == 8);
  CHECK(r.total.errors == 4);
  CHECK(r.total.counts.size() == 36);

  auto fixed = make({analyze::Dimension::kAgent, analyze::Dimension::kVerb}, 60);
  feed(*fixed, {"kubectl/v1", "get", at(0), 200});
  feed(*fixed, {"kubectl/v1", "get", at(150), 404});
  feed(*fixed, {"kubectl/v1", "list", at(30), 200});
  report::TimelineReport f = report::build_timeline(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*fixed), {}, 0);
  CHECK_FALSE(f.interval_auto);
  CHECK(f.interval_s == 60);
  CHECK(f.buckets == 3);
  REQUIRE(f.series.size() == 2);
  CHECK(f.series[0].key == std::vector<std::string>{"kubectl", "get"});
  CHECK(f.series[0].counts == std::vector<std::uint64_t>{1, 0, 1});
  CHECK(f.series[0].error_counts == std::vector<std::uint64_t>{0, 0, 1});
  CHECK(f.series[1].counts == std::vector<std::uint64_t>{1, 0, 0});
  CHECK(f.other_groups == 0);
  CHECK(f.total.counts == std::vector<std::uint64_t>{2, 0, 1});
}

TEST_CASE("timeline is the same for any split of the input and any merge order", "[timeline]") {
  std::mt19937_64 rng(20261129);
  const std::vector<std::string> agents = {"kubelet/1", "argocd/2", "dapr/1", "kcm/1", "coredns/1",
                                           "probe/1", "kubectl/1", "helm/3", "flux/2"};
  // Spans from seconds to weeks so workers sit on different ladder steps; times out of order.
  for (std::int64_t span_s : {40LL, 700LL, 4000LL, 90000LL, 3000000LL}) {
    std::vector<Request> requests;
    std::uniform_int_distribution<std::int64_t> when(0, span_s * kSecond);
    for (int i = 0; i < 1500; ++i) {
      std::size_t a = std::min<std::size_t>(rng() % agents.size(), rng() % agents.size());
      // A cluster in time per agent so the workers see very different spans.
      model::TimeNs t = kT0 + (i % 3 == 0 ? when(rng) : when(rng) / static_cast<std::int64_t>(a + 1));
      requests.push_back({agents[a], i % 2 ? "get" : "list", t, rng() % 5 == 0 ? 500 : 200});
    }
    for (std::int64_t interval : {0LL, 3600LL}) {
      for (std::size_t max_groups : {std::size_t{100000}, std::size_t{0}}) {
        auto whole = make({analyze::Dimension::kAgent, analyze::Dimension::kVerb}, interval, max_groups);
        for (const Request& r : requests) feed(*whole, r);
        std::string reference = describe(report::build_timeline(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*whole), {}, 5));
        for (int trial = 0; trial < 15; ++trial) {
          std::size_t parts = 1 + rng() % 6;
          std::vector<std::unique_ptr<analyze::Analyzer>> workers;
          for (std::size_t p = 0; p < parts; ++p) {
            workers.push_back(make({analyze::Dimension::kAgent, analyze::Dimension::kVerb}, interval, max_groups));
          }
          for (const Request& r : requests) feed(*workers[rng() % parts], r);
          std::shuffle(workers.begin(), workers.end(), rng);
          for (std::size_t p = 1; p < parts; ++p) workers[0]->merge_same_type(*workers[p]);
          INFO("span " << span_s << "s interval " << interval << " parts " << parts);
          CHECK(describe(report::build_timeline(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*workers[0]), {}, 5)) == reference);
        }
      }
    }
  }
}

TEST_CASE("timeline past --max-groups: heavy groups stay exact, the rest is (other), with a warning",
          "[timeline]") {
  std::vector<Request> requests;
  for (int i = 0; i < 400; ++i) requests.push_back({"heavy/1", "get", kT0 + i * kSecond, i % 10 == 0 ? 503 : 200});
  for (int i = 0; i < 300; ++i) requests.push_back({"tiny-" + std::to_string(i) + "/1", "get", kT0 + i * kSecond, 200});
  std::mt19937_64 rng(7);
  std::shuffle(requests.begin(), requests.end(), rng);
  std::string reference;
  for (std::size_t parts : {1, 2, 5}) {
    std::vector<std::unique_ptr<analyze::Analyzer>> workers;
    for (std::size_t p = 0; p < parts; ++p) workers.push_back(make({analyze::Dimension::kAgent}, 0, 16));
    for (std::size_t i = 0; i < requests.size(); ++i) feed(*workers[i % parts], requests[i]);
    for (std::size_t p = 1; p < parts; ++p) workers[0]->merge_same_type(*workers[p]);
    report::TimelineReport r = report::build_timeline(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*workers[0]), {}, 10);
    REQUIRE(r.series.size() == 1);
    CHECK(r.series[0].key == std::vector<std::string>{"heavy"});
    CHECK(r.series[0].requests == 400);
    CHECK(r.series[0].errors == 40);
    CHECK(r.other.requests == 300);
    CHECK(r.total.requests == 700);
    CHECK(r.other_groups >= 16);
    REQUIRE(r.input.warnings.size() == 1);
    CHECK(r.input.warnings[0].rfind("timeline: more than 16 distinct groups (about ", 0) == 0);
    // The distinct estimate is split-independent, so the whole report is too.
    if (reference.empty()) reference = describe(r);
    CHECK(describe(r) == reference);
  }
}

TEST_CASE("timeline keeps a fifth of --max-groups per worker, 0 stays unlimited", "[timeline]") {
  CHECK(analyze::timeline_group_bound(100000) == 20000);
  CHECK(analyze::timeline_group_bound(50) == 10);
  CHECK(analyze::timeline_group_bound(4) == 1);
  CHECK(analyze::timeline_group_bound(0) == 0);
}

TEST_CASE("timeline: an explicit interval with too many buckets is an error, auto never is", "[timeline]") {
  auto fine = make({analyze::Dimension::kAgent}, 1);
  feed(*fine, {"a/1", "get", kT0, 200});
  CHECK_FALSE(report::timeline_interval_error(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*fine)));
  feed(*fine, {"a/1", "get", kT0 + 2LL * 86400 * kSecond, 200});  // 172,801 one-second buckets
  auto error = report::timeline_interval_error(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*fine));
  REQUIRE(error);
  CHECK(*error ==
        "--interval 1s makes 172,801 buckets over the input's span (2025-02-25T08:00:00Z to "
        "2025-02-27T08:00:00Z); at most 100,000 are allowed: use --interval 5s or longer, or leave "
        "--interval out to choose one");
  // The same data split over two workers, each within the limit: the merge still refuses.
  auto left = make({analyze::Dimension::kAgent}, 1);
  auto right = make({analyze::Dimension::kAgent}, 1);
  feed(*left, {"a/1", "get", kT0, 200});
  feed(*right, {"a/1", "get", kT0 + 2LL * 86400 * kSecond, 200});
  left->merge_same_type(*right);
  CHECK(report::timeline_interval_error(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*left)) == error);
  auto automatic = make();
  feed(*automatic, {"a/1", "get", kT0, 200});
  feed(*automatic, {"a/1", "get", kT0 + 2LL * 86400 * kSecond, 200});
  CHECK_FALSE(report::timeline_interval_error(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*automatic)));
  report::TimelineReport r = report::build_timeline(analyze::analyzer_cast<analyze::TimelineAnalyzer>(*automatic), {}, 10);
  CHECK(r.interval_s == 3600);
  CHECK(r.buckets == 49);
}
