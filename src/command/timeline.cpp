// `kubeblame timeline`: requests and errors per time bucket for the top groups.
#include "command_units.h"

#include "kubeblame/analyze/timeline/timeline.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render_timeline.h"

namespace kubeblame::command {

namespace {

constexpr const char* kExamples = R"EX(
Examples:
  kubeblame timeline audit.log                          requests over time for the top 10 agents
  kubeblame timeline --by agent,verb --interval 1m --top 5 audit.log
  kubeblame timeline --by code -f csv logs/ > codes.csv  long format: time,code,requests,errors
  kubeblame timeline -f json audit.log | jq '.series[0].counts'

Buckets start at whole multiples of the interval since the epoch (UTC). Without --interval the
interval is the first of 1s 5s 10s 30s 1m 5m 15m 30m 1h 2h 6h 12h 1d 2d 4d ... that fits the input's
span into at most 60 buckets. Each sparkline is scaled to its own row's peak (a space: no request).
Exit codes: 0 ok, 1 no audit events found, 2 usage or I/O error (also an --interval that makes more
than 100,000 buckets), 3 --strict and records were skipped.
)EX";

class TimelineCommand final : public Command {
 public:
  TimelineCommand() : Command({"timeline", "Requests per time interval for the top groups, with sparklines", kExamples, kTableFormats, false}) {}

  void declare(CLI::App& command, cli::RawOptions& raw) const override {
    cli::add_by_option(command, raw);
    command.add_option("--interval", raw.interval,
                       "Bucket width: 30s, 1m, 5m, 1h, 1d (a bare number is seconds); default: auto, "
                       "at most 60 buckets")
        ->type_name("DURATION");
    cli::add_top_option(command, raw.timeline_top, "Groups to show; the rest are summed into (other); 0 = all");
  }

  void validate(const cli::RawOptions& raw, cli::Config& config) const override {
    config.by = cli::parse_by(raw.by);
    config.by_given = raw.by_given;
    config.top = raw.timeline_top;
    if (raw.interval.empty()) return;
    auto interval = analyze::parse_interval(raw.interval);
    if (!interval) {
      cli::usage_error("invalid --interval '" + raw.interval + "' (examples: 30s, 1m, 5m, 1h, 1d; from 1s to 36500d)");
    }
    config.interval_s = *interval;
  }

  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override {
    plan.analyzers.push_back(analyze::timeline_analyzer_factory(
        {config.by, config.interval_s, analyze::timeline_group_bound(config.max_groups)}));
  }

  Document render(const Analysis& analysis) const override {
    const auto& timeline = analysis.shard.get<analyze::TimelineAnalyzer>();
    if (auto error = report::timeline_interval_error(timeline)) return {"", *error};
    report::TimelineReport built = report::build_timeline(timeline, analysis.input, analysis.config.top);
    return {report::render_timeline(built, analysis.config.format, analysis.render), std::nullopt};
  }
};

}  // namespace

const Command& timeline_command() {
  static const TimelineCommand command;
  return command;
}

}  // namespace kubeblame::command
