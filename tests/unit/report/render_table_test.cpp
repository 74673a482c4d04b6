// Terminal table: exact output for a report with hostile keys; nothing raw reaches the terminal.
#include <catch2/catch.hpp>

#include "kubeblame/report/render.h"
#include "sample_report.h"

namespace kubeblame::report {
namespace {

TEST_CASE("render_top_table: aligned, escaped, with the input summary", "[report][render]") {
  const std::string expected =
      "AGENT                      VERB                    REQUESTS  SHARE  RATE/S  ERRORS     P50     P95    P99    MAX  COST_S  WATCHES\n"
      "kube|ctl\\x1b[31m`x`        get                        1,234  75.0%   13.71       1  1.50ms  12.2ms  1.50s  2.25s    4.50        0\n"
      "=HYPERLINK(\"http://evil\")  li,st \"quoted\"\\x0aline         3  12.5%    0.03       0       -       -      -      -       -        3\n"
      "(other: 2 groups)                                         2  12.5%       -       2   850µs   850µs  850µs  900µs    0.00        0\n"
      "\n"
      "lines 8 = decoded 7 + filtered 0 + skipped 1 (truncated 1)\n"
      "events 7 · requests 6 · 2024-06-30 19:41:14Z → 2024-06-30 19:42:44Z (1m 30s)\n"
      "formats: audit-jsonl 7 · 2 inputs\n"
      "skipped: audit.log:8: truncated\n";
  CHECK(render_top_table(test::sample_report(), RenderOptions{}) == expected);
}

TEST_CASE("render_top_table: invalid UTF-8 and bidi overrides in keys, warnings", "[report][render]") {
  const std::string expected =
      "AGENT                VERB        REQUESTS  SHARE  RATE/S  ERRORS     P50     P95    P99    MAX  COST_S  WATCHES\n"
      "kube|ctl\\x1b[31m`x`  get            1,234  75.0%   13.71       1  1.50ms  12.2ms  1.50s  2.25s    4.50        0\n"
      "caf\xEF\xBF\xBD                 \\u202eevil         3  12.5%    0.03       0       -       -      -      -       -        3\n"
      "\n"
      "lines 8 = decoded 7 + filtered 0 + skipped 0\n"
      "events 7 · requests 6\n"
      "formats: audit-jsonl 7 · 2 inputs\n"
      "warning: input error: x.gz: gzip data is truncated\n";
  CHECK(render_top_table(test::sample_report_bad_utf8(), RenderOptions{}) == expected);
}

TEST_CASE("render_top_table: colour styles the header, the footer and non-zero errors", "[report][render]") {
  std::string plain = render_top_table(test::sample_report(), RenderOptions{false});
  std::string color = render_top_table(test::sample_report(), RenderOptions{true});
  CHECK(plain.find('\x1b') == std::string::npos);
  CHECK(color.rfind("\x1b[1mAGENT ", 0) == 0);
  CHECK(color.find("WATCHES\x1b[0m\n") != std::string::npos);
  CHECK(color.find("\x1b[2mlines 8 = decoded 7") != std::string::npos);
  // ERRORS is right-aligned: the padding stays outside the red.
  CHECK(color.find("   13.71       \x1b[31m1\x1b[0m  1.50ms") != std::string::npos);
  CHECK(color.find("    0.03       0       -") != std::string::npos);
  std::string stripped = color;
  for (const char* code : {"\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[0m"}) {
    for (std::size_t at; (at = stripped.find(code)) != std::string::npos;) {
      stripped.erase(at, std::string_view(code).size());
    }
  }
  CHECK(stripped == plain);
}

TEST_CASE("render_top_table: long keys whole without a width, shortened in the middle to fit one", "[report][render]") {
  TopReport report;
  report.by = {"agent", "user"};
  Row row;
  row.key = {"argocd-application-controller", "system:serviceaccount:argocd:argocd-application-controller"};
  row.metrics.requests = 1;
  report.rows.push_back(row);
  report.input.warnings = {"the export hit its row limit: re-run it over two halves of the time range"};
  std::string whole = render_top_table(report, RenderOptions{});
  CHECK(whole.find("argocd-application-controller  system:serviceaccount:argocd:argocd-application-controller  ") !=
        std::string::npos);
  CHECK(whole.find("\nwarning: the export hit its row limit: re-run it over two halves of the time range\n") !=
        std::string::npos);

  // The metrics take 68 columns and never shrink; the widest key gives way first, then both
  // evenly (down to 21 columns each); the footer wraps at spaces.
  const std::string expected =
      "AGENT                      USER                       REQUESTS  SHARE  RATE/S  ERRORS  P50  P95  P99  MAX  COST_S  WATCHES\n"
      "argocd-appli…n-controller  system:servi…n-controller         1   0.0%       -       0    -    -    -    -       -        0\n"
      "\n"
      "lines 0 = decoded 0 + filtered 0 + skipped 0\n"
      "events 0 · requests 0\n"
      "formats: none recognised · 0 inputs\n"
      "warning: the export hit its row limit: re-run it over two halves of the time range\n";
  CHECK(render_top_table(report, RenderOptions{false, 122}) == expected);
  std::string narrow = render_top_table(report, RenderOptions{false, 60});
  CHECK(narrow.find("\nargocd-app…controller  system:ser…controller         1") != std::string::npos);
  CHECK(narrow.find("\nwarning: the export hit its row limit: re-run it over two\n  halves of the time range\n") !=
        std::string::npos);
  // Wider than needed: nothing changes.
  CHECK(render_top_table(report, RenderOptions{false, 1000}) == whole);

  TopReport empty;
  empty.by = {"agent"};
  std::string none = render_top_table(empty, RenderOptions{});
  CHECK(none.rfind("AGENT  REQUESTS  SHARE  RATE/S  ERRORS  P50  P95  P99  MAX  COST_S  WATCHES\n"
                   "(no requests)\n\n",
                   0) == 0);
  CHECK(none.find("formats: none recognised · 0 inputs\n") != std::string::npos);
}

}  // namespace
}  // namespace kubeblame::report
