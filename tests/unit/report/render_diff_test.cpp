// render_diff_*: the totals sentence, new/gone markers, colour only when asked, and every key
// escaped for its format.
#include <catch2/catch.hpp>

#include "kubeblame/model/time.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render_diff.h"

namespace kubeblame::report {
namespace {

using analyze::Dimension;
using analyze::GroupTable;
using analyze::RequestFacts;

constexpr model::TimeNs kSecond = model::kNsPerSecond;
constexpr model::TimeNs kT = 1740472800LL * kSecond;  // 2025-02-25T08:40:00Z
constexpr std::string_view kHostile = "=evil|`x`\x1b[31m";

void add(GroupTable& table, std::string_view agent, int count) {
  std::string_view key[] = {agent};
  for (int i = 0; i < count; ++i) table.add(key, RequestFacts{kT, 5'000'000, false, false});
}

InputSummary input_of(std::uint64_t requests) {
  InputSummary input;
  input.requests = requests;
  input.first = kT;
  input.last = kT + 100 * kSecond;
  return input;
}

// BEFORE: kubelet 100, hostile 10; AFTER: kubelet 90, flux 5 (100 s each).
DiffReport sample() {
  static GroupTable before({Dimension::kAgent});
  static GroupTable after({Dimension::kAgent});
  static bool filled = false;
  if (!filled) {
    add(before, "kubelet", 100);
    add(before, kHostile, 10);
    add(after, "kubelet", 90);
    add(after, "flux", 5);
    filled = true;
  }
  static const InputSummary in_before = input_of(110);
  static const InputSummary in_after = input_of(95);
  return build_diff({before, in_before, "before/"}, {after, in_after, "after.log"}, DiffSort::kRate,
                    20);
}

TEST_CASE("change_sentence says down, up, unchanged and up from 0", "[report][diff]") {
  CHECK(change_sentence("load", 0.242, 0.232, -4.132, "/s") ==
        "load down 4.1% (0.242/s → 0.232/s)");
  CHECK(change_sentence("cost", 1.5, 3.0, 100.0, " s/s") ==
        "cost up 100.0% (1.500 s/s → 3.000 s/s)");
  CHECK(change_sentence("load", 2, 2, 0.0, "/s") == "load unchanged (2.000/s → 2.000/s)");
  CHECK(change_sentence("errors", 0, 0.5, std::nullopt, "/s") ==
        "errors up from 0 (0.000/s → 0.500/s)");
  CHECK(change_sentence("errors", 0, 0, std::nullopt, "/s") ==
        "errors unchanged (0.000/s → 0.000/s)");
}

TEST_CASE("render_diff_table marks new and gone, totals first in the footer", "[report][diff]") {
  std::string out = render_diff_table(sample(), RenderOptions{});
  CHECK(out.find("STATUS") != std::string::npos);
  CHECK(out.find("gone\n") != std::string::npos);
  CHECK(out.find("new\n") != std::string::npos);
  CHECK(out.find("(total)") != std::string::npos);
  CHECK(out.find("\nload down 13.6% (1.100/s → 0.950/s)") != std::string::npos);
  CHECK(out.find("before: before/\n") != std::string::npos);
  CHECK(out.find("after: after.log\n") != std::string::npos);
  CHECK(out.find('\x1b') == std::string::npos);  // the hostile key's ESC is shown as \x1b
  CHECK(out.find("=evil|`x`\\x1b[31m") != std::string::npos);
}

TEST_CASE("render_diff_table colours rises red and falls green only with colour on",
          "[report][diff]") {
  RenderOptions color;
  color.color = true;
  std::string out = render_diff_table(sample(), color);
  CHECK(out.find("\x1b[32m-0.100\x1b[0m") != std::string::npos);  // kubelet: 1.0/s → 0.9/s
  CHECK(out.find("\x1b[31m+0.050\x1b[0m") != std::string::npos);  // flux: new, 0.05/s
}

TEST_CASE("render_diff_markdown, _csv and _json escape keys for their format", "[report][diff]") {
  std::string markdown = render_diff_markdown(sample());
  CHECK(markdown.rfind(
            "### kubeblame diff by agent (sorted by change in requests/s)\n\n**load down 13.6%",
            0) == 0);
  CHECK(
      markdown.find(
          "- Before: before/ · 2025-02-25 08:40:00Z → 2025-02-25 08:41:40Z (1m 40s) · 110 requests") !=
      std::string::npos);
  CHECK(markdown.find("=evil\\|\\`x\\`\\\\x1b\\[31m") != std::string::npos);
  CHECK(markdown.find('\x1b') == std::string::npos);

  std::string csv = render_diff_csv(sample());
  CHECK(csv.rfind("agent,status,requests_before,requests_after,requests_change,", 0) == 0);
  CHECK(csv.find("\r\n'=evil|`x`\\x1b[31m,gone,10,0,-10,0.1,0,-0.1,-100,") != std::string::npos);
  CHECK(csv.find('\x1b') == std::string::npos);
  CHECK(csv.find("\r\nflux,new,0,5,5,0,0.05,0.05,,") != std::string::npos);
  CHECK(csv.find("\r\n(total),,110,95,-15,") != std::string::npos);

  std::string json = render_diff_json(sample());
  CHECK(json.find("\"key\":{\"agent\":\"=evil|`x`\\u001b[31m\"},\"status\":\"gone\"") !=
        std::string::npos);
  CHECK(json.find("\"status\":\"new\",\"before\":{\"requests\":0,") != std::string::npos);
  CHECK(json.find("\"rate_pct\":null") != std::string::npos);
  CHECK(json.find("\"path\":\"after.log\",\"span_s\":100}") != std::string::npos);
  CHECK(json.back() == '\n');
}

}  // namespace
}  // namespace kubeblame::report
