// `kubeblame timeline` on the command line: the subcommand and its defaults (--by agent, 10
// groups, auto interval), --interval parsing and its usage errors, help with examples.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kubeblame/cli/config.h"
#include "parse_command.h"

namespace kubeblame::cli {

TEST_CASE("timeline is a subcommand: --by agent, 10 groups and an auto interval by default", "[timeline]") {
  testing::Parsed p = testing::parse({"timeline", "audit.log"});
  REQUIRE(p.result.run);
  CHECK(p.result.config.command == "timeline");
  CHECK(p.result.config.top == 10);
  CHECK(p.result.config.interval_s == 0);
  CHECK(p.result.config.by == std::vector<analyze::Dimension>{analyze::Dimension::kAgent});

  testing::Parsed q = testing::parse(
      {"timeline", "--by", "agent,verb", "--interval", "5m", "-n", "3", "-f", "csv", "--max-groups", "50", "x"});
  REQUIRE(q.result.run);
  CHECK(q.result.config.interval_s == 300);
  CHECK(q.result.config.top == 3);
  CHECK(q.result.config.max_groups == 50);
  CHECK(q.result.config.format == report::OutputFormat::kCsv);
  CHECK(q.result.config.by ==
        std::vector<analyze::Dimension>{analyze::Dimension::kAgent, analyze::Dimension::kVerb});
  CHECK(testing::parse({"timeline", "--interval", "90", "x"}).result.config.interval_s == 90);
  CHECK(testing::parse({"timeline", "--interval", "1d", "x"}).result.config.interval_s == 86400);
  // Other commands keep their own --top default.
  CHECK(testing::parse({"top", "x"}).result.config.top == 20);
}

TEST_CASE("timeline: a malformed --interval is a usage error naming the valid forms", "[timeline]") {
  for (const char* bad : {"1w", "0s", "-1m", "1.5h", "m", "36501d"}) {
    INFO(bad);
    testing::Parsed p = testing::parse({"timeline", "--interval", bad, "x"});
    CHECK_FALSE(p.result.run);
    CHECK(p.result.exit_code == 2);
    CHECK(p.err == "kubeblame: invalid --interval '" + std::string(bad) +
                       "' (examples: 30s, 1m, 5m, 1h, 1d; from 1s to 36500d)\n");
  }
  testing::Parsed dims = testing::parse({"timeline", "--by", "agent,colour", "x"});
  CHECK(dims.result.exit_code == 2);
  CHECK(dims.err.find("unknown dimension 'colour' in --by") != std::string::npos);
}

TEST_CASE("timeline --help shows its flags and examples", "[timeline]") {
  testing::Parsed p = testing::parse({"timeline", "--help"});
  CHECK_FALSE(p.result.run);
  CHECK(p.result.exit_code == 0);
  CHECK(p.out.find("--interval DURATION") != std::string::npos);
  CHECK(p.out.find("kubeblame timeline --by agent,verb --interval 1m --top 5 audit.log") != std::string::npos);
  CHECK(p.out.find("at most 60 buckets") != std::string::npos);
  testing::Parsed top_level = testing::parse({"--help"});
  CHECK(top_level.out.find("timeline") != std::string::npos);
}

}  // namespace kubeblame::cli
