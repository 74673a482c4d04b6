// Command execution: the stages every analysis command goes through, and the exit-code policy
// (an I/O error beats --strict, which beats "no events"). Each stage is timed for --stats.
#include "kubeblame/app/app.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "kubeblame/app/filter_pass.h"
#include "kubeblame/app/progress_meter.h"
#include "kubeblame/app/run_stats.h"
#include "kubeblame/command/registry.h"
#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/input_list.h"
#include "kubeblame/io/output.h"
#include "kubeblame/pipeline/run.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/escape.h"
#include "kubeblame/report/export_warnings.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/terminal_width.h"

namespace kubeblame::app {

namespace {

void log_error(const std::string& message) { spdlog::error("{}", report::escape_terminal(message)); }

bool use_color(const cli::Config& config) {
  switch (config.color) {
    case cli::ColorMode::kAlways: return true;
    case cli::ColorMode::kNever: return false;
    case cli::ColorMode::kAuto: break;
  }
  return config.format == report::OutputFormat::kTable && ::isatty(STDOUT_FILENO);
}

// --progress forces the bar; auto draws it only on a terminal stderr (-q means --no-progress).
std::unique_ptr<ProgressMeter> start_progress(const cli::Config& config,
                                              const std::vector<std::string>& inputs, int passes) {
  bool terminal = ::isatty(STDERR_FILENO) != 0;
  if (config.progress == cli::ProgressMode::kNever) return nullptr;
  if (config.progress == cli::ProgressMode::kAuto && !terminal) return nullptr;
  ProgressMeter::Options progress;
  progress.total = total_input_bytes(inputs);
  if (progress.total) *progress.total *= static_cast<std::uint64_t>(passes);
  progress.terminal = terminal;
  progress.forced = config.progress == cli::ProgressMode::kAlways;
  // A file or a pipe keeps every redraw: once a second is enough there.
  if (!terminal) progress.period = std::chrono::seconds(1);
  return std::make_unique<ProgressMeter>(progress);
}

// What the single pass computes (the command's plan) and how it reads.
pipeline::PipelineOptions plan_run(const cli::Config& config, const command::Command& command,
                                   std::vector<std::string> inputs) {
  pipeline::PipelineOptions options;
  options.inputs = std::move(inputs);
  options.threads = config.threads;
  options.chunk_size = config.chunk_size;
  options.max_line = config.max_line;
  options.input_format = config.input_format;
  options.plan.max_groups = config.max_groups;
  options.plan.deduplicate = !config.keep_duplicates;
  if (config.redact) {
    options.plan.redact = config.redact_key.empty() ? analyze::random_redact_key()
                                                    : analyze::redact_key_from_text(config.redact_key);
  }
  command.plan(config, options.plan);
  return options;
}

// Resolves --since/--until/--where (a relative time runs the counting pass) under one progress
// bar for the whole job. False after a usage or I/O error (logged).
bool prepare_filters(const cli::Config& config, FilterPass& filter_pass, pipeline::PipelineOptions& options,
                     std::unique_ptr<ProgressMeter>& progress) {
  try {
    filter_pass.spool_stdin(config.filters, options);
    int passes = FilterPass::passes(config.filters) + (options.plan.apf_join_needed ? 1 : 0);
    progress = start_progress(config, options.inputs, passes);
    if (progress) options.bytes_read = progress->counter();
    filter_pass.prepare(config.filters, config.verbosity, options);
    return true;
  } catch (const io::IoError& error) {
    log_error(error.what());
  } catch (const std::invalid_argument& error) {
    log_error(error.what());
  }
  if (progress) progress->stop();
  return false;
}

// The accounting every document starts with: files, formats, filters, and the warnings in the
// order a reader needs them (a REST response known to be partial first).
report::InputSummary summarize(const cli::Config& config, const pipeline::PipelineOptions& options,
                               const pipeline::RunResult& result, const std::vector<std::string>& problems) {
  report::InputSummary input = report::build_input_summary(result.merged->stats(), options.inputs);
  input.filters = report::describe_filter(options.plan.filter);
  std::size_t partial = 0;
  for (const pipeline::InputInfo& info : result.inputs) {
    if (info.api_error.empty()) continue;
    input.warnings.insert(input.warnings.begin() + static_cast<std::ptrdiff_t>(partial++),
                          report::partial_result_warning(info.path, info.api_error));
  }
  // CSV carries rows only: its export-limit warnings go to stderr so they are not lost.
  if (config.format == report::OutputFormat::kCsv && !config.quiet) {
    for (const std::string& warning : input.warnings) spdlog::warn("{}", report::escape_terminal(warning));
  }
  for (const std::string& problem : problems) input.warnings.push_back("input not read: " + problem);
  for (const std::string& error : result.errors) input.warnings.push_back("input error: " + error);
  return input;
}

// priority_level and flow_schema come from kube-apiserver HTTP log lines joined by audit ID: a
// pass that reads only those lines fills the join before the counting pass, so it works
// whatever the order of the inputs (docs/design.md, "APF join").
void join_apf(const cli::Config& config, pipeline::PipelineOptions& options) {
  if (!options.plan.apf_join_needed) return;
  pipeline::PipelineOptions probe = options;
  probe.plan = analyze::AnalysisPlan{};
  probe.plan.analyzers.push_back(analyze::apf_collector_factory());
  pipeline::RunResult result = pipeline::run(probe);  // errors: the counting pass reports them
  auto join =
      std::make_shared<analyze::ApfJoin>(result.merged->get<analyze::ApfCollector>().take_join());
  const analyze::ApfJoinStats& stats = join->stats();
  if (stats.dropped > 0 && !config.quiet) {
    spdlog::warn(
        "APF join: {} HTTP log lines past the bound of {} audit IDs were not kept; their "
        "requests count as (unknown)",
        report::format_count(stats.dropped), report::format_count(stats.kept));
  }
  options.plan.apf_join = std::move(join);
}

void print_apf_stats(const pipeline::PipelineOptions& options) {
  if (!options.plan.apf_join) return;
  const analyze::ApfJoinStats& stats = options.plan.apf_join->stats();
  fmt::print(
      stderr,
      "stats: APF join: {} HTTP log lines, {} audit IDs kept, {} lines dropped at the bound\n",
      report::format_count(stats.lines), report::format_count(stats.kept),
      report::format_count(stats.dropped));
}

bool write_document(const std::string& text) {
  // A reader that went away (| head) is not an error.
  if (io::write_all(STDOUT_FILENO, text) != io::WriteResult::kFailed) return true;
  spdlog::error("cannot write the report to stdout: {}", std::strerror(errno));
  return false;
}

// Blank lines are reported but never fail --strict (docs/counting.md).
int strict_failure(const analyze::InputStats& stats, const report::InputSummary& input) {
  std::string reasons;
  for (const auto& [reason, count] : input.skipped) {
    if (reason == decode::skip_reason_name(decode::SkipReason::kBlank)) continue;
    reasons += (reasons.empty() ? "" : ", ") + reason + " " + report::format_count(count);
  }
  spdlog::error("--strict: {} of {} records skipped ({}){}", report::format_count(stats.strict_skipped()),
                report::format_count(stats.lines), reasons,
                input.samples.empty() ? "" : "; first at " + input.samples.front());
  return kExitStrict;
}

// Exit 1 when nothing the command can use was read; nullopt when there is something to report.
std::optional<int> nothing_read(const cli::Config& config, const command::Command& command,
                                const analyze::InputStats& stats) {
  bool log_lines = command.reads_log_lines();
  bool filtered_all = stats.filtered > 0 && stats.events == 0 && (!log_lines || stats.log_lines == 0);
  if (filtered_all) {
    if (!config.quiet) {
      spdlog::warn("no {} left after the filters: {} of {} records filtered out by --since/--until/--where",
                   log_lines ? "audit events or control-plane log lines" : "audit events",
                   report::format_count(stats.filtered), report::format_count(stats.lines));
    }
    return kExitNoEvents;
  }
  if (stats.events > 0 || (log_lines && stats.log_lines > 0)) return std::nullopt;
  if (!config.quiet) {
    if (log_lines) {
      spdlog::warn("no audit events or control-plane log lines found in the input");
    } else if (stats.log_lines > 0) {
      spdlog::warn("no audit events found in the input, only {} control-plane log lines (try: kubeblame errors)",
                   report::format_count(stats.log_lines));
    } else {
      spdlog::warn("no audit events found in the input");
    }
  }
  return kExitNoEvents;
}

// I/O problems (exit 2) beat --strict (3), which beats "nothing read" (1).
int exit_code(const cli::Config& config, const command::Command& command, const pipeline::RunResult& result,
              const report::InputSummary& input, const std::vector<std::string>& problems) {
  const analyze::InputStats& stats = result.merged->stats();
  if (!problems.empty() || !result.errors.empty()) return kExitUsage;
  if (config.strict && stats.strict_skipped() > 0) return strict_failure(stats, input);
  if (auto nothing = nothing_read(config, command, stats)) return *nothing;
  if (!config.quiet && stats.skipped_total() > 0 && config.verbosity > 0) {
    spdlog::info("{} records skipped; see the report footer", report::format_count(stats.skipped_total()));
  }
  return kExitOk;
}

}  // namespace

int run(const cli::Config& config) {
  const command::Command& command = command::find_command(config.command);
  StageTimer stages;

  // 1. Inputs: files, directories (recursive, sorted) or stdin. What cannot be read is named
  //    after the report of what can (exit 2).
  io::InputList inputs = io::expand_inputs(config.inputs);
  for (const std::string& problem : inputs.problems) log_error(problem);
  if (inputs.paths.empty()) return kExitUsage;
  if (config.inputs.empty() && ::isatty(STDIN_FILENO)) {
    spdlog::error("no input: give audit log files or directories, or pipe data in (see kubeblame --help)");
    return kExitUsage;
  }
  stages.done("inputs");

  // 2. Plan: the groupings and analyzers the command reads, computed in one pass.
  pipeline::PipelineOptions options = plan_run(config, command, inputs.paths);
  stages.done("plan");

  // 3. Filters: --since/--until/--where; a relative time costs a first counting pass. The
  //    FilterPass holds the stdin spool, if any, until the run is over.
  FilterPass filter_pass;
  std::unique_ptr<ProgressMeter> progress;
  if (!prepare_filters(config, filter_pass, options, progress)) return kExitUsage;
  stages.done("filters");

  // 4. Pipeline: read, decode, aggregate on every worker, merge (after the APF pass, if any).
  join_apf(config, options);
  pipeline::RunResult result = pipeline::run(options);
  if (progress) progress->stop();  // erased before any message or the report
  filter_pass.restore_names(options, result);
  for (const std::string& error : result.errors) log_error(error);
  stages.done("pipeline");

  // 5. Build and render the command's document.
  report::InputSummary input = summarize(config, options, result, inputs.problems);
  report::RenderOptions render;
  render.color = use_color(config);
  render.width = report::terminal_width(STDOUT_FILENO);
  command::Document document = command.render({config, *result.merged, input, options.plan.redact, render});
  if (document.usage_error) {
    spdlog::error("{}", *document.usage_error);
    return kExitUsage;
  }
  stages.done("build+render");

  // 6. Write.
  if (!write_document(document.text)) return kExitUsage;
  stages.done("write");
  if (config.stats) {
    print_stats(result, *result.merged, options.threads, stages);
    print_apf_stats(options);
  }

  // 7. Exit code.
  return exit_code(config, command, result, input, inputs.problems);
}

}  // namespace kubeblame::app
