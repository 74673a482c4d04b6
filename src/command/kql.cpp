// `kubeblame kql COMMAND [options]`: prints the KQL that computes COMMAND's result inside Log
// Analytics (docs/kql.md). Each analysis command of the table is a subcommand of kql, declared by
// that command's own `declare`, so its options are the same; kql adds the table, --split and
// --query, and --since/--until count a duration back from now (there is no input).
#include <kubeblame/version.h>

#include <chrono>
#include <stdexcept>

#include "command_units.h"
#include "kubeblame/analyze/timeline/timeline_ladder.h"
#include "kubeblame/command/registry.h"
#include "kubeblame/kql/query.h"

namespace kubeblame::command {

namespace {

constexpr const char* kExamples = R"EX(
Examples:
  kubeblame kql top --by agent,verb --since 2h          top talkers, aggregated by Log Analytics
  az monitor log-analytics query -w $WS -o json \
    --analytics-query "$(kubeblame kql top --by agent,verb --since 2h)" > top.json
  az monitor log-analytics query -w $WS -o json \
    --analytics-query "$(kubeblame kql errors --since 1d)" | kubeblame errors
  kubeblame kql timeline --by verb --interval 5m --since 2024-06-30T00:00:00Z --until 2024-07-01T00:00:00Z
  kubeblame kql errors --table AzureDiagnostics --since 1d   failed requests and E/F log lines only
  kubeblame kql fights --since 7d --split 1d             one query per day, each under the export limit
  kubeblame kql report --since 1d --query 2              the second of the report's queries

top and timeline results are groups: a `kubeblame` marker column, the metrics and the latency
histogram in kubeblame's own buckets (docs/kql.md). errors and fights results are the rows those
commands read, in the table's own columns: give them to kubeblame errors / fights as input.
Several queries are separated by `// ---- query N of M: ... ----` lines; --query N prints one.
Exit codes: 0 ok, 2 usage error (also a dimension KQL cannot compute).
)EX";

constexpr const char* kInnerFooter = R"EX(
The options are those of the local command; --since/--until durations count back from now (ago()).
Run the query with az monitor log-analytics query -o json (or the portal, exported as CSV) and give
the result to kubeblame as input. See kubeblame kql --help for examples.
)EX";

void add_kql_options(CLI::App& app, cli::RawOptions& raw) {
  app.add_option("--table", raw.kql_table,
                 "Where the audit events are: AKSAudit, AKSAuditAdmin (no get/list/watch) or "
                 "AzureDiagnostics (legacy: log_s, categories kube-audit/kube-audit-admin); control-plane "
                 "lines come from AKSControlPlane, or AzureDiagnostics with it")
      ->type_name("TABLE")
      ->default_str("AKSAudit")
      ->group("KQL");
  app.add_option("--split", raw.kql_split,
                 "One query per window of this length (6h, 1d) from --since to --until (or now), so "
                 "each result stays under the export limit; durations are resolved now, into datetimes")
      ->type_name("DURATION")
      ->group("KQL");
  app.add_option("--query", raw.kql_query, "Print only query N of several (report, --split), from 1")
      ->type_name("N")
      ->group("KQL");
}

model::TimeNs now_ns() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
}

kql::QueryRequest query_request(const cli::Config& config) {
  kql::QueryRequest request;
  request.command = config.kql_command;
  request.table = kql::parse_table(config.kql_table).value_or(kql::Table::kAksAudit);
  request.by = config.by;
  request.filters = config.filters;
  request.interval_s = config.interval_s;
  request.split_s = config.kql_split_s;
  request.now = now_ns();
  request.min_level = config.min_level;
  request.fights = config.fights;
  request.version = kVersion;
  request.command_line = config.command_line;
  return request;
}

std::string joined(const std::vector<std::string>& queries) {
  std::string out;
  for (const std::string& query : queries) out += (out.empty() ? "" : "\n") + query;
  return out;
}

class KqlCommand final : public Command {
 public:
  KqlCommand()
      : Command({"kql", "Print the KQL that computes a command's result inside Log Analytics", kExamples, {"table"}, false}) {}

  bool reads_input() const override { return false; }

  void declare(CLI::App& command, cli::RawOptions& raw) const override {
    command.require_subcommand(1);
    for (const Command* inner : commands()) {
      if (!inner->reads_input()) continue;
      std::string name(inner->name());
      CLI::App* sub = command.add_subcommand(name, "The KQL of `kubeblame " + name + "`");
      inner->declare(*sub, raw);
      cli::add_filter_options(*sub, raw, true);
      add_kql_options(*sub, raw);
      sub->footer(kInnerFooter);
      sub->callback([&raw, name] { raw.kql_command = name; });
    }
  }

  void validate(const cli::RawOptions& raw, cli::Config& config) const override {
    find_command(raw.kql_command).validate(raw, config);
    config.kql_command = raw.kql_command;
    if (!kql::parse_table(raw.kql_table)) {
      cli::usage_error("unknown --table '" + raw.kql_table + "'; valid: AKSAudit, AKSAuditAdmin, AzureDiagnostics");
    }
    config.kql_table = raw.kql_table;
    if (!raw.kql_split.empty()) {
      auto split = analyze::parse_interval(raw.kql_split);
      if (!split) cli::usage_error("invalid --split '" + raw.kql_split + "' (examples: 6h, 1d, 30m)");
      config.kql_split_s = *split;
    }
    config.kql_query = raw.kql_query;
  }

  void plan(const cli::Config& /*config*/, analyze::AnalysisPlan& /*plan*/) const override {}

  Document render(const Analysis& /*analysis*/) const override { return {"", "kql reads no input"}; }

  Document without_input(const cli::Config& config) const override {
    std::vector<std::string> queries;
    try {
      queries = kql::generate(query_request(config));
    } catch (const std::invalid_argument& error) {
      return {"", error.what()};
    }
    if (config.kql_query == 0) return {joined(queries), std::nullopt};
    if (config.kql_query > queries.size()) {
      return {"", "--query " + std::to_string(config.kql_query) + ": there " +
                      (queries.size() == 1 ? "is 1 query" : "are " + std::to_string(queries.size()) + " queries")};
    }
    return {queries[config.kql_query - 1], std::nullopt};
  }
};

}  // namespace

const Command& kql_command() {
  static const KqlCommand command;
  return command;
}

}  // namespace kubeblame::command
