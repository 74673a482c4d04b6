// kubeblame kql result rows read back through the Log Analytics row reader: az -o json objects
// (every value a string), REST rows (numbers as numbers, dynamic values as JSON strings) and
// portal CSV rows (`first [UTC]`, portal datetimes), and every bad cell skipped with its reason.
#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/decode/detect.h"
#include "kubeblame/decode/la_row_decoder.h"
#include "recording_sink.h"

namespace kubeblame::decode {
namespace {

using test::ns;
using test::PaddedRecord;
using test::SkipCopy;

struct GroupCopy {
  model::WeightedGroup::Kind kind = model::WeightedGroup::Kind::kTop;
  std::vector<std::pair<std::string, std::string>> dimensions;
  model::TimeNs time = 0;
  std::int64_t interval_s = 0;
  std::uint64_t requests = 0, errors = 0, watches = 0, latency_n = 0;
  std::int64_t cost_ns = 0, min_us = 0, max_ns = 0;
  model::TimeNs first = 0, last = 0;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> histogram;
  std::vector<std::int64_t> exact_us;
  Format format = Format::kUnknown;
};

class GroupSink : public test::RecordingSink {
 public:
  void on_group(const model::WeightedGroup& g, Format format) override {
    GroupCopy c;
    c.kind = g.kind;
    for (const auto& [name, value] : g.dimensions) c.dimensions.emplace_back(name, value);
    c.time = g.time;
    c.interval_s = g.interval_s;
    c.requests = g.requests;
    c.errors = g.errors;
    c.watches = g.watches;
    c.latency_n = g.latency_n;
    c.cost_ns = g.cost_ns;
    c.min_us = g.min_us;
    c.max_ns = g.max_ns;
    c.first = g.first;
    c.last = g.last;
    c.histogram = g.histogram;
    c.exact_us = g.exact_us;
    c.format = format;
    groups.push_back(std::move(c));
  }
  std::vector<GroupCopy> groups;
};

GroupSink decode_line(std::string_view line, const InputContext* context = nullptr) {
  ParseContext parse_context;
  LaRowDecoder decoder(parse_context);
  PaddedRecord record(line, context);
  GroupSink sink;
  REQUIRE(decoder.decode(record.record(), sink));
  return sink;
}

InputContext context_of(Container container, std::vector<std::string> columns) {
  InputContext context;
  context.container = container;
  context.columns = std::move(columns);
  context.column_ids = columns_for(context.columns);
  return context;
}

// 2025-02-25T09:10:00Z = 1740474600. Latencies 3000 µs (bucket 413) and 9000 µs (bucket 518).
const std::string kAzTop =
    R"({"kubeblame":"top/v1","agent":"kubelet","verb":"update","requests":"3","errors":"1","watches":"1",)"
    R"("cost_ns":"12000000","latency_n":"2","min_us":"3000","max_ns":"9000000",)"
    R"("first":"2025-02-25T09:10:00.5850000Z","last":"2025-02-25T09:11:00Z",)"
    R"("histogram":"{\"518\":1,\"413\":1}","exact_us":"[[3000],[9000]]","TableName":"PrimaryResult"})";

void check_top(const GroupCopy& g) {
  CHECK(g.kind == model::WeightedGroup::Kind::kTop);
  CHECK(g.dimensions ==
        std::vector<std::pair<std::string, std::string>>{{"agent", "kubelet"}, {"verb", "update"}});
  CHECK(g.requests == 3);
  CHECK(g.errors == 1);
  CHECK(g.watches == 1);
  CHECK(g.cost_ns == 12000000);
  CHECK(g.latency_n == 2);
  CHECK(g.min_us == 3000);
  CHECK(g.max_ns == 9000000);
  CHECK(g.first == ns(1740474600, 585000000));
  CHECK(g.last == ns(1740474660));
  CHECK(g.histogram == std::vector<std::pair<std::uint32_t, std::uint64_t>>{{518, 1}, {413, 1}});
  CHECK(g.exact_us == std::vector<std::int64_t>{3000, 9000});
}

TEST_CASE("kql result: an az -o json top/v1 row is a weighted group", "[decode][kql-result]") {
  GroupSink sink = decode_line(kAzTop);
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.groups.size() == 1);
  CHECK(sink.groups[0].format == Format::kKqlResultAzJson);
  check_top(sink.groups[0]);
  // An array of such rows (az prints one) reads each.
  GroupSink array = decode_line("[" + kAzTop + "," + kAzTop + "]");
  CHECK(array.groups.size() == 2);
  CHECK(detect_record(kAzTop) == DecoderKind::kLaRow);
}

TEST_CASE("kql result: az -o json sorts the keys; the dimensions are every other column",
          "[decode][kql-result]") {
  GroupSink sink = decode_line(
      R"({"TableName":"PrimaryResult","agent":"kubelet","cost_ns":"12000000","errors":"1",)"
      R"("exact_us":"[[3000],[9000]]","first":"2025-02-25T09:10:00.5850000Z","histogram":"{\"518\":1,\"413\":1}",)"
      R"("kubeblame":"top/v1","last":"2025-02-25T09:11:00Z","latency_n":"2","max_ns":"9000000",)"
      R"("min_us":"3000","requests":"3","verb":"update","watches":"1"})");
  REQUIRE(sink.skips.empty());
  REQUIRE(sink.groups.size() == 1);
  check_top(sink.groups[0]);
}

const std::vector<std::string> kColumns = {
    "kubeblame", "agent",  "verb",   "requests", "errors", "watches",   "cost_ns",
    "latency_n", "min_us", "max_ns", "first",    "last",   "histogram", "exact_us"};

TEST_CASE("kql result: REST rows, framed and in a whole response", "[decode][kql-result]") {
  const std::string row =
      R"(["top/v1","kubelet","update",3,1,1,12000000,2,3000,9000000,"2025-02-25T09:10:00.585Z",)"
      R"("2025-02-25T09:11:00Z","{\"518\":1,\"413\":1}","[[3000],[9000]]"])";
  InputContext rest = context_of(Container::kRestRows, kColumns);
  GroupSink framed = decode_line(row, &rest);
  REQUIRE(framed.groups.size() == 1);
  CHECK(framed.groups[0].format == Format::kKqlResultRest);
  check_top(framed.groups[0]);

  std::string columns;
  for (const std::string& c : kColumns) {
    columns +=
        std::string(columns.empty() ? "" : ",") + R"({"name":")" + c + R"(","type":"string"})";
  }
  GroupSink whole = decode_line(R"({"tables":[{"name":"PrimaryResult","columns":[)" + columns +
                                R"(],"rows":[)" + row + "]}]}");
  REQUIRE(whole.groups.size() == 1);
  check_top(whole.groups[0]);
}

TEST_CASE("kql result: portal CSV rows with UTC-suffixed headers and portal datetimes",
          "[decode][kql-result]") {
  std::vector<std::string> header = kColumns;
  header[10] = "first [UTC]";
  header[11] = "last [UTC]";
  InputContext csv = context_of(Container::kCsvRows, header);
  GroupSink sink = decode_line(
      R"(top/v1,kubelet,update,3,1,1,12000000,2,3000,9000000,"2/25/2025, 9:10:00.585 AM","2/25/2025, 9:11:00.000 AM",)"
      R"("{""518"":1,""413"":1}","[[3000],[9000]]")",
      &csv);
  REQUIRE(sink.groups.size() == 1);
  CHECK(sink.groups[0].format == Format::kKqlResultCsv);
  check_top(sink.groups[0]);
}

TEST_CASE("kql result: timeline/v1 rows carry their bucket and interval", "[decode][kql-result]") {
  GroupSink sink = decode_line(
      R"({"kubeblame":"timeline/v1","time":"2025-02-25T09:10:00Z","code":"404","requests":"2","errors":"2",)"
      R"("watches":"0","cost_ns":"None","latency_n":"0","min_us":"None","max_ns":"None",)"
      R"("first":"2025-02-25T09:10:01Z","last":"2025-02-25T09:10:02Z","histogram":"{}","exact_us":"[]",)"
      R"("interval_s":"60"})");
  REQUIRE(sink.groups.size() == 1);
  const GroupCopy& g = sink.groups[0];
  CHECK(g.kind == model::WeightedGroup::Kind::kTimeline);
  CHECK(g.dimensions == std::vector<std::pair<std::string, std::string>>{{"code", "404"}});
  CHECK(g.time == ns(1740474600));
  CHECK(g.interval_s == 60);
  CHECK(g.latency_n == 0);
  CHECK(g.min_us == -1);
  CHECK(g.max_ns == -1);
  CHECK(g.cost_ns == 0);
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("kql result: a row above 64 latencies after one with exact values keeps no exact values",
          "[decode][kql-result]") {
  // The decoder reuses its group from row to row; the round trip of tests/kql found the first
  // row's exact values left in the second, which then failed as a bad row.
  std::string big = replaced(replaced(replaced(replaced(replaced(kAzTop, R"("requests":"3")",
      R"("requests":"65")"), R"("latency_n":"2")", R"("latency_n":"65")"),
      R"("max_ns":"9000000")", R"("max_ns":"3000000")"),
      R"("histogram":"{\"518\":1,\"413\":1}")", R"("histogram":"{\"413\":65}")"),
      R"("exact_us":"[[3000],[9000]]")", R"("exact_us":"None")");
  GroupSink sink = decode_line("[" + kAzTop + "," + big + "]");
  CHECK(sink.skips.empty());
  REQUIRE(sink.groups.size() == 2);
  CHECK(sink.groups[0].exact_us == std::vector<std::int64_t>{3000, 9000});
  CHECK(sink.groups[1].latency_n == 65);
  CHECK(sink.groups[1].exact_us.empty());
}

TEST_CASE("kql result: an unknown marker version is skipped, never misread",
          "[decode][kql-result]") {
  GroupSink sink = decode_line(replaced(kAzTop, "top/v1", "top/v9"));
  CHECK(sink.groups.empty());
  CHECK(sink.skips ==
        std::vector<SkipCopy>{{SkipReason::kResultVersion, Format::kKqlResultAzJson}});
  CHECK(skip_reason_name(SkipReason::kResultVersion) == "kql_result_version");
}

TEST_CASE("kql result: bad cells skip the row with a counted reason", "[decode][kql-result]") {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {R"("histogram":"{\"518\":1,\"413\":1}")", R"("histogram":"[1,1]")"},  // not an object
      {R"("histogram":"{\"518\":1,\"413\":1}")",
       R"("histogram":"{\"518\":1.5,\"413\":1}")"},  // not whole
      {R"("histogram":"{\"518\":1,\"413\":1}")",
       R"("histogram":"{\"518\":1,\"413\":2}")"},  // sum != latency_n
      {R"("histogram":"{\"518\":1,\"413\":1}")",
       R"("histogram":"{\"x\":1,\"413\":1}")"},  // bucket not a number
      {R"("histogram":"{\"518\":1,\"413\":1}")", R"("histogram":"{\"518\"")"},  // not JSON
      {R"("requests":"3")", R"("requests":"-3")"},                              // negative
      {R"("requests":"3")", R"("requests":"three")"},
      {R"("requests":"3",)", ""},                                       // missing column
      {R"("errors":"1")", R"("errors":"4")"},                           // more errors than requests
      {R"("exact_us":"[[3000],[9000]]")", R"("exact_us":"[[3000]]")"},  // count != latency_n
      {R"("exact_us":"[[3000],[9000]]")", R"("exact_us":"None")"},      // <= 64 needs values
      {R"("min_us":"3000")", R"("min_us":"None")"},                     // latency without min
      {R"("first":"2025-02-25T09:10:00.5850000Z")", R"("first":"yesterday")"},
      {R"("kubeblame":"top/v1")", R"("kubeblame":"lunch")"},
  };
  for (const auto& [from, to] : bad) {
    INFO(to);
    GroupSink sink = decode_line(replaced(kAzTop, from, to));
    CHECK(sink.groups.empty());
    CHECK(sink.skips ==
          std::vector<SkipCopy>{{SkipReason::kBadResultRow, Format::kKqlResultAzJson}});
  }
  CHECK(skip_reason_name(SkipReason::kBadResultRow) == "kql_result_bad_row");
  // A timeline row needs its time and interval.
  GroupSink no_interval =
      decode_line(replaced(replaced(kAzTop, "top/v1", "timeline/v1"), R"("agent")",
                           R"("time":"2025-02-25T09:10:00Z","agent")"));
  CHECK(no_interval.skips ==
        std::vector<SkipCopy>{{SkipReason::kBadResultRow, Format::kKqlResultAzJson}});
}

TEST_CASE("kql result: a CSV header with the marker column is detected as Log Analytics CSV",
          "[decode][kql-result]") {
  InputPlan plan = detect_input("kubeblame,agent,requests\ntop/v1,x,1\n", true, FormatHint::kAuto);
  CHECK(plan.decoder == DecoderKind::kLaRow);
  CHECK(plan.framing == Framing::kCsv);
}

}  // namespace
}  // namespace kubeblame::decode
