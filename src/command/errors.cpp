// `kubeblame errors`: failure modes as error signatures (variable parts masked), from audit
// responses with code >= 400 and from control-plane log lines at --level or above.
#include "command_units.h"

#include "kubeblame/analyze/errors/error_table.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render_errors.h"

namespace kubeblame::command {

namespace {

constexpr const char* kExamples = R"EX(
Examples:
  kubeblame errors audit.log                       failing requests, one row per failure mode
  az monitor log-analytics query -w $WS -o json \
    --analytics-query "AKSControlPlane | where Category == 'kube-apiserver'" | kubeblame errors
                                                   kube-apiserver ERROR lines, one row per signature
  kubeblame errors --level warning kube-apiserver.log   include warnings
  kubeblame top --by error,agent audit.log         who gets which error

Audit rows: requests with code >= 400, grouped by code, reason and the masked message.
Log rows: klog lines at --level or above, grouped by source file and the masked message.
Exit codes: 0 ok, 1 nothing decoded, 2 usage or I/O error, 3 --strict and records were skipped.
)EX";

class ErrorsCommand final : public Command {
 public:
  ErrorsCommand() : Command({"errors", "Rank failure modes: error signatures from audit responses and kube-apiserver logs", kExamples, kTableFormats, true}) {}

  void declare(CLI::App& command, cli::RawOptions& raw) const override {
    cli::add_top_option(command, raw.top, "Signatures to show; the rest are summed up; 0 = all");
    command.add_option("--level", raw.level, "Lowest log level reported: error (with fatal), warning, info, fatal")
        ->type_name("LEVEL")
        ->default_str("error");
  }

  void validate(const cli::RawOptions& raw, cli::Config& config) const override {
    config.top = raw.top;
    if (raw.level == "error") config.min_level = model::LogLevel::kError;
    else if (raw.level == "warning") config.min_level = model::LogLevel::kWarning;
    else if (raw.level == "info") config.min_level = model::LogLevel::kInfo;
    else if (raw.level == "fatal") config.min_level = model::LogLevel::kFatal;
    else cli::usage_error("unknown --level '" + raw.level + "'; valid: error, warning, info, fatal");
  }

  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override {
    analyze::ErrorOptions options;
    options.min_level = config.min_level;
    plan.analyzers.push_back(analyze::error_analyzer_factory(options));
  }

  Document render(const Analysis& analysis) const override {
    report::ErrorsReport errors =
        report::build_errors(analysis.shard.get<analyze::ErrorTable>(), analysis.input, analysis.config.top);
    return {report::render_errors(errors, analysis.config.format, analysis.render), std::nullopt};
  }
};

}  // namespace

const Command& errors_command() {
  static const ErrorsCommand command;
  return command;
}

}  // namespace kubeblame::command
