// `kubeblame errors` renderers: exact output in every format for a report carrying hostile
// strings (ESC, BEL, CR, invalid UTF-8, `|`, backticks, a leading `=`), JSON parsed back with
// simdjson against the contract, colour, cut-offs and the empty report.
#include "kubeblame/report/render_errors.h"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include "errors_sample_report.h"

namespace kubeblame::report {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

std::vector<std::string> keys_of(object o) {
  std::vector<std::string> keys;
  for (auto field : o) keys.emplace_back(field.key);
  return keys;
}

TEST_CASE("render_errors_table: aligned rows, escaped example and callers, footer", "[errors][render]") {
  const std::string expected =
      "COUNT  SOURCE          CODE/LEVEL  FIRST                 LAST                  SIGNATURE\n"
      "    3  audit           409         2024-06-30 19:41:14Z  2024-06-30 19:42:14Z  409 Conflict: Operation cannot be fulfilled on <resource> \"<name>\"\n"
      "       example: pods \"web\\x1b[31m\" \\x07\\x0ddone | `x`\n"
      "       callers: =cmd|' /C calc'!A0 (evil\xEF\xBF\xBD as bob\\x1b[2J|`x`) \xC3\x97" "2, kubectl (alice) \xC3\x97" "1\n"
      "    2  kube-apiserver  error       2024-06-30 19:41:19Z  -                     cacher.go: cacher (<resource>): `boom` | x\n"
      "       example: E0630 19:41:19.000000 1 cacher.go:1] boom\\x07\n"
      "    1                                                                          (other: 1 signature)\n"
      "\n"
      "errors 6 \xC2\xB7 3 signatures \xC2\xB7 log levels error,fatal\n"
      "lines 7 = decoded 7 + filtered 0 + skipped 0\n"
      "events 4 \xC2\xB7 requests 4 \xC2\xB7 log lines 3 \xC2\xB7 2024-06-30 19:41:14Z \xE2\x86\x92 2024-06-30 19:42:44Z (1m 30s)\n"
      "formats: audit-jsonl 4, log-text 3 \xC2\xB7 1 input\n";
  std::string text = render_errors(test::sample_errors_report(), OutputFormat::kTable, RenderOptions{});
  CHECK(text == expected);
  for (char control : {'\x1b', '\x07', '\r'}) CHECK(text.find(control) == std::string::npos);
  CHECK(simdjson::validate_utf8(text.data(), text.size()));
}

TEST_CASE("render_errors_table: colour styles the header, the footer and the counts", "[errors][render]") {
  ErrorsReport report = test::sample_errors_report();
  std::string plain = render_errors_table(report, RenderOptions{false});
  std::string color = render_errors_table(report, RenderOptions{true});
  CHECK(color.rfind("\x1b[1mCOUNT  SOURCE", 0) == 0);
  CHECK(color.find("\x1b[2merrors 6 ") != std::string::npos);
  CHECK(color.find("\n    \x1b[31m3\x1b[0m  audit  ") != std::string::npos);
  std::string stripped = color;
  for (const char* code : {"\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[0m"}) {
    for (std::size_t at; (at = stripped.find(code)) != std::string::npos;) {
      stripped.erase(at, std::string_view(code).size());
    }
  }
  CHECK(stripped == plain);
}

TEST_CASE("render_errors_table: nothing cut without a width; fitted to one", "[errors][render]") {
  ErrorsReport report;
  report.levels = "error,fatal";
  ErrorRow row;
  row.signature = "cacher.go: unexpected ListAndWatch error: failed to list <group>/<version>, Kind=<kind>";
  row.source = "apiserver-log";
  row.level = "fatal";
  row.count = 1234567;
  row.example = std::string(300, 'e');
  report.rows.push_back(row);
  report.total = row.count;
  std::string text = render_errors_table(report, RenderOptions{});
  std::string header = text.substr(0, text.find('\n'));
  CHECK(header == "    COUNT  SOURCE         CODE/LEVEL  FIRST  LAST  SIGNATURE");
  std::size_t line2 = text.find('\n') + 1;
  CHECK(text.substr(line2, text.find('\n', line2) - line2) ==
        "1,234,567  apiserver-log  fatal       -      -     " + row.signature);
  CHECK(text.find("           example: " + std::string(300, 'e') + "\n") != std::string::npos);
  CHECK(text.find("callers:") == std::string::npos);

  // 80 columns: the signature gives way first (cut at the end, down to 30 columns), then the
  // source (in the middle); the example is cut to fit.
  std::string fitted = render_errors_table_body(report, RenderOptions{false, 80});
  CHECK(fitted ==
        "    COUNT  SOURCE        CODE/LEVEL  FIRST  LAST  SIGNATURE\n"
        "1,234,567  apiser…r-log  fatal       -      -     cacher.go: unexpected ListAnd…\n"
        "           example: " + std::string(59, 'e') + "\u2026\n");
  // 40 columns: not even 30 columns are left for the signature, so it leaves the table for
  // lines of its own under the row, wrapped at spaces.
  std::string stacked = render_errors_table_body(report, RenderOptions{false, 40});
  CHECK(stacked ==
        "    COUNT  SOURCE    CODE/LEVEL  FIRST  LAST\n"
        "1,234,567  apis…log  fatal       -      -\n"
        "           cacher.go: unexpected\n"
        "             ListAndWatch error: failed\n"
        "             to list <group>/<version>,\n"
        "             Kind=<kind>\n"
        "           example: eeeeeeeeeeeeeeeeeee\u2026\n");

  ErrorsReport empty;
  empty.levels = "warning,error,fatal";
  std::string none = render_errors_table(empty, RenderOptions{});
  CHECK(none.rfind("COUNT  SOURCE  CODE/LEVEL  FIRST  LAST  SIGNATURE\n(no errors)\n\n"
                   "errors 0 \xC2\xB7 0 signatures \xC2\xB7 log levels warning,error,fatal\n",
                   0) == 0);
}

TEST_CASE("render_errors_markdown: escaped table, examples and summary", "[errors][render]") {
  const std::string expected =
      "### kubeblame errors (log levels error,fatal)\n"
      "\n"
      "| count | source | code/level | first | last | signature |\n"
      "| ---: | --- | --- | --- | --- | --- |\n"
      "| 3 | audit | 409 | 2024-06-30 19:41:14Z | 2024-06-30 19:42:14Z | 409 Conflict: Operation cannot be fulfilled on &lt;resource&gt; \"&lt;name&gt;\" |\n"
      "| 2 | kube-apiserver | error | 2024-06-30 19:41:19Z | - | cacher.go: cacher (&lt;resource&gt;): \\`boom\\` \\| x |\n"
      "| 1 | | | | | *(other: 1 signature)* |\n"
      "\n"
      "#### Examples\n"
      "\n"
      "1. 409 Conflict: Operation cannot be fulfilled on &lt;resource&gt; \"&lt;name&gt;\"\n"
      "   - example: pods \"web\\\\x1b\\[31m\" \\\\x07\\\\x0ddone \\| \\`x\\`\n"
      "   - callers: =cmd\\|' /C calc'!A0 (evil\xEF\xBF\xBD as bob\\\\x1b\\[2J\\|\\`x\\`) \xC3\x97" "2, kubectl (alice) \xC3\x97" "1\n"
      "2. cacher.go: cacher (&lt;resource&gt;): \\`boom\\` \\| x\n"
      "   - example: E0630 19:41:19.000000 1 cacher.go:1\\] boom\\\\x07\n"
      "\n"
      "- errors 6 \xC2\xB7 3 signatures \xC2\xB7 log levels error,fatal\n"
      "- lines 7 = decoded 7 + filtered 0 + skipped 0\n"
      "- events 4 \xC2\xB7 requests 4 \xC2\xB7 log lines 3 \xC2\xB7 2024-06-30 19:41:14Z \xE2\x86\x92 2024-06-30 19:42:44Z (1m 30s)\n"
      "- formats: audit-jsonl 4, log-text 3 \xC2\xB7 1 input\n";
  CHECK(render_errors(test::sample_errors_report(), OutputFormat::kMarkdown, RenderOptions{}) ==
        expected);
  ErrorsReport empty;
  empty.levels = "error,fatal";
  std::string none = render_errors_markdown(empty);
  CHECK(none.find("| ---: | --- | --- | --- | --- | --- |\n\n*No errors.*\n\n- errors 0 ") !=
        std::string::npos);
  CHECK(none.find("#### Examples") == std::string::npos);
}

TEST_CASE("render_errors_json: exact text, parses back to the contract", "[errors][render][json]") {
  ErrorsReport report = test::sample_errors_report();
  std::string text = render_errors(report, OutputFormat::kJson, RenderOptions{});
  const std::string rows =
      "\"rows\":[{\"signature\":\"409 Conflict: Operation cannot be fulfilled on <resource> "
      "\\\"<name>\\\"\",\"source\":\"audit\",\"component\":null,\"level\":null,\"count\":3,"
      "\"codes\":{\"409\":3},\"first\":\"2024-06-30T19:41:14Z\",\"last\":\"2024-06-30T19:42:14.391Z\","
      "\"example\":\"pods \\\"web\\u001b[31m\\\" \\u0007\\rdone | `x`\",\"callers\":[{\"agent\":"
      "\"=cmd|' /C calc'!A0\",\"user\":\"evil\xEF\xBF\xBD\",\"impersonated_user\":"
      "\"bob\\u001b[2J|`x`\",\"count\":2},{\"agent\":\"kubectl\",\"user\":\"alice\","
      "\"impersonated_user\":\"(none)\",\"count\":1}]},{\"signature\":\"cacher.go: cacher (<resource>): `boom` | "
      "x\",\"source\":\"apiserver-log\",\"component\":\"kube-apiserver\",\"level\":\"error\","
      "\"count\":2,\"codes\":{},\"first\":\"2024-06-30T19:41:19Z\",\"last\":null,\"example\":"
      "\"E0630 19:41:19.000000 1 cacher.go:1] boom\\u0007\",\"callers\":[]}],"
      "\"other\":{\"rows\":1,\"count\":1}}\n";
  REQUIRE(text.size() > rows.size());
  CHECK(text.substr(text.size() - rows.size()) == rows);
  CHECK(text.rfind("{\"tool\":\"kubeblame\",\"version\":\"", 0) == 0);
  CHECK(simdjson::validate_utf8(text.data(), text.size()));

  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  element doc;
  REQUIRE(parser.parse(padded).get(doc) == simdjson::SUCCESS);
  CHECK(keys_of(doc.get_object()) == std::vector<std::string>{"tool", "version", "command",
                                                               "levels", "input", "rows", "other"});
  CHECK(std::string_view(doc["command"]) == "errors");
  CHECK(std::string_view(doc["levels"]) == "error,fatal");
  CHECK(uint64_t(doc["input"]["log_lines"]) == 3);
  simdjson::dom::array parsed = doc["rows"];
  REQUIRE(parsed.size() == 2);
  const std::vector<std::string> row_keys{"signature", "source", "component", "level", "count",
                                          "codes",     "first",  "last",      "example", "callers"};
  for (element row : parsed) CHECK(keys_of(row.get_object()) == row_keys);
  CHECK(std::string_view(parsed.at(0)["example"]) == test::kHostileExample);
  CHECK(std::string_view(parsed.at(0)["callers"].at(0)["agent"]) == test::kFormulaAgent);
  CHECK(std::string_view(parsed.at(0)["callers"].at(0)["user"]) == "evil\xEF\xBF\xBD");
  CHECK(std::string_view(parsed.at(0)["callers"].at(0)["impersonated_user"]) ==
        test::kHostileImpersonated);
  CHECK(std::string_view(parsed.at(0)["callers"].at(1)["impersonated_user"]) == "(none)");
  CHECK(uint64_t(parsed.at(0)["codes"]["409"]) == 3);
  CHECK(parsed.at(0)["component"].is_null());
  CHECK(std::string_view(parsed.at(1)["component"]) == "kube-apiserver");
  CHECK(parsed.at(1)["last"].is_null());
  CHECK(uint64_t(doc["other"]["rows"]) == 1);
  CHECK(uint64_t(doc["other"]["count"]) == 1);
}

TEST_CASE("render_errors_csv: quoted cells, formula guard, (other) row", "[errors][render]") {
  const std::string expected =
      "signature,source,component,level,count,codes,first,last,example,callers\r\n"
      "\"409 Conflict: Operation cannot be fulfilled on <resource> \"\"<name>\"\"\",audit,,,3,409:3,"
      "2024-06-30T19:41:14Z,2024-06-30T19:42:14.391Z,\"pods \"\"web\\x1b[31m\"\" \\x07\rdone | `x`\","
      "\"'=cmd|' /C calc'!A0 (evil\xEF\xBF\xBD as bob\\x1b[2J|`x`) \xC3\x97" "2, kubectl (alice) \xC3\x97" "1\"\r\n"
      "cacher.go: cacher (<resource>): `boom` | x,apiserver-log,kube-apiserver,error,2,,"
      "2024-06-30T19:41:19Z,,E0630 19:41:19.000000 1 cacher.go:1] boom\\x07,\r\n"
      "(other),,,,1,,,,,\r\n";
  CHECK(render_errors(test::sample_errors_report(), OutputFormat::kCsv, RenderOptions{}) ==
        expected);
}

}  // namespace
}  // namespace kubeblame::report
