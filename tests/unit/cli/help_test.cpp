// Per-command help (examples and exit codes on every command), --progress/--no-progress, and the
// generated outputs that parse_command_line prints instead of running: completion and --man.
#include <catch2/catch.hpp>

#include "kubeblame/cli/config.h"
#include "parse_command.h"

namespace kubeblame::cli {
namespace {

using testing::Parsed;
using testing::parse;

TEST_CASE("every command's --help exits 0 with examples and exit codes", "[cli][help]") {
  for (const char* command : {"top", "errors", "fights", "report", "timeline", "completion"}) {
    INFO(command);
    Parsed p = parse({command, "--help"});
    CHECK_FALSE(p.result.run);
    CHECK(p.result.exit_code == 0);
    CHECK(p.err.empty());
    CHECK(p.out.find("Examples:\n  ") != std::string::npos);
    CHECK(p.out.find("kubeblame ") != std::string::npos);
    CHECK(p.out.find("\nExit codes: 0 ok") != std::string::npos);
    CHECK(p.out.find(std::string("Usage: kubeblame ") + command) != std::string::npos);
  }
  Parsed top_level = parse({"--help"});
  CHECK(top_level.result.exit_code == 0);
  CHECK(top_level.out.find("Examples:") != std::string::npos);
  CHECK(top_level.out.find("completion") != std::string::npos);
}

TEST_CASE("progress flags: --progress, --no-progress, and -q implies no progress", "[cli][progress]") {
  CHECK(parse({"a.log"}).result.config.progress == ProgressMode::kAuto);
  CHECK(parse({"--progress", "a.log"}).result.config.progress == ProgressMode::kAlways);
  CHECK(parse({"errors", "--no-progress", "a.log"}).result.config.progress == ProgressMode::kNever);
  CHECK(parse({"-q", "a.log"}).result.config.progress == ProgressMode::kNever);
  CHECK(parse({"-q", "--progress", "a.log"}).result.config.progress == ProgressMode::kAlways);
  Parsed both = parse({"--progress", "--no-progress", "a.log"});
  CHECK_FALSE(both.result.run);
  CHECK(both.result.exit_code == 2);
  CHECK(both.err == "kubeblame: --progress and --no-progress exclude each other\n");
}

TEST_CASE("completion prints a script and does not run", "[cli][completion]") {
  Parsed bash = parse({"completion", "bash"});
  CHECK_FALSE(bash.result.run);
  CHECK(bash.result.exit_code == 0);
  CHECK(bash.out.find("complete -F _kubeblame kubeblame\n") != std::string::npos);
  CHECK(bash.out.find("        --sort) values=\"requests cost errors p99\"; comma=0 ;;\n") != std::string::npos);
  Parsed zsh = parse({"completion", "zsh"});
  CHECK(zsh.result.exit_code == 0);
  CHECK(zsh.out.rfind("#compdef kubeblame\n", 0) == 0);
  Parsed none = parse({"completion"});
  CHECK(none.result.exit_code == 2);
  CHECK(none.err == "kubeblame: shell is required (see kubeblame --help)\n");
}

TEST_CASE("the hidden --man flag prints the roff page", "[cli][man]") {
  Parsed man = parse({"--man"});
  CHECK_FALSE(man.result.run);
  CHECK(man.result.exit_code == 0);
  CHECK(man.out.rfind(".TH KUBEBLAME 1 ", 0) == 0);
  CHECK(man.out.find(".SS \"kubeblame top\"\n.TP\n\\fB\\-\\-by\\fR \\fIDIMS\\fR\n") != std::string::npos);
  CHECK(man.out.find("\\fB\\-n\\fR, \\fB\\-\\-top\\fR \\fIN\\fR\nRows per section; 0 = all (default: 10)\n") !=
        std::string::npos);
}

}  // namespace
}  // namespace kubeblame::cli
