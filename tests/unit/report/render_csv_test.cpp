// CSV: RFC 4180 rows with CRLF, formula-guarded keys, raw numbers, empty cells for null.
#include <catch2/catch.hpp>

#include "kubeblame/report/render.h"
#include "sample_report.h"

namespace kubeblame::report {
namespace {

TEST_CASE("render_top_csv: exact rows", "[report][render]") {
  const std::string expected =
      "agent,verb,requests,share,rate_per_s,errors,p50_ms,p95_ms,p99_ms,max_ms,cost_s,watches,first,last\r\n"
      "kube|ctl\\x1b[31m`x`,get,1234,0.75,13.711111,1,1.5,12.25,1500,2250.5,4.5,0,"
      "2024-06-30T19:41:14Z,2024-06-30T19:42:14.391Z\r\n"
      "\"'=HYPERLINK(\"\"http://evil\"\")\",\"li,st \"\"quoted\"\"\nline\",3,0.125,0.033333,0,,,,,,3,"
      "2024-06-30T19:41:14.000001Z,2024-06-30T19:41:14.000001Z\r\n"
      "(other),,2,0.125,,2,0.85,0.85,0.85,0.9,0.0017,0,,\r\n";
  CHECK(render_top_csv(test::sample_report()) == expected);
}

TEST_CASE("render_top_csv: invalid UTF-8 and bidi controls never reach the file", "[report][render]") {
  std::string text = render_top_csv(test::sample_report_bad_utf8());
  CHECK(text.find("\r\ncaf\xEF\xBF\xBD,\\u202eevil,3,") != std::string::npos);
  CHECK(text.find("(other)") == std::string::npos);
  CHECK(text.find("\xE2\x80\xAE") == std::string::npos);
}

TEST_CASE("render_top_csv: every row has as many cells as the header", "[report][render]") {
  TopReport report = test::sample_report();
  report.by = {"agent", "verb", "code"};
  for (Row& row : report.rows) row.key.push_back("200");
  std::string text = render_top_csv(report);
  // Count cells outside quotes per CRLF-terminated row.
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
  CHECK(cells == std::vector<std::size_t>{15, 15, 15, 15});
}

}  // namespace
}  // namespace kubeblame::report
