// duplicate_warnings: overlapping input pairs in input order, a file repeating its own events,
// same-named inputs told apart, the cap on named pairs, and the bound.
#include "kubeblame/report/duplicate_warnings.h"

#include <catch2/catch.hpp>

#include "kubeblame/analyze/seen_events.h"

namespace kubeblame::report {
namespace {

TEST_CASE("duplicate_warnings names the overlapping inputs", "[report][duplicates]") {
  analyze::InputStats stats;
  stats.overlaps[{0, 2}] = 161;
  stats.overlaps[{0, 1}] = 1;
  stats.overlaps[{2, 2}] = 3;
  std::vector<std::string> files{"a.json", "-", "b.log"};
  CHECK(duplicate_warnings(stats, files) ==
        std::vector<std::string>{
            "a.json and <stdin> overlap: 1 event of the second was already read from the first and "
            "is counted once (--keep-duplicates counts every copy)",
            "a.json and b.log overlap: 161 events of the second were already read from the first "
            "and are counted once (--keep-duplicates counts every copy)",
            "b.log holds 3 events more than once: each is counted once"});
}

TEST_CASE("duplicate_warnings tells same-named inputs apart", "[report][duplicates]") {
  analyze::InputStats stats;
  stats.overlaps[{0, 1}] = 166;
  CHECK(duplicate_warnings(stats, {"audit.jsonl", "audit.jsonl"}) ==
        std::vector<std::string>{
            "audit.jsonl (input 1) and audit.jsonl (input 2) overlap: 166 events of the second "
            "were already read from the first and are counted once (--keep-duplicates counts "
            "every copy)"});
}

TEST_CASE("duplicate_warnings names at most 10 pairs, then the bound", "[report][duplicates]") {
  analyze::InputStats stats;
  std::vector<std::string> files;
  for (std::uint32_t i = 0; i < 13; ++i) files.push_back("f" + std::to_string(i));
  for (std::uint32_t i = 1; i < 13; ++i) stats.overlaps[{0, i}] = 1000;
  stats.duplicates_windowed = true;
  std::vector<std::string> out = duplicate_warnings(stats, files);
  REQUIRE(out.size() == kMaxOverlapWarnings + 2);
  CHECK(out[9].rfind("f0 and f10 overlap: 1,000 events", 0) == 0);
  CHECK(out[10] == "and 2 more overlapping inputs: 2,000 events counted once");
  CHECK(out[11] ==
        "more than 4,194,304 distinct audit events: past that bound duplicates are only found "
        "among the most recent 2.3 million or more (docs/duplicates.md); copies read further "
        "apart are counted twice");
}

TEST_CASE("duplicate_warnings: inputs past the 20-bit index share a name", "[report][duplicates]") {
  analyze::InputStats stats;
  std::uint32_t last = analyze::SeenEvents::kLastInput;
  stats.overlaps[{last, last + 5}] = 2;
  std::vector<std::string> files(last + 10, "x.log");
  CHECK(duplicate_warnings(stats, files).front().rfind("input 1,048,576 or later and x.log", 0) == 0);
}

}  // namespace
}  // namespace kubeblame::report
