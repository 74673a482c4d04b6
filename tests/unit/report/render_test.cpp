// Format dispatch and the input summary lines shared by the table and markdown footers.
#include "kubeblame/report/render.h"

#include <catch2/catch.hpp>

#include "sample_report.h"

namespace kubeblame::report {
namespace {

TEST_CASE("parse_output_format", "[report][render]") {
  CHECK(parse_output_format("table") == OutputFormat::kTable);
  CHECK(parse_output_format("markdown") == OutputFormat::kMarkdown);
  CHECK(parse_output_format("md") == OutputFormat::kMarkdown);
  CHECK(parse_output_format("json") == OutputFormat::kJson);
  CHECK(parse_output_format("csv") == OutputFormat::kCsv);
  CHECK(parse_output_format("html") == OutputFormat::kHtml);
  CHECK_FALSE(parse_output_format("htm").has_value());
  CHECK_FALSE(parse_output_format("JSON").has_value());
}

TEST_CASE("render_top dispatches to each renderer", "[report][render]") {
  TopReport report = test::sample_report();
  CHECK(render_top(report, OutputFormat::kTable, {}) == render_top_table(report, {}));
  CHECK(render_top(report, OutputFormat::kTable, {true}) == render_top_table(report, {true}));
  CHECK(render_top(report, OutputFormat::kMarkdown, {}) == render_top_markdown(report));
  CHECK(render_top(report, OutputFormat::kJson, {}) == render_top_json(report));
  CHECK(render_top(report, OutputFormat::kCsv, {}) == render_top_csv(report));
}

TEST_CASE("summary_lines: accounting, span, formats, samples, warnings", "[report][render]") {
  InputSummary input;
  input.files = {"-"};
  input.lines = 1234567;
  input.decoded = 1234000;
  input.filtered = 500;
  input.skipped = {{"malformed_json", 60}, {"too_long", 7}};
  input.skipped_total = 67;
  input.sampled_skips = 67;
  input.events = 1234000;
  input.requests = 1000000;
  input.first = test::kReportT;
  input.last = test::kReportT + (2 * 86400 + 3 * 3600) * model::kNsPerSecond;
  input.formats = {{"audit-jsonl", 1234000}, {"log-text", 7}};
  input.samples = {"-:3: malformed_json", "evil\x1b[2J:9: too_long"};
  input.warnings = {"bell\a"};
  CHECK(summary_lines(input) ==
        std::vector<std::string>{
            "lines 1,234,567 = decoded 1,234,000 + filtered 500 + skipped 67 (malformed_json 60, "
            "too_long 7)",
            "events 1,234,000 · requests 1,000,000 · 2024-06-30 19:41:14Z → 2024-07-02 22:41:14Z "
            "(2d 03h)",
            "formats: audit-jsonl 1,234,000, log-text 7 · 1 input",
            "first skipped: -:3: malformed_json; evil\\x1b[2J:9: too_long",
            "warning: bell\\x07",
        });
}

TEST_CASE("summary_lines: blank lines are counted but never sampled", "[report][render]") {
  InputSummary input;
  input.files = {"audit.log"};
  input.lines = 98;
  input.decoded = 90;
  input.skipped = {{"malformed_json", 1}, {"blank", 7}};
  input.skipped_total = 8;
  input.sampled_skips = 1;
  input.events = 90;
  input.formats = {{"audit-jsonl", 91}};
  input.samples = {"audit.log:4: malformed_json"};
  std::vector<std::string> lines = summary_lines(input);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "lines 98 = decoded 90 + filtered 0 + skipped 8 (malformed_json 1, blank 7)");
  CHECK(lines[3] == "skipped: audit.log:4: malformed_json");  // the only sampled skip, not "first"
}

}  // namespace
}  // namespace kubeblame::report
