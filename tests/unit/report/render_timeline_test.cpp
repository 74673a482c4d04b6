// Timeline renderers: the sparkline scale and width cap, peaks, hostile group keys escaped in
// every format (terminal controls, markdown pipes, CSV formulas and controls, JSON), the JSON shape and the
// long-format CSV.
#include "kubeblame/report/render_timeline.h"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <limits>
#include <string>
#include <vector>

#include "kubeblame/model/time.h"

using namespace kubeblame;

namespace {

// 2025-02-25T08:00:00Z
constexpr model::TimeNs kT0 = 1'740'470'400LL * model::kNsPerSecond;

report::TimelineSeries series(std::vector<std::string> key, std::vector<std::uint64_t> counts,
                              std::vector<std::uint64_t> errors) {
  report::TimelineSeries s;
  s.key = std::move(key);
  s.counts = std::move(counts);
  s.error_counts = std::move(errors);
  for (auto c : s.counts) s.requests += c;
  for (auto e : s.error_counts) s.errors += e;
  return s;
}

report::TimelineReport hostile_report() {
  report::TimelineReport r;
  r.by = {"agent", "verb"};
  r.top = 2;
  r.input.files = {"audit.log"};
  r.interval_s = 60;
  r.interval_auto = false;
  r.start = kT0;
  r.buckets = 4;
  r.series.push_back(series({"=cmd|`\x1b[31mred", "get"}, {8, 0, 4, 1}, {0, 0, 1, 0}));
  r.series.push_back(series({"kubectl", "list\n# x"}, {0, 2, 0, 0}, {0, 2, 0, 0}));
  r.other = series({}, {1, 0, 0, 0}, {0, 0, 0, 0});
  r.other_groups = 3;
  r.total = series({}, {9, 2, 4, 1}, {0, 2, 1, 0});
  r.untimed = 2;
  return r;
}

}  // namespace

TEST_CASE("sparkline: scaled to its own peak, a space for none, capped width", "[timeline]") {
  CHECK(report::sparkline({0, 1, 2, 4, 8}, 1) == " ▁▂▄█");
  CHECK(report::sparkline({3, 3, 3}, 1) == "███");
  CHECK(report::sparkline({1000, 1, 0}, 1) == "█▁ ");  // any request is at least ▁
  CHECK(report::sparkline({}, 1).empty());
  CHECK(report::sparkline({1, 1, 0, 0, 4}, 2) == "▄ █");  // pairs summed: 2, 0, 4
  CHECK(report::sparkline({UINT64_MAX / 2, UINT64_MAX / 4}, 1) == "█▄");
  CHECK(report::sparkline_buckets_per_char(120) == 1);
  CHECK(report::sparkline_buckets_per_char(121) == 2);
  CHECK(report::sparkline_buckets_per_char(100000) == 834);
  report::TimelinePeak peak = report::timeline_peak(series({}, {1, 5, 5, 2}, {0, 0, 0, 0}));
  CHECK(peak.count == 5);
  CHECK(peak.bucket == 1);  // the first of equal peaks
}

TEST_CASE("timeline table: header, rows, (other), total, untimed; keys escaped", "[timeline]") {
  std::string out = report::render_timeline_table_body(hostile_report(), {});
  CHECK(out ==
        "timeline by agent,verb · interval 1m · 2025-02-25 08:00:00Z → 2025-02-25 08:04:00Z · 4 buckets\n"
        "AGENT              VERB         REQUESTS  ERRORS  PEAK               PEAK AT  REQUESTS PER 1m\n"
        "=cmd|`\\x1b[31mred  get                13       1     8  2025-02-25 08:00:00Z  █ ▄▁\n"
        "kubectl            list\\x0a# x         2       2     2  2025-02-25 08:01:00Z   █\n"
        "(other: 3 groups)                      1       0     1  2025-02-25 08:00:00Z  █\n"
        "(total)                               16       3     9  2025-02-25 08:00:00Z  █▂▄▁\n"
        "2 requests without any timestamp are not in the timeline\n");
}

TEST_CASE("timeline table on a narrow terminal: coarser sparkline, then shorter keys", "[timeline]") {
  report::TimelineReport r = hostile_report();
  r.series[0].key[0] = "argocd-application-controller";
  r.buckets = 96;
  for (report::TimelineSeries* s : {&r.series[0], &r.series[1], &r.other, &r.total}) {
    s->counts.resize(96, 1);
    s->error_counts.resize(96, 0);
  }
  // 96 buckets fit one character each without a width; at 80 columns the sparkline gets 4
  // buckets per character (24 characters, the least it gets) and the key gives way.
  std::string wide = report::render_timeline_table_body(r, {});
  CHECK(wide.find("REQUESTS PER 1m\n") != std::string::npos);
  std::string out = report::render_timeline_table_body(r, {false, 80});
  CHECK(out.substr(0, out.find("\nargocd")) ==
        "timeline by agent,verb · interval 1m ·\n"
        "  2025-02-25 08:00:00Z → 2025-02-25 09:36:00Z · 96 buckets ·\n"
        "  one sparkline character per 4 buckets\n"
        "AGENT                  VERB         REQUESTS  ERRORS  PEAK               PEAK AT  REQUESTS PER 4m");
  // The first 4 buckets sum to 13, each later 4 to 4 (the row keeps its own totals).
  CHECK(out.find("\nargocd-app…controller  get                13       1     8  2025-02-25 08:00:00Z  "
                 "█▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃▃\n") != std::string::npos);
  CHECK(out.find("\n2 requests without any timestamp are not in the timeline\n") != std::string::npos);
}

TEST_CASE("timeline markdown escapes keys and puts sparklines in code spans", "[timeline]") {
  // Empty buckets are no-break spaces: markdown would strip a plain space at either end.
  std::string out = report::render_timeline_markdown_body(hostile_report());
  CHECK(out.find("| =cmd\\|\\`\\\\x1b\\[31mred | get | 13 | 1 | 8 | 2025-02-25 08:00:00Z | `█\u00a0▄▁` |") !=
        std::string::npos);
  CHECK(out.find("| *(other: 3 groups)* |  | 1 |") != std::string::npos);
  CHECK(out.find("| *(total)* |  | 16 | 3 | 9 |") != std::string::npos);
  CHECK(out.find('\x1b') == std::string::npos);
  CHECK(out.find("\n# x") == std::string::npos);
}

TEST_CASE("timeline CSV: long format, formulas guarded, (other) rows", "[timeline]") {
  std::string out = report::render_timeline_csv(hostile_report());
  CHECK(out ==
        "time,agent,verb,requests,errors\r\n"
        "2025-02-25T08:00:00Z,'=cmd|`\\x1b[31mred,get,8,0\r\n"
        "2025-02-25T08:00:00Z,(other),,1,0\r\n"
        "2025-02-25T08:01:00Z,kubectl,\"list\n# x\",2,2\r\n"
        "2025-02-25T08:02:00Z,'=cmd|`\\x1b[31mred,get,4,1\r\n"
        "2025-02-25T08:03:00Z,'=cmd|`\\x1b[31mred,get,1,0\r\n");
}

TEST_CASE("timeline JSON parses and carries dense counts, other and total", "[timeline]") {
  std::string out = report::render_timeline_json(hostile_report());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(out).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["command"]) == "timeline");
  CHECK(int64_t(doc["interval_s"]) == 60);
  CHECK(bool(doc["interval_auto"]) == false);
  CHECK(std::string_view(doc["start"]) == "2025-02-25T08:00:00Z");
  CHECK(std::string_view(doc["end"]) == "2025-02-25T08:04:00Z");
  CHECK(uint64_t(doc["buckets"]) == 4);
  simdjson::dom::element first = doc["series"].at(0);
  CHECK(std::string_view(first["key"]["agent"]) == "=cmd|`\x1b[31mred");
  CHECK(std::string_view(first["key"]["verb"]) == "get");
  CHECK(uint64_t(first["peak"]) == 8);
  CHECK(std::string_view(first["peak_at"]) == "2025-02-25T08:00:00Z");
  CHECK(uint64_t(first["counts"].at(2)) == 4);
  CHECK(uint64_t(first["error_counts"].at(2)) == 1);
  CHECK(uint64_t(doc["other"]["groups"]) == 3);
  CHECK(uint64_t(doc["total"]["requests"]) == 16);
  CHECK(uint64_t(doc["untimed"]) == 2);
  CHECK(out.find('\x1b') == std::string::npos);  // \u001b in JSON
}

TEST_CASE("timeline without any timed request says so in every format", "[timeline]") {
  report::TimelineReport r;
  r.by = {"agent"};
  r.untimed = 1;
  CHECK(report::render_timeline_table_body(r, {}) ==
        "timeline by agent · interval 1m (auto) · no requests with a timestamp\n"
        "1 request without any timestamp is not in the timeline\n");
  std::string json = report::render_timeline_json(r);
  CHECK(json.find("\"start\":null,\"end\":null,\"buckets\":0,\"series\":[],\"other\":null") != std::string::npos);
  CHECK(report::render_timeline_csv(r) == "time,agent,requests,errors\r\n");
}

TEST_CASE("timeline: the end of a bucket past 2262 saturates instead of wrapping", "[timeline]") {
  // Regression: 1970..2261 at 36500d made `end` wrap to 1685.
  report::TimelineReport r;
  r.by = {"agent"};
  r.interval_s = 36500LL * 86400;
  r.start = 0;
  r.buckets = 3;
  r.total = series({}, {1, 0, 1}, {0, 0, 0});
  CHECK(report::timeline_bucket_start(r, 2) == 2 * 36500LL * 86400 * model::kNsPerSecond);
  CHECK(report::timeline_bucket_start(r, 3) == std::numeric_limits<model::TimeNs>::max());
  CHECK(report::render_timeline_json(r).find("\"end\":\"2262-04-11T23:47:16.854775807Z\"") != std::string::npos);
}
