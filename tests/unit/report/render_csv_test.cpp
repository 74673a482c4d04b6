// CSV: RFC 4180 rows with CRLF, formula-guarded keys, raw numbers, empty cells for null.
#include <catch2/catch.hpp>

#include "kubeblame/report/render.h"
#include "sample_report.h"

namespace kubeblame::report {
namespace {

TEST_CASE("render_top_csv: exact rows", "[report][render]") {
  const std::string expected =
      "agent,verb,requests,share,rate_per_s,errors,p50_ms,p95_ms,p99_ms,max_ms,cost_s,watches,first,last,"
      "throttled,traced,etcd_s,webhook_s,apf_wait_s\r\n"
      "kube|ctl\\x1b[31m`x`,get,1234,0.75,13.711111,1,1.5,12.25,1500,2250.5,4.5,0,"
      "2024-06-30T19:41:14Z,2024-06-30T19:42:14.391Z,2,3,1.25,0.5,0.125\r\n"
      "\"'=HYPERLINK(\"\"http://evil\"\")\",\"li,st \"\"quoted\"\"\nline\",3,0.125,0.033333,0,,,,,,3,"
      "2024-06-30T19:41:14.000001Z,2024-06-30T19:41:14.000001Z,0,0,,,\r\n"
      "(other),,2,0.125,,2,0.85,0.85,0.85,0.9,0.0017,0,,,0,0,,,\r\n";
  CHECK(render_top_csv(test::sample_report()) == expected);
}

TEST_CASE("render_top_csv: invalid UTF-8 and bidi controls never reach the file", "[report][render]") {
  std::string text = render_top_csv(test::sample_report_bad_utf8());
  CHECK(text.find("\r\ncaf\xEF\xBF\xBD,\\u202eevil,3,") != std::string::npos);
  CHECK(text.find("(other)") == std::string::npos);
  CHECK(text.find("\xE2\x80\xAE") == std::string::npos);
}

// Cells outside quotes per CRLF-terminated row.
std::vector<std::size_t> cells_per_row(const std::string& text) {
  std::vector<std::size_t> cells;
  bool quoted = false;
  std::size_t count = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ',') ++count;
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      cells.push_back(count);
      count = 1;
      ++i;
    }
  }
  return cells;
}

TEST_CASE("render_top_csv: every row has as many cells as the header", "[report][render]") {
  TopReport report = test::sample_report();
  report.by = {"agent", "verb", "code"};
  for (Row& row : report.rows) row.key.push_back("200");
  CHECK(cells_per_row(render_top_csv(report)) == std::vector<std::size_t>{20, 20, 20, 20});
  // Grouped by webhook, two more: mutations and failed_open.
  report.by.push_back("webhook");
  for (Row& row : report.rows) row.key.push_back("cfg/hook");
  std::string text = render_top_csv(report);
  CHECK(cells_per_row(text) == std::vector<std::size_t>{23, 23, 23, 23});
  CHECK(text.starts_with("agent,verb,code,webhook,requests,"));
  CHECK(text.find(",apf_wait_s,mutations,failed_open\r\n") != std::string::npos);
}

}  // namespace
}  // namespace kubeblame::report
