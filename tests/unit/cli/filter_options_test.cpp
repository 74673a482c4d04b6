// --since/--until/--where on the command line: every command takes them, --where repeats and
// never swallows an input path, bad values exit 2 with one line naming the flag and the value.
#include <catch2/catch.hpp>

#include "kubeblame/cli/config.h"
#include "kubeblame/model/time.h"
#include "parse_command.h"

namespace kubeblame::cli {
namespace {

using testing::parse;
using testing::Parsed;

TEST_CASE("filters reach the Config on every command", "[cli][filter]") {
  for (std::string command : {"top", "errors", "fights", "report", "timeline"}) {
    INFO(command);
    Parsed p = parse({command, "--since", "2h", "--until", "2024-06-30T21:00:00+02:00", "--where",
                      "verb=list", "a.log", "--where", "code>=400", "b.log"});
    REQUIRE(p.result.run);
    const analyze::FilterSpec& f = p.result.config.filters;
    REQUIRE(f.since);
    CHECK(f.since->relative);
    CHECK(f.since->before_ns == 2 * 3600 * model::kNsPerSecond);
    REQUIRE(f.until);
    CHECK_FALSE(f.until->relative);
    CHECK(f.until->at == model::ns_from_civil({2024, 6, 30, 19, 0, 0, 0}));
    REQUIRE(f.where.size() == 2);
    CHECK(f.where[0].dimension == analyze::Dimension::kVerb);
    CHECK(f.where[1].op == analyze::WhereOp::kGreaterEqual);
    CHECK(p.result.config.inputs == std::vector<std::string>{"a.log", "b.log"});
  }
}

TEST_CASE("no filter options means an empty FilterSpec", "[cli][filter]") {
  Parsed p = parse({"audit.log"});
  REQUIRE(p.result.run);
  CHECK_FALSE(p.result.config.filters.since);
  CHECK_FALSE(p.result.config.filters.until);
  CHECK(p.result.config.filters.where.empty());
}

TEST_CASE("bad filter values exit 2 with one exact line", "[cli][filter]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string accepted =
      "expected an RFC 3339 time (2024-06-30T19:00:00Z, 2024-06-30T21:00:00.5+02:00) or a "
      "duration before the input's last record (45s, 90m, 2h, 1d, 1h30m)\n";
  const Case cases[] = {
      {{"--since", "2 hours"}, "kubeblame: invalid --since '2 hours': " + accepted},
      {{"errors", "--until", "tomorrow"}, "kubeblame: invalid --until 'tomorrow': " + accepted},
      {{"--where", "verb"},
       "kubeblame: --where 'verb': expected DIMENSION OPERATOR VALUE (verb=list); operators: =, "
       "!=, ~, !~ (and >=, <=, >, < on code)\n"},
      {{"fights", "--where", "colour=red"},
       "kubeblame: --where 'colour=red': unknown dimension 'colour'; valid: agent, user_agent, "
       "user, impersonated_user, verb, resource, namespace, name, object, code, source_ip, "
       "error, webhook, priority_level, flow_schema\n"},
      {{"report", "--where", "verb=list", "--where", "code=<500"},
       "kubeblame: --where 'code=<500': unknown operator '=<'; valid: =, !=, ~, !~ (and >=, <=, "
       ">, < on code)\n"},
  };
  for (const Case& c : cases) {
    INFO(c.args[0] << " " << c.args[1]);
    Parsed p = parse(c.args);
    CHECK_FALSE(p.result.run);
    CHECK(p.result.exit_code == 2);
    CHECK(p.err == c.message);
  }
}

TEST_CASE("per-command help lists the filter options", "[cli][filter]") {
  for (std::string command : {"top", "errors", "fights", "report", "timeline"}) {
    INFO(command);
    Parsed p = parse({command, "--help"});
    CHECK(p.result.exit_code == 0);
    CHECK(p.out.find("--since TIME") != std::string::npos);
    CHECK(p.out.find("--until TIME") != std::string::npos);
    CHECK(p.out.find("--where EXPR") != std::string::npos);
  }
}

}  // namespace
}  // namespace kubeblame::cli
