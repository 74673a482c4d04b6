// Command execution: the stages every analysis command goes through, and the exit-code policy
// (an I/O error beats --strict, which beats "no events"). Each stage is timed for --stats.
#include "kubeblame/app/app.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "kubeblame/analyze/timeline/timeline.h"
#include "kubeblame/app/filter_pass.h"
#include "kubeblame/app/progress_meter.h"
#include "kubeblame/app/run_stats.h"
#include "kubeblame/command/registry.h"
#include "kubeblame/decode/foreign_input.h"
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
                                   std::vector<std::string> inputs,
                                   const std::optional<analyze::RedactKey>& redact) {
  pipeline::PipelineOptions options;
  options.inputs = std::move(inputs);
  options.threads = config.threads;
  options.chunk_size = config.chunk_size;
  options.max_line = config.max_line;
  options.input_format = config.input_format;
  options.plan.max_groups = config.max_groups;
  options.plan.deduplicate = !config.keep_duplicates;
  options.plan.redact = redact;
  command.plan(config, options.plan);
  return options;
}

// --redact's key: one per run, so that both sides of a diff hash a name alike.
std::optional<analyze::RedactKey> redact_key(const cli::Config& config) {
  if (!config.redact) return std::nullopt;
  return config.redact_key.empty() ? analyze::random_redact_key() : analyze::redact_key_from_text(config.redact_key);
}

// "BEFORE (samples/incident/)": a side of a comparison in messages.
std::string side_name(std::size_t side, const cli::Config& config) {
  std::string path = side < config.inputs.size() ? config.inputs[side] : "";
  return std::string(side == 0 ? "BEFORE" : "AFTER") + " (" + (path == "-" ? "<stdin>" : path) + ")";
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

// Inputs none of whose records could be read, named by what they look like (an auditd log, a Log
// Analytics table of something else): the skip counts alone do not tell a user what went wrong.
// Files found in a directory are named only with `all` (nothing at all was read): a README or a
// script next to the logs is not worth a warning in every report.
std::vector<std::string> foreign_inputs(const cli::Config& config, const pipeline::RunResult& result,
                                        bool all) {
  std::vector<std::string> out;
  const auto& files = result.merged->stats().files;
  for (std::size_t i = 0; i < result.inputs.size() && i < files.size(); ++i) {
    const pipeline::InputInfo& info = result.inputs[i];
    if (info.looks_like.empty() || files[i].records == 0 || files[i].skipped != files[i].records) continue;
    bool named = info.path == "-" || std::find(config.inputs.begin(), config.inputs.end(), info.path) !=
                                         config.inputs.end();
    if (!named && !all) continue;
    out.push_back(fmt::format("{} looks like {}: none of its {} could be read",
                              info.path == "-" ? "<stdin>" : info.path, info.looks_like,
                              report::plural(files[i].records, "record")));
  }
  return out;
}

// Weighted input: where the numbers come from, and what the results do not carry.
std::vector<std::string> weighted_notes(const cli::Config& config, const analyze::InputStats& stats) {
  if (stats.weighted_rows == 0) return {};
  std::vector<std::string> notes;
  std::string window = stats.has_time() ? " over " + report::format_rfc3339(stats.first) + " .. " +
                                              report::format_rfc3339(stats.last)
                                        : "";
  notes.push_back(fmt::format("the numbers were computed by Log Analytics{} (kubeblame kql results: {})", window,
                              report::plural(stats.weighted_rows, "row")));
  if (config.command == "report") {
    notes.push_back("the sections that read raw rows (errors, fights, LIST sources, webhooks) are empty: run "
                    "kubeblame errors and kubeblame fights on the kubeblame kql errors and kql fights exports "
                    "(docs/kql.md)");
  }
  return notes;
}

// Weighted input: what cannot apply to groups Log Analytics already counted (one sentence each).
std::optional<std::string> weighted_refusal(const cli::Config& config, const analyze::AnalysisPlan& plan,
                                            analyze::Shard& shard) {
  const analyze::InputStats& stats = shard.stats();
  if (stats.events > 0 || stats.log_lines > 0 || stats.duplicates > 0) {
    return "the input mixes kubeblame kql results with raw audit events or log lines: reading both would count "
           "the same requests twice (run them separately)";
  }
  if (plan.filter.since || plan.filter.until) {
    return "--since/--until do not apply to kubeblame kql results: the query applied its window (give them to "
           "kubeblame kql)";
  }
  if (plan.redact) return "--redact does not apply to kubeblame kql results: their names were counted as they are";
  if (plan.groupings.empty() && shard.find_planned<analyze::TimelineAnalyzer>() == nullptr) {
    return config.command + " reads raw rows, not kubeblame kql results: run it on a `kubeblame kql " +
           config.command + "` export";
  }
  return std::nullopt;
}

// Weighted input without --by: the result's own dimensions.
void weighted_default_by(cli::Config& config, const analyze::AnalysisPlan& plan, analyze::Shard& shard) {
  if (config.by_given) return;
  auto* timeline = shard.find_planned<analyze::TimelineAnalyzer>();
  std::optional<std::vector<analyze::Dimension>> own = shard.weighted().only_dimensions(timeline != nullptr);
  if (!own || own->empty()) return;
  if (timeline) {
    timeline->regroup(*own);
  } else if (plan.groupings.size() == 1 && plan.groupings.front() == config.by) {
    shard.regroup(config.by, *own);
  } else {
    return;
  }
  config.by = *own;
  config.by_given = true;  // the other side of a diff groups alike
}

// Weighted input (kubeblame kql results): the rules, then every grouping filled from them.
// False after a usage error (logged).
bool apply_weighted(cli::Config& config, const pipeline::PipelineOptions& options, analyze::Shard& shard) {
  if (shard.stats().weighted_rows == 0) return true;
  std::optional<std::string> error = weighted_refusal(config, options.plan, shard);
  if (!error) {
    weighted_default_by(config, options.plan, shard);
    // report fills the sections its results cover (its footer names the others); every other
    // command needs its grouping.
    std::vector<std::string> uncovered;
    error = shard.fill_weighted(options.plan.filter.where, config.command == "report" ? &uncovered : nullptr);
  }
  if (error) log_error(*error);
  return !error;
}

// The accounting every document starts with: files, formats, filters, and the warnings in the
// order a reader needs them (a REST response known to be partial first).
report::InputSummary summarize(const cli::Config& config, const pipeline::PipelineOptions& options,
                               const pipeline::RunResult& result, const std::vector<std::string>& problems) {
  report::InputSummary input = report::build_input_summary(result.merged->stats(), options.inputs);
  input.filters = report::describe_filter(options.plan.filter);
  if (options.plan.apf_join) {
    const analyze::ApfJoinStats& join = options.plan.apf_join->stats();
    input.apf_join = report::InputSummary::ApfJoin{join.lines, join.kept, join.dropped,
                                                   result.merged->stats().apf_unjoined};
  }
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
  for (std::string& foreign : foreign_inputs(config, result, false)) input.warnings.push_back(std::move(foreign));
  for (const std::string& problem : problems) input.warnings.push_back("input not read: " + problem);
  for (std::string& note : weighted_notes(config, result.merged->stats())) input.warnings.push_back(std::move(note));
  for (const std::string& error : result.errors) input.warnings.push_back("input error: " + error);
  return input;
}

void warn_apf_dropped(const cli::Config& config, const analyze::ApfJoinStats& stats) {
  if (stats.dropped == 0 || config.quiet) return;
  spdlog::warn(
      "APF join: {} HTTP log lines past the bound of {} audit IDs were not kept; their "
      "requests count as (unknown)",
      report::format_count(stats.dropped), report::format_count(stats.kept));
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
  warn_apf_dropped(config, join->stats());
  options.plan.apf_join = std::move(join);
}

// The report's priority-level view: only when the counting pass read HTTP log lines does a
// second pass count the plan's apf_groupings with the join (docs/design.md, "APF join").
void join_apf_late(const cli::Config& config, pipeline::PipelineOptions& options,
                   pipeline::RunResult& result, ProgressMeter* progress) {
  const analyze::AnalysisPlan& plan = options.plan;
  if (plan.apf_groupings.empty()) return;
  const auto& collector = result.merged->get<analyze::ApfCollector>();
  if (collector.lines() == 0) return;
  auto join = std::make_shared<analyze::ApfJoin>(collector.join());
  warn_apf_dropped(config, join->stats());
  pipeline::PipelineOptions second = options;
  second.plan = analyze::AnalysisPlan{};
  second.plan.groupings = plan.apf_groupings;
  second.plan.max_groups = plan.max_groups;
  second.plan.redact = plan.redact;
  second.plan.filter = plan.filter;
  second.plan.deduplicate = plan.deduplicate;
  second.plan.apf_join = join;
  second.bytes_read = nullptr;
  if (progress != nullptr) {
    if (std::optional<std::uint64_t> bytes = total_input_bytes(options.inputs)) progress->add_to_total(*bytes);
    second.bytes_read = progress->counter();
  }
  pipeline::RunResult counted = pipeline::run(second);  // errors: the first pass reported them
  result.merged->adopt_tables(*counted.merged);
  options.plan.apf_join = std::move(join);
}

void print_apf_stats(const pipeline::PipelineOptions& options, const analyze::InputStats& counted) {
  if (!options.plan.apf_join) return;
  const analyze::ApfJoinStats& stats = options.plan.apf_join->stats();
  fmt::print(stderr,
             "stats: APF join: {} HTTP log lines, {} audit IDs kept, {} lines dropped at the "
             "bound, {} without an HTTP log line\n",
             report::format_count(stats.lines), report::format_count(stats.kept),
             report::format_count(stats.dropped), report::plural(counted.apf_unjoined, "request"));
}

bool write_document(const std::string& text) {
  // A reader that went away (| head) is not an error.
  if (io::write_all(STDOUT_FILENO, text) != io::WriteResult::kFailed) return true;
  spdlog::error("cannot write the report to stdout: {}", std::strerror(errno));
  return false;
}

// Blank lines and CloudWatch control messages are reported but never fail --strict
// (docs/counting.md).
int strict_failure(const analyze::InputStats& stats, const report::InputSummary& input, const std::string& where) {
  std::string reasons;
  for (const auto& [reason, count] : input.skipped) {
    if (reason == decode::skip_reason_name(decode::SkipReason::kBlank) ||
        reason == decode::skip_reason_name(decode::SkipReason::kControlMessage)) {
      continue;
    }
    reasons += (reasons.empty() ? "" : ", ") + reason + " " + report::format_count(count);
  }
  spdlog::error("--strict: {} of {} records{} skipped ({}){}", report::format_count(stats.strict_skipped()),
                report::format_count(stats.lines), where.empty() ? "" : " of " + report::escape_terminal(where),
                reasons,
                input.samples.empty() ? "" : "; first at " + input.samples.front());
  return kExitStrict;
}

// Why nothing was read, when it was not the filters.
void warn_nothing_read(const analyze::InputStats& stats, bool log_lines, const std::string& input) {
  std::uint64_t control = stats.skipped[static_cast<std::size_t>(decode::SkipReason::kControlMessage)];
  if (control > 0 && stats.log_lines == 0) {
    spdlog::warn("no audit events found in {}, only {} CloudWatch Logs CONTROL_MESSAGE "
                 "record{} (Firehose health checks, skipped as control_message)",
                 input, report::format_count(control), control == 1 ? "" : "s");
  } else if (log_lines) {
    spdlog::warn("no audit events or control-plane log lines found in {}", input);
  } else if (stats.log_lines > 0) {
    spdlog::warn("no audit events found in {}, only {} control-plane log lines (try: kubeblame errors)", input,
                 report::format_count(stats.log_lines));
  } else {
    spdlog::warn("no audit events found in {}", input);
  }
}

// Exit 1 when nothing the command can use was read; nullopt when there is something to report.
// `foreign` names the inputs that are not a format kubeblame reads.
std::optional<int> nothing_read(const cli::Config& config, const command::Command& command,
                                const analyze::InputStats& stats, const std::string& where,
                                const std::vector<std::string>& foreign) {
  // "the input" for one set of inputs; "BEFORE (path)" for a side of a comparison.
  std::string input = where.empty() ? "the input" : report::escape_terminal(where);
  if (stats.weighted_rows > 0) {  // kubeblame kql results: --where may have kept no group
    if (stats.requests > 0) return std::nullopt;
    if (!config.quiet) spdlog::warn("no groups of the kubeblame kql results in {} are left after --where", input);
    return kExitNoEvents;
  }
  bool log_lines = command.reads_log_lines();
  bool filtered_all = stats.filtered > 0 && stats.events == 0 && (!log_lines || stats.log_lines == 0);
  if (filtered_all) {
    if (!config.quiet) {
      spdlog::warn("no {} left after the filters{}: {} of {} records filtered out by --since/--until/--where",
                   log_lines ? "audit events or control-plane log lines" : "audit events",
                   where.empty() ? "" : " in " + input,
                   report::format_count(stats.filtered), report::format_count(stats.lines));
    }
    return kExitNoEvents;
  }
  if (stats.events > 0 || (log_lines && stats.log_lines > 0)) return std::nullopt;
  if (!config.quiet) {
    warn_nothing_read(stats, log_lines, input);
    for (const std::string& line : foreign) spdlog::warn("{}", report::escape_terminal(line));
    if (!foreign.empty()) spdlog::warn("{}", decode::accepted_formats_sentence());
  }
  return kExitNoEvents;
}

// --strict (3) beats "nothing read" (1); I/O problems (2) are decided before (finish).
int exit_code(const cli::Config& config, const command::Command& command, const pipeline::RunResult& result,
              const report::InputSummary& input, const std::string& where) {
  const analyze::InputStats& stats = result.merged->stats();
  if (config.strict && stats.strict_skipped() > 0) return strict_failure(stats, input, where);
  if (auto nothing = nothing_read(config, command, stats, where, foreign_inputs(config, result, true))) {
    return *nothing;
  }
  if (!config.quiet && stats.skipped_total() > 0 && config.verbosity > 0) {
    spdlog::info("{} records skipped; see the report footer", report::format_count(stats.skipped_total()));
  }
  return kExitOk;
}

// One set of inputs read through stages 1-4 (inputs, plan, filters, pipeline) and summarized.
struct Pass {
  io::InputList inputs;
  pipeline::PipelineOptions options;
  pipeline::RunResult result;
  report::InputSummary input;
};

// Stages 1-4 for `paths` (as given; empty means stdin); `side` prefixes the stage names
// ("before " for diff). Nullopt after a usage or I/O error that leaves nothing to report (logged).
std::optional<Pass> read_inputs(cli::Config& config, const command::Command& command,
                                const std::vector<std::string>& paths, const std::string& side,
                                const std::optional<analyze::RedactKey>& redact, StageTimer& stages) {
  // 1. Inputs: files, directories (recursive, sorted) or stdin. What cannot be read is named
  //    after the report of what can (exit 2).
  Pass pass;
  pass.inputs = io::expand_inputs(paths);
  for (const std::string& problem : pass.inputs.problems) log_error(problem);
  if (pass.inputs.paths.empty()) return std::nullopt;
  if (paths.empty() && ::isatty(STDIN_FILENO)) {
    spdlog::error("no input: give audit log files or directories, or pipe data in (see kubeblame --help)");
    return std::nullopt;
  }
  stages.done(side + "inputs");

  // 2. Plan: the groupings and analyzers the command reads, computed in one pass.
  pass.options = plan_run(config, command, pass.inputs.paths, redact);
  stages.done(side + "plan");

  // 3. Filters: --since/--until/--where; a relative time costs a first counting pass. The
  //    FilterPass holds the stdin spool, if any, until the run is over.
  FilterPass filter_pass;
  std::unique_ptr<ProgressMeter> progress;
  if (!prepare_filters(config, filter_pass, pass.options, progress)) return std::nullopt;
  stages.done(side + "filters");

  // 4. Pipeline: read, decode, aggregate on every worker, merge (after the APF pass, if any).
  join_apf(config, pass.options);
  pass.result = pipeline::run(pass.options);
  join_apf_late(config, pass.options, pass.result, progress.get());
  if (progress) progress->stop();  // erased before any message or the report
  filter_pass.restore_names(pass.options, pass.result);
  for (const std::string& error : pass.result.errors) log_error(error);
  stages.done(side + "pipeline");
  if (!apply_weighted(config, pass.options, *pass.result.merged)) return std::nullopt;
  pass.input = summarize(config, pass.options, pass.result, pass.inputs.problems);
  return pass;
}

report::RenderOptions render_options(const cli::Config& config) {
  report::RenderOptions render;
  render.color = use_color(config);
  render.width = report::terminal_width(STDOUT_FILENO);
  return render;
}

// Stages 6 and 7: write the document (or its usage error), --stats, the exit code.
int finish(const cli::Config& config, const command::Command& command, const command::Document& document,
           const std::vector<const Pass*>& passes, StageTimer& stages) {
  if (document.usage_error) {
    spdlog::error("{}", *document.usage_error);
    return kExitUsage;
  }
  stages.done("build+render");
  if (!write_document(document.text)) return kExitUsage;
  stages.done("write");
  for (const Pass* pass : passes) {
    if (!config.stats) continue;
    print_stats(pass->result, *pass->result.merged, pass->options.threads, stages);
    print_apf_stats(pass->options, pass->result.merged->stats());
  }
  // An I/O problem on either side (2) beats --strict (3), which beats "nothing read" (1).
  int code = kExitOk;
  for (const Pass* pass : passes) {
    if (!pass->inputs.problems.empty() || !pass->result.errors.empty()) return kExitUsage;
  }
  for (std::size_t i = 0; i < passes.size(); ++i) {
    std::string where = passes.size() == 1 ? "" : side_name(i, config);
    int side_code = exit_code(config, command, passes[i]->result, passes[i]->input, where);
    if (side_code == kExitStrict || (side_code != kExitOk && code == kExitOk)) code = side_code;
  }
  return code;
}

// diff: BEFORE and AFTER are read in passes of their own (each with its own --since/--until
// window, relative to its own last record), then compared.
int run_comparison(cli::Config& config, const command::Command& command) {
  if (config.inputs.size() != 2) {
    spdlog::error("{} compares two inputs: BEFORE and AFTER", command.name());
    return kExitUsage;
  }
  StageTimer stages;
  std::optional<analyze::RedactKey> redact = redact_key(config);
  std::optional<Pass> before = read_inputs(config, command, {config.inputs[0]}, "before ", redact, stages);
  if (!before) return kExitUsage;
  std::optional<Pass> after = read_inputs(config, command, {config.inputs[1]}, "after ", redact, stages);
  if (!after) return kExitUsage;
  report::RenderOptions render = render_options(config);
  command::Document document =
      command.compare({config, *before->result.merged, before->input, before->options.plan.redact, render},
                      {config, *after->result.merged, after->input, after->options.plan.redact, render});
  return finish(config, command, document, {&*before, &*after}, stages);
}

// A command without input (kql): its document from the options, written.
int run_without_input(const cli::Config& config, const command::Command& command) {
  command::Document document = command.without_input(config);
  if (document.usage_error) {
    spdlog::error("{}", report::escape_terminal(*document.usage_error));
    return kExitUsage;
  }
  return write_document(document.text) ? kExitOk : kExitUsage;
}

}  // namespace

int run(const cli::Config& config) {
  const command::Command& command = command::find_command(config.command);
  if (!command.reads_input()) return run_without_input(config, command);
  cli::Config effective = config;  // weighted input may group by the result's own dimensions
  if (command.compares_two_inputs()) return run_comparison(effective, command);
  StageTimer stages;
  std::optional<Pass> pass = read_inputs(effective, command, config.inputs, "", redact_key(config), stages);
  if (!pass) return kExitUsage;

  // 5. Build and render the command's document.
  command::Document document = command.render(
      {effective, *pass->result.merged, pass->input, pass->options.plan.redact, render_options(config)});
  return finish(effective, command, document, {&*pass}, stages);
}

}  // namespace kubeblame::app
