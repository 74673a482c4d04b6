// `kubeblame diff BEFORE AFTER`: did the fix cut the load, and whose? The same groups in two
// input sets, each read in a pass of its own, rates over each side's own span, ranked by the
// change.
#include "command_units.h"

#include "kubeblame/report/build.h"
#include "kubeblame/report/render_diff.h"

namespace kubeblame::command {

namespace {

constexpr const char* kExamples = R"EX(
Examples:
  kubeblame diff before/ after/                       whose request rate changed, largest change first
  kubeblame diff --by agent,verb,resource audit-monday.log.gz audit-tuesday.log.gz
  kubeblame diff --sort cost --by user before.json after.json   who costs the API server more or less time
  kubeblame diff --since 1h old/ new/                 the last hour of each side (its own last record)
  kubeblame diff --format markdown before/ after/ > ticket.md   "load down 4.1% (…/s → …/s)" and the table
  az monitor log-analytics query ... -o json | kubeblame diff before.json -    AFTER from stdin

Each side's counts become rates over its own time span (first to last record, at least 1 s), so
inputs of different lengths compare. Groups on one side only are marked new or gone. --since and
--until apply to both sides; a duration counts back from each side's own last record.
Exit codes: 0 ok, 1 BEFORE or AFTER has no audit events (the message says which), 2 usage or
I/O error, 3 --strict and records were skipped.
)EX";

class DiffCommand final : public Command {
 public:
  DiffCommand()
      : Command(
            {"diff",
             "Compare two inputs (before and after a fix): request rates per group and their change",
             kExamples, kTableFormats, false, true}) {}

  std::vector<std::string> sort_keys() const override { return {"rate", "cost", "errors"}; }

  void declare(CLI::App& command, cli::RawOptions& raw) const override {
    command.add_option("before", raw.before, "BEFORE: a file, a directory or '-' (stdin)")
        ->type_name("BEFORE")
        ->required();
    command
        .add_option("after", raw.after,
                    "AFTER: a file, a directory or '-' (stdin; not on both sides)")
        ->type_name("AFTER")
        ->required();
    cli::add_by_option(command, raw);
    cli::add_top_option(command, raw.top,
                        "Rows to show; the rest are folded into (other); 0 = all");
    command
        .add_option(
            "--sort", raw.diff_sort,
            "Rank by the absolute change in requests/s (rate), cost_s/s (cost) or errors/s (errors)")
        ->type_name("KEY")
        ->default_str("rate");
  }

  void validate(const cli::RawOptions& raw, cli::Config& config) const override {
    if (raw.before == "-" && raw.after == "-")
      cli::usage_error("diff reads stdin on one side at most, not both");
    config.inputs = {raw.before, raw.after};
    config.by = cli::parse_by(raw.by);
    config.by_given = raw.by_given;
    config.top = raw.top;
    if (raw.diff_sort == "rate") config.diff_sort = report::DiffSort::kRate;
    else if (raw.diff_sort == "cost") config.diff_sort = report::DiffSort::kCost;
    else if (raw.diff_sort == "errors") config.diff_sort = report::DiffSort::kErrors;
    else cli::usage_error("unknown --sort '" + raw.diff_sort + "'; valid: rate, cost, errors");
  }

  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override {
    plan.groupings.push_back(config.by);
  }

  // app::run calls compare() for a command that compares two inputs, never this.
  Document render(const Analysis& /*analysis*/) const override {
    return {{}, "diff compares two inputs: BEFORE and AFTER"};
  }

  Document compare(const Analysis& before, const Analysis& after) const override {
    const cli::Config& config = before.config;
    report::DiffReport diff =
        report::build_diff({before.shard.table(config.by), before.input, config.inputs.at(0)},
                           {after.shard.table(config.by), after.input, config.inputs.at(1)},
                           config.diff_sort, config.top);
    return {report::render_diff(diff, config.format, before.render), std::nullopt};
  }
};

}  // namespace

const Command& diff_command() {
  static const DiffCommand command;
  return command;
}

}  // namespace kubeblame::command
