// Command line to Config: the default command, every option, and usage errors (exit 2 with one
// line on stderr that says what is valid).
#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>
#include <thread>

#include "kubeblame/cli/config.h"
#include "parse_command.h"

namespace kubeblame::cli {
namespace {

using testing::Parsed;
using testing::parse;

TEST_CASE("top is the default command with the documented defaults", "[cli]") {
  for (auto args : {std::vector<std::string>{"audit.log"}, std::vector<std::string>{"top", "audit.log"}}) {
    Parsed p = parse(args);
    REQUIRE(p.result.run);
    CHECK(p.err.empty());
    const Config& c = p.result.config;
    CHECK(c.command == "top");
    CHECK(c.inputs == std::vector<std::string>{"audit.log"});
    CHECK(c.by == std::vector<analyze::Dimension>{analyze::Dimension::kAgent});
    CHECK(c.top == 20);
    CHECK(c.sort == report::SortKey::kRequests);
    CHECK(c.format == report::OutputFormat::kTable);
    CHECK(c.input_format == decode::FormatHint::kAuto);
    CHECK(c.threads == std::max(1u, std::thread::hardware_concurrency()));
    CHECK(c.chunk_size == 1u << 20);
    CHECK(c.max_line == 128u << 20);
    CHECK_FALSE(c.strict);
    CHECK(c.color == ColorMode::kAuto);
  }
  Parsed stdin_only = parse({});
  REQUIRE(stdin_only.result.run);
  CHECK(stdin_only.result.config.inputs.empty());
}

TEST_CASE("every option reaches the Config", "[cli]") {
  Parsed p = parse({"top", "--by", "agent, verb,resource", "--top", "5", "--sort", "cost", "-f", "json",
                    "-j", "3", "--chunk-size", "256K", "--max-line-size", "1G", "--strict", "-q",
                    "-vv", "--stats", "--color", "never", "--input-format", "log-analytics-csv",
                    "a.log", "dir/"});
  REQUIRE(p.result.run);
  const Config& c = p.result.config;
  CHECK(c.by == std::vector<analyze::Dimension>{analyze::Dimension::kAgent, analyze::Dimension::kVerb,
                                                analyze::Dimension::kResource});
  CHECK(c.top == 5);
  CHECK(c.sort == report::SortKey::kCost);
  CHECK(c.format == report::OutputFormat::kJson);
  CHECK(c.threads == 3);
  CHECK(c.chunk_size == 256 * 1024);
  CHECK(c.max_line == 1u << 30);
  CHECK(c.strict);
  CHECK(c.quiet);
  CHECK(c.verbosity == 2);
  CHECK(c.stats);
  CHECK(c.color == ColorMode::kNever);
  CHECK(c.input_format == decode::FormatHint::kLogAnalyticsCsv);
  CHECK(c.inputs == std::vector<std::string>{"a.log", "dir/"});

  Parsed sorts = parse({"--sort", "p99", "--format", "md", "--color", "always", "-n", "0"});
  REQUIRE(sorts.result.run);
  CHECK(sorts.result.config.sort == report::SortKey::kP99);
  CHECK(sorts.result.config.format == report::OutputFormat::kMarkdown);
  CHECK(sorts.result.config.color == ColorMode::kAlways);
  CHECK(sorts.result.config.top == 0);
}

TEST_CASE("usage errors exit 2 and say what is valid", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"--by", "agent,bogus"},
       "kubeblame: unknown dimension 'bogus' in --by; valid: agent, user_agent, user, "
       "impersonated_user, verb, resource, namespace, name, object, code, source_ip, error, webhook, priority_level, flow_schema\n"},
      {{"--by", "verb,verb"}, "kubeblame: dimension 'verb' is repeated in --by\n"},
      {{"--by", " , "},
       "kubeblame: --by needs at least one dimension; valid: agent, user_agent, user, "
       "impersonated_user, verb, resource, namespace, name, object, code, source_ip, error, webhook, priority_level, flow_schema\n"},
      {{"--sort", "fastest"}, "kubeblame: unknown --sort 'fastest'; valid: requests, cost, errors, p99\n"},
      {{"--format", "html"},
       "kubeblame: --format html is only for report (one page with every section); valid here: "
       "table, markdown, json, csv\n"},
      {{"--format", "xml"}, "kubeblame: unknown --format 'xml'; valid: table, markdown, json, csv\n"},
      {{"--input-format", "splunk"},
       "kubeblame: unknown --input-format 'splunk'; valid: auto, audit, log-analytics, "
       "log-analytics-csv, azure-records, log-text, eks, gke\n"},
      {{"--color", "sometimes"}, "kubeblame: unknown --color 'sometimes'; valid: auto, always, never\n"},
      {{"--chunk-size", "0"}, "kubeblame: --chunk-size must be at least 1 byte\n"},
      {{"--chunk-size", "lots"}, "kubeblame: invalid size 'lots' (examples: 65536, 256K, 64M, 1G)\n"},
      {{"--max-line-size", "2T"}, "kubeblame: invalid size '2T' (examples: 65536, 256K, 64M, 1G)\n"},
      {{"-j", "300"}, "kubeblame: --threads must be between 1 and 256\n"},
  };
  for (const Case& c : cases) {
    Parsed p = parse(c.args);
    INFO(c.args.at(0) << " " << c.args.at(1));
    CHECK_FALSE(p.result.run);
    CHECK(p.result.exit_code == 2);
    CHECK(p.err == c.message);
  }
  Parsed unknown = parse({"--frobnicate"});
  CHECK_FALSE(unknown.result.run);
  CHECK(unknown.result.exit_code == 2);
  CHECK(unknown.err.rfind("kubeblame: ", 0) == 0);
  CHECK(unknown.err.find("--frobnicate") != std::string::npos);
  CHECK(unknown.err.find("(see kubeblame --help)") != std::string::npos);
  Parsed not_a_number = parse({"--top", "many"});
  CHECK(not_a_number.result.exit_code == 2);
}

TEST_CASE("Version and help print to stdout and exit 0", "[cli]") {
  Parsed version = parse({"--version"});
  CHECK_FALSE(version.result.run);
  CHECK(version.result.exit_code == 0);
  CHECK(version.out.rfind("kubeblame ", 0) == 0);
  Parsed help = parse({"--help"});
  CHECK_FALSE(help.result.run);
  CHECK(help.result.exit_code == 0);
  CHECK(help.out.find("Exit codes:") != std::string::npos);
  Parsed top_help = parse({"top", "--help"});
  CHECK(top_help.result.exit_code == 0);
  CHECK(top_help.out.find("--by") != std::string::npos);
}

TEST_CASE("parse_size accepts bytes and binary suffixes", "[cli]") {
  CHECK(parse_size("65536") == 65536);
  CHECK(parse_size("10B") == 10);
  CHECK(parse_size("256K") == 256 * 1024);
  CHECK(parse_size("64kb") == 64 * 1024);
  CHECK(parse_size("1M") == 1 << 20);
  CHECK(parse_size("128MiB") == 128u << 20);
  CHECK(parse_size("1g") == 1u << 30);
  CHECK(parse_size("1048576M") == std::size_t{1} << 40);
  for (const char* bad : {"", "K", "1.5M", "12X", "-1", "1048577M", "99999999999999999999"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_size(bad), std::invalid_argument);
  }
}

}  // namespace
}  // namespace kubeblame::cli

namespace kubeblame::cli {
namespace {

TEST_CASE("errors and fights subcommands and their options", "[cli]") {
  Parsed errors = parse({"errors", "--level", "warning", "-n", "5", "cp.json"});
  REQUIRE(errors.result.run);
  CHECK(errors.result.config.command == "errors");
  CHECK(errors.result.config.min_level == model::LogLevel::kWarning);
  CHECK(errors.result.config.top == 5);
  CHECK(parse({"errors", "x"}).result.config.min_level == model::LogLevel::kError);

  Parsed bad_level = parse({"errors", "--level", "debug", "x"});
  CHECK_FALSE(bad_level.result.run);
  CHECK(bad_level.result.exit_code == 2);
  CHECK(bad_level.err == "kubeblame: unknown --level 'debug'; valid: error, warning, info, fatal\n");

  Parsed fights = parse({"fights", "--min-flips", "7", "--hot-min-per-hour", "120.5",
                         "--min-conflicts", "3", "audit.log"});
  REQUIRE(fights.result.run);
  const Config& c = fights.result.config;
  CHECK(c.command == "fights");
  CHECK(c.fights.min_flips == 7);
  CHECK(c.fights.hot_min_per_hour == 120.5);
  CHECK(c.fights.min_conflicts == 3);
  CHECK(c.fights.min_writers == analyze::FightOptions{}.min_writers);

  Parsed busy = parse({"fights", "--hot-min-busy", "1.5", "x"});
  CHECK(busy.result.exit_code == 2);
  CHECK(busy.err == "kubeblame: --hot-min-busy must be between 0 and 1\n");
  // Fight thresholds belong to `fights` only.
  CHECK(parse({"top", "--min-flips", "3", "x"}).result.exit_code == 2);
}

TEST_CASE("redact options: --redact, --redact-key", "[cli][redact]") {
  CHECK_FALSE(parse({"x"}).result.config.redact);
  Parsed plain = parse({"--redact", "x"});
  REQUIRE(plain.result.run);
  CHECK(plain.result.config.redact);
  Parsed keyed = parse({"top", "--redact-key", "incident-4711", "x"});
  REQUIRE(keyed.result.run);
  CHECK(keyed.result.config.redact);
  CHECK(keyed.result.config.redact_key == "incident-4711");
}

}  // namespace
}  // namespace kubeblame::cli
