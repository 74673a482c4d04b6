// `kubeblame top` (the default command): groups of requests ranked by requests, cost, errors or
// p99, with the (other) row for the rest.
#include "command_units.h"

#include <algorithm>

#include "kubeblame/analyze/apf_join.h"
#include "kubeblame/report/apf_findings.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/table_columns.h"

namespace kubeblame::command {

namespace {

constexpr const char* kExamples = R"EX(
Examples:
  kubeblame /var/log/kube-apiserver/audit.log*          top user agents (the default report)
  kubeblame top --by agent,verb,resource audit.log.gz   who sends which requests
  kubeblame top --by user --sort cost --top 10 logs/    most API-server time, by user
  kubeblame top --by agent,code --since 2h --where 'code>=400' audit.log   who failed lately
  az monitor log-analytics query -w $WS --analytics-query "AKSAudit | where TimeGenerated > ago(1h)" -o json \
    | kubeblame top --by agent,code
  kubeblame top --format json audit.log | jq '.rows[0]'
  kubeblame report --format markdown audit.log > ticket.md    the whole incident document
  kubeblame errors audit.log akscontrolplane.json      failure modes, from audit and kube-apiserver logs
  kubeblame fights audit.log                           controllers fighting over objects, with the fix
  kubeblame timeline --by agent --interval 1m audit.log   requests over time, with sparklines

Exit codes: 0 ok, 1 no audit events found, 2 usage or I/O error, 3 --strict and records were skipped.
)EX";

bool grouped_by_flow_schema(const std::vector<analyze::Dimension>& by) {
  return std::find(by.begin(), by.end(), analyze::Dimension::kFlowSchema) != by.end();
}

// From the table when it is grouped by flow_schema (the joined audit requests), else from the
// HTTP log lines the collector read.
std::optional<std::string> guard_finding(const Analysis& analysis) {
  const std::vector<analyze::Dimension>& by = analysis.config.by;
  if (grouped_by_flow_schema(by)) return report::guard_finding(analysis.shard.table(by));
  const auto& collector = analysis.shard.get<analyze::ApfCollector>();
  if (collector.lines() == 0) return std::nullopt;
  return report::guard_finding(collector.join().stats());
}

class TopCommand final : public Command {
 public:
  TopCommand() : Command({"top", "Rank groups of requests (the default command): counts, errors, latency, cost", kExamples, kTableFormats, false}) {}

  void declare(CLI::App& command, cli::RawOptions& raw) const override {
    cli::add_by_option(command, raw);
    cli::add_top_option(command, raw.top, "Rows to show; the rest are folded into (other); 0 = all");
    command.add_option("--sort", raw.sort, "Rank by requests, cost, errors or p99")
        ->type_name("KEY")
        ->default_str("requests");
    command
        .add_option("--columns", raw.columns,
                    "Table and markdown metric columns: default, breakdown (latency breakdown, "
                    "429s, webhooks) or a comma-separated list of column names")
        ->type_name("LIST")
        ->default_str("default");
  }

  void validate(const cli::RawOptions& raw, cli::Config& config) const override {
    config.by = cli::parse_by(raw.by);
    config.by_given = raw.by_given;
    config.top = raw.top;
    if (raw.sort == "requests") config.sort = report::SortKey::kRequests;
    else if (raw.sort == "cost") config.sort = report::SortKey::kCost;
    else if (raw.sort == "errors") config.sort = report::SortKey::kErrors;
    else if (raw.sort == "p99") config.sort = report::SortKey::kP99;
    else cli::usage_error("unknown --sort '" + raw.sort + "'; valid: requests, cost, errors, p99");
    std::string error;
    std::optional<std::vector<std::string>> columns =
        report::parse_metric_columns(raw.columns, error);
    if (!columns) cli::usage_error(error);
    config.columns = *columns;
    // Grouped by webhook, the breakdown also says what each webhook did.
    bool webhook = std::find(config.by.begin(), config.by.end(), analyze::Dimension::kWebhook) !=
                   config.by.end();
    if (raw.columns == "breakdown" && webhook) {
      config.columns.insert(config.columns.end(), {"mutations", "failed_open"});
    }
  }

  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override {
    plan.groupings.push_back(config.by);
    plan.apf_join_needed = analyze::needs_apf_join(config.by);
    // Without a flow_schema column, the HTTP log lines' own apf_fs and resp=429 name the guard.
    if (!grouped_by_flow_schema(config.by)) {
      plan.analyzers.push_back(analyze::apf_collector_factory());
    }
  }

  Document render(const Analysis& analysis) const override {
    const cli::Config& config = analysis.config;
    report::TopReport top = report::build_top(analysis.shard.table(config.by), analysis.input, config.sort, config.top);
    top.columns = config.columns;
    if (auto finding = guard_finding(analysis)) top.input.warnings.push_back(*finding);
    return {report::render_top(top, config.format, analysis.render), std::nullopt};
  }
};

}  // namespace

const Command& top_command() {
  static const TopCommand command;
  return command;
}

}  // namespace kubeblame::command
