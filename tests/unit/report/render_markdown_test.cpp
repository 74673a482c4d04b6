// Markdown: a table that renders as the text it holds, whatever the keys contain.
#include <catch2/catch.hpp>

#include "kubeblame/report/render.h"
#include "sample_report.h"

namespace kubeblame::report {
namespace {

TEST_CASE("render_top_markdown: escaped keys, other row, summary list", "[report][render]") {
  const std::string expected =
      "### kubeblame top by agent, verb (sorted by requests)\n"
      "\n"
      "| agent | verb | requests | share | rate/s | errors | p50 | p95 | p99 | max | cost_s | watches |\n"
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
      "| kube\\|ctl\\\\x1b\\[31m\\`x\\` | get | 1,234 | 75.0% | 13.71 | 1 | 1.50ms | 12.2ms | 1.50s | 2.25s | 4.50 | 0 |\n"
      "| =HYPERLINK(\"http://evil\") | li,st \"quoted\"\\\\x0aline | 3 | 12.5% | 0.03 | 0 | - | - | - | - | - | 3 |\n"
      "| *(other: 2 groups)* | | 2 | 12.5% | - | 2 | 850µs | 850µs | 850µs | 900µs | 0.00 | 0 |\n"
      "\n"
      "- lines 8 = decoded 7 + filtered 0 + skipped 1 (truncated 1)\n"
      "- events 7 · requests 6 · 2024-06-30 19:41:14Z → 2024-06-30 19:42:44Z (1m 30s)\n"
      "- formats: audit-jsonl 7 · 2 inputs\n"
      "- skipped: audit.log:8: truncated\n";
  CHECK(render_top_markdown(test::sample_report()) == expected);
}

TEST_CASE("render_top_markdown: invalid UTF-8, bidi override and warnings", "[report][render]") {
  std::string text = render_top_markdown(test::sample_report_bad_utf8());
  CHECK(text.find("| caf\xEF\xBF\xBD | \\\\u202eevil | 3 |") != std::string::npos);
  CHECK(text.find("\n- warning: input error: x.gz: gzip data is truncated\n") != std::string::npos);
  CHECK(text.find("(other") == std::string::npos);
  // Every table line has the same number of unescaped pipes.
  std::size_t expected_pipes = 0;
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view line(text.data() + start, nl - start);
    if (line.empty() || line[0] != '|') continue;
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\' || (i >= 2 && line[i - 2] == '\\'))) ++pipes;
    }
    if (expected_pipes == 0) expected_pipes = pipes;
    CHECK(pipes == expected_pipes);
  }
  CHECK(expected_pipes == 13);  // 2 keys + 10 metrics, plus the leading pipe
}

TEST_CASE("render_top_markdown: no rows", "[report][render]") {
  TopReport empty;
  empty.by = {"agent"};
  std::string text = render_top_markdown(empty);
  CHECK(text.find("\n\n*No requests.*\n\n- lines 0 = decoded 0 + filtered 0 + skipped 0\n") !=
        std::string::npos);
}

}  // namespace
}  // namespace kubeblame::report
