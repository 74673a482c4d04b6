// `kubeblame fights`: objects written alternately by competing writers, hot loops and 409
// bursts, with the contested fields and a fix when a writer is a GitOps tool.
#include "command_units.h"

#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render_fights.h"

namespace kubeblame::command {

namespace {

constexpr const char* kExamples = R"EX(
Examples:
  kubeblame fights audit.log                       objects rewritten by competing controllers
  kubeblame fights --format markdown logs/ > fights.md
  kubeblame fights --min-flips 10 --hot-min-per-hour 120 audit.log

A fight is an object whose successful writes alternate between two or more writers (the
?fieldManager= of the request, else user and agent); a hot loop is one writer rewriting one object
at a steady, high rate. With request bodies (Request/RequestResponse audit level, AKS RequestObject)
the contested fields and each writer's values are named, with a fix when a writer is a GitOps tool.
Exit codes: 0 ok, 1 no audit events found, 2 usage or I/O error, 3 --strict and records were skipped.
)EX";

class FightsCommand final : public Command {
 public:
  FightsCommand() : Command({"fights", "Find controllers fighting over objects, and hot loops", kExamples, kTableFormats, false}) {}

  void declare(CLI::App& command, cli::RawOptions& raw) const override {
    cli::add_top_option(command, raw.top, "Rows to show; 0 = all");
    cli::add_fight_options(command, raw);
  }

  void validate(const cli::RawOptions& raw, cli::Config& config) const override {
    config.top = raw.top;
    const analyze::FightOptions& fights = config.fights;
    if (fights.min_writers < 2) cli::usage_error("--min-writers must be at least 2");
    if (fights.hot_min_busy_fraction < 0 || fights.hot_min_busy_fraction > 1) {
      cli::usage_error("--hot-min-busy must be between 0 and 1");
    }
    if (fights.pattern_length == 0) cli::usage_error("--pattern-length must be at least 1");
    if (fights.max_writes_per_object < 2) cli::usage_error("--max-writes-per-object must be at least 2");
  }

  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override {
    plan.analyzers.push_back(analyze::fight_analyzer_factory(config.fights));
  }

  Document render(const Analysis& analysis) const override {
    report::FightsReport fights =
        report::build_fights(analysis.shard.get<analyze::FightAnalyzer>(), analysis.input, analysis.config.top);
    if (analysis.redact) report::redact_fight_values(fights, *analysis.redact);
    return {report::render_fights(fights, analysis.config.format, analysis.render), std::nullopt};
  }
};

}  // namespace

const Command& fights_command() {
  static const FightsCommand command;
  return command;
}

}  // namespace kubeblame::command
