// `kubeblame report` on the command line: the subcommand, its --top default (10 per section),
// formats (csv refused with exit 2 and a line that names the valid ones) and its help.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kubeblame/cli/config.h"
#include "parse_command.h"

namespace kubeblame::cli {
namespace {

using ReportParsed = testing::Parsed;
ReportParsed parse_report(std::vector<std::string> args) { return testing::parse(std::move(args)); }

}  // namespace

TEST_CASE("report is a subcommand with 10 rows per section by default", "[report]") {
  ReportParsed p = parse_report({"report", "audit.log"});
  REQUIRE(p.result.run);
  CHECK(p.result.config.command == "report");
  CHECK(p.result.config.top == 10);
  CHECK(p.result.config.format == report::OutputFormat::kTable);
  CHECK(p.result.config.inputs == std::vector<std::string>{"audit.log"});

  ReportParsed md = parse_report({"report", "--format", "markdown", "-n", "3", "-j", "2", "a", "b"});
  REQUIRE(md.result.run);
  CHECK(md.result.config.top == 3);
  CHECK(md.result.config.threads == 2);
  CHECK(md.result.config.format == report::OutputFormat::kMarkdown);
  CHECK(parse_report({"report", "-f", "json", "x"}).result.config.format == report::OutputFormat::kJson);
  // `top` keeps its own default.
  CHECK(parse_report({"top", "x"}).result.config.top == 20);
}

TEST_CASE("report refuses csv with exit 2", "[report]") {
  ReportParsed p = parse_report({"report", "-f", "csv", "audit.log"});
  CHECK_FALSE(p.result.run);
  CHECK(p.result.exit_code == 2);
  CHECK(p.err.find("report supports table, markdown, json and html") != std::string::npos);
}

TEST_CASE("report --help shows its examples", "[report]") {
  ReportParsed p = parse_report({"report", "--help"});
  CHECK_FALSE(p.result.run);
  CHECK(p.result.exit_code == 0);
  CHECK(p.out.find("kubeblame report --format markdown audit.log > ticket.md") != std::string::npos);
  CHECK(p.out.find("LIST requests served from etcd vs the watch cache") != std::string::npos);
}

}  // namespace kubeblame::cli
