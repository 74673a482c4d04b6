// JSON: the docs/json.md, byte for byte, and a document any JSON parser reads back with the
// hostile keys intact.
#include <kubeblame/version.h>
#include <simdjson.h>

#include <catch2/catch.hpp>

#include "kubeblame/report/render.h"
#include "sample_report.h"

namespace kubeblame::report {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

TEST_CASE("render_top_json: exact document", "[report][render][json]") {
  const std::string expected =
      std::string("{\"tool\":\"kubeblame\",\"version\":\"") + kVersion +
      "\",\"command\":\"top\",\"by\":[\"agent\",\"verb\"],\"sort\":\"requests\","
      "\"input\":{\"files\":[\"audit.log\",\"dir/x.gz\"],\"formats\":{\"audit-jsonl\":7},"
      "\"lines\":8,\"decoded\":7,\"events\":7,\"log_lines\":0,\"requests\":6,\"filtered\":0,"
      "\"duplicates\":0,\"skipped\":{\"truncated\":1},\"first\":\"2024-06-30T19:41:14Z\","
      "\"last\":\"2024-06-30T19:42:44Z\",\"skipped_samples\":[\"audit.log:8: truncated\"],"
      "\"warnings\":[]},"
      "\"rows\":[{\"key\":{\"agent\":\"kube|ctl\\u001b[31m`x`\",\"verb\":\"get\"},"
      "\"requests\":1234,\"share\":0.75,\"rate_per_s\":13.711111,\"errors\":1,\"p50_ms\":1.5,"
      "\"p95_ms\":12.25,\"p99_ms\":1500,\"max_ms\":2250.5,\"cost_s\":4.5,\"watches\":0,"
      "\"throttled\":2,\"traced\":3,\"etcd_s\":1.25,\"webhook_s\":0.5,\"apf_wait_s\":0.125,"
      "\"first\":\"2024-06-30T19:41:14Z\",\"last\":\"2024-06-30T19:42:14.391Z\"},"
      "{\"key\":{\"agent\":\"=HYPERLINK(\\\"http://evil\\\")\",\"verb\":\"li,st \\\"quoted\\\"\\nline\"},"
      "\"requests\":3,\"share\":0.125,\"rate_per_s\":0.033333,\"errors\":0,\"p50_ms\":null,"
      "\"p95_ms\":null,\"p99_ms\":null,\"max_ms\":null,\"cost_s\":null,\"watches\":3,"
      "\"throttled\":0,\"traced\":0,\"etcd_s\":null,\"webhook_s\":null,\"apf_wait_s\":null,"
      "\"first\":\"2024-06-30T19:41:14.000001Z\",\"last\":\"2024-06-30T19:41:14.000001Z\"}],"
      "\"other\":{\"groups\":2,\"requests\":2,\"share\":0.125,\"rate_per_s\":null,\"errors\":2,"
      "\"p50_ms\":0.85,\"p95_ms\":0.85,\"p99_ms\":0.85,\"max_ms\":0.9,\"cost_s\":0.0017,"
      "\"watches\":0,\"throttled\":0,\"traced\":0,\"etcd_s\":null,\"webhook_s\":null,"
      "\"apf_wait_s\":null,\"first\":null,\"last\":null}}\n";
  CHECK(render_top_json(test::sample_report()) == expected);
}

std::vector<std::string> keys_of(object o) {
  std::vector<std::string> keys;
  for (auto field : o) keys.emplace_back(field.key);
  return keys;
}

const std::vector<std::string> kMetricKeys{"requests", "share",  "rate_per_s", "errors",
                                           "p50_ms",   "p95_ms", "p99_ms",     "max_ms",
                                           "cost_s",   "watches", "throttled", "traced",
                                           "etcd_s",   "webhook_s", "apf_wait_s", "first",
                                           "last"};

TEST_CASE("render_top_json parses back with the contract's fields", "[report][render][json]") {
  std::string text = render_top_json(test::sample_report());
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  element doc;
  REQUIRE(parser.parse(padded).get(doc) == simdjson::SUCCESS);
  CHECK(keys_of(doc.get_object()) == std::vector<std::string>{"tool", "version", "command", "by",
                                                               "sort", "input", "rows", "other"});
  CHECK(std::string_view(doc["tool"]) == "kubeblame");
  CHECK(std::string_view(doc["command"]) == "top");
  CHECK(keys_of(doc["input"].get_object()) ==
        std::vector<std::string>{"files", "formats", "lines", "decoded", "events", "log_lines", "requests",
                                 "filtered", "duplicates", "skipped", "first", "last", "skipped_samples",
                                 "warnings"});
  CHECK(int64_t(doc["input"]["lines"]) == 8);
  CHECK(int64_t(doc["input"]["skipped"]["truncated"]) == 1);
  simdjson::dom::array rows = doc["rows"];
  REQUIRE(rows.size() == 2);
  std::vector<std::string> row_keys{"key"};
  row_keys.insert(row_keys.end(), kMetricKeys.begin(), kMetricKeys.end());
  for (element row : rows) CHECK(keys_of(row.get_object()) == row_keys);
  // Keys are strings and come back exactly as they were in the input.
  CHECK(std::string_view(rows.at(0)["key"]["agent"]) == test::kHostileAgent);
  CHECK(std::string_view(rows.at(1)["key"]["agent"]) == test::kFormulaKey);
  CHECK(std::string_view(rows.at(1)["key"]["verb"]) == test::kCsvKey);
  CHECK(uint64_t(rows.at(0)["requests"]) == 1234);
  CHECK(double(rows.at(0)["share"]) == 0.75);
  CHECK(rows.at(1)["p50_ms"].is_null());
  std::vector<std::string> other_keys{"groups"};
  other_keys.insert(other_keys.end(), kMetricKeys.begin(), kMetricKeys.end());
  CHECK(keys_of(doc["other"].get_object()) == other_keys);
  CHECK(uint64_t(doc["other"]["groups"]) == 2);
}

TEST_CASE("render_top_json: invalid UTF-8 in keys still gives valid JSON", "[report][render][json]") {
  std::string text = render_top_json(test::sample_report_bad_utf8());
  CHECK(simdjson::validate_utf8(text.data(), text.size()));
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  element doc;
  REQUIRE(parser.parse(padded).get(doc) == simdjson::SUCCESS);
  CHECK(std::string_view(doc["rows"].at(1)["key"]["agent"]) == "caf\xEF\xBF\xBD");
  CHECK(std::string_view(doc["rows"].at(1)["key"]["verb"]) == "\xE2\x80\xAE" "evil");
  CHECK(text.find("\"verb\":\"\\u202eevil\"") != std::string::npos);
  CHECK(doc["other"].is_null());
  CHECK(doc["input"]["first"].is_null());
  CHECK(std::string_view(doc["input"]["warnings"].at(0)) ==
        "input error: x.gz: gzip data is truncated");
}

}  // namespace
}  // namespace kubeblame::report
