// Command execution and exit-code policy: an I/O error beats --strict, which beats "no events".
#include "kubeblame/app/app.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "kubeblame/analyze/errors/error_table.h"
#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/analyze/list_source.h"
#include "kubeblame/analyze/redact.h"
#include "kubeblame/analyze/timeline/timeline.h"
#include "kubeblame/app/filter_pass.h"
#include "kubeblame/app/progress_meter.h"
#include "kubeblame/io/byte_source.h"
#include "kubeblame/io/input_list.h"
#include "kubeblame/io/output.h"
#include "kubeblame/pipeline/run.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/escape.h"
#include "kubeblame/report/export_warnings.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render.h"
#include "kubeblame/report/render_errors.h"
#include "kubeblame/report/render_fights.h"
#include "kubeblame/report/render_incident.h"
#include "kubeblame/report/render_timeline.h"

namespace kubeblame::app {

namespace {

bool use_color(const cli::Config& config) {
  switch (config.color) {
    case cli::ColorMode::kAlways: return true;
    case cli::ColorMode::kNever: return false;
    case cli::ColorMode::kAuto: break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
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

void print_stats(const pipeline::RunResult& result, const analyze::Shard& shard,
                 std::size_t threads, double render_s) {
  std::uint64_t bytes = 0;
  for (const auto& input : result.inputs) bytes += input.bytes;
  const auto& t = result.times;
  double rate = t.wall_s > 0 ? static_cast<double>(bytes) / t.wall_s : 0;
  std::size_t groups = 0;
  std::size_t memory = 0;
  for (const auto& table : shard.tables()) {
    groups += table.size();
    memory += table.memory_bytes();
  }
  fmt::print(stderr, "stats: {} ({} bytes) in {:.3f} s ({}), {} chunks, {} workers\n",
             report::format_bytes(bytes), report::format_count(bytes), t.wall_s,
             report::format_byte_rate(rate), report::format_count(t.chunks), threads);
  fmt::print(stderr,
             "stats: reader {:.3f} s, decode+aggregate {:.3f} s (summed over workers), "
             "merge {:.3f} s, render {:.3f} s\n",
             t.read_s, t.decode_s, t.merge_s, render_s);
  fmt::print(stderr, "stats: {} groups, {} of group state after merge\n",
             report::format_count(groups), report::format_bytes(memory));
  fmt::print(stderr, "stats: {} duplicates, {} of seen-event tables\n",
             report::format_count(shard.stats().duplicates), report::format_bytes(t.seen_bytes));
  for (const auto& input : result.inputs) {
    fmt::print(stderr, "stats: input {}: {} ({}{}), {}\n",
               report::escape_terminal(input.path == "-" ? "<stdin>" : input.path),
               decode::decoder_kind_name(input.decoder),
               input.framing == decode::Framing::kJsonDocument ? "json document"
               : input.framing == decode::Framing::kCsv        ? "csv"
                                                               : "lines",
               input.encoding.empty() ? "" : ", " + std::string(input.encoding),
               report::format_bytes(input.bytes));
  }
}

// --redact: the values writers set can be anything (image names, hostnames, keys), so the
// fights report keeps the contested paths and only shows which values differ.
void redact_fight_values(report::FightsReport& fights, const analyze::RedactKey& key) {
  analyze::Redactor redactor(key);
  for (report::FightRow& row : fights.rows) {
    for (report::ContestedField& field : row.fields) {
      for (report::FieldValue& value : field.values) value.value = redactor.token("value", value.value);
    }
  }
}

}  // namespace

int run(const cli::Config& config) {
  // 1. Inputs: files, directories (recursive, sorted), or stdin.
  pipeline::PipelineOptions options;
  try {
    options.inputs = io::expand_inputs(config.inputs);
  } catch (const io::IoError& error) {
    spdlog::error("{}", report::escape_terminal(error.what()));
    return kExitUsage;
  }
  if (config.inputs.empty() && ::isatty(STDIN_FILENO)) {
    spdlog::error("no input: give audit log files or directories, or pipe data in (see kubeblame --help)");
    return kExitUsage;
  }
  options.threads = config.threads;
  options.chunk_size = config.chunk_size;
  options.max_line = config.max_line;
  options.plan.max_groups = config.max_groups;
  options.plan.deduplicate = !config.keep_duplicates;
  if (config.redact) {
    options.plan.redact = config.redact_key.empty() ? analyze::random_redact_key()
                                                    : analyze::redact_key_from_text(config.redact_key);
  }
  options.input_format = config.input_format;
  analyze::ErrorOptions error_options;
  error_options.min_level = config.min_level;
  switch (config.command) {
    case cli::Command::kTop:
      options.plan.groupings.push_back(config.by);
      break;
    case cli::Command::kErrors:
      options.plan.analyzers.push_back(analyze::error_analyzer_factory(error_options));
      break;
    case cli::Command::kFights:
      options.plan.analyzers.push_back(analyze::fight_analyzer_factory(config.fights));
      break;
    case cli::Command::kReport:
      // Tables: by agent, by user+verb+resource, by agent+verb+resource (the cost ranking).
      // Analyzers: errors (0), fights (1), LIST sources (2), timeline by agent (3).
      options.plan.groupings = {{analyze::Dimension::kAgent},
                                {analyze::Dimension::kUser, analyze::Dimension::kVerb,
                                 analyze::Dimension::kResource},
                                {analyze::Dimension::kAgent, analyze::Dimension::kVerb,
                                 analyze::Dimension::kResource}};
      options.plan.analyzers.push_back(analyze::error_analyzer_factory(error_options));
      options.plan.analyzers.push_back(analyze::fight_analyzer_factory(config.fights));
      options.plan.analyzers.push_back(analyze::list_source_analyzer_factory());
      options.plan.analyzers.push_back(analyze::timeline_analyzer_factory(
          {{analyze::Dimension::kAgent}, 0, analyze::timeline_group_bound(config.max_groups)}));
      break;
    case cli::Command::kTimeline:
      options.plan.analyzers.push_back(
          analyze::timeline_analyzer_factory(
              {config.by, config.interval_s, analyze::timeline_group_bound(config.max_groups)}));
      break;
  }

  // Filters; a relative --since/--until costs a first pass (app/filter_pass.h). The FilterPass
  // holds the stdin spool, if any, until the run is over.
  FilterPass filter_pass;
  try {
    filter_pass.spool_stdin(config.filters, options);
  } catch (const io::IoError& error) {
    spdlog::error("{}", report::escape_terminal(error.what()));
    return kExitUsage;
  }
  // One bar for the whole job: with a relative time it covers the counting pass too (twice the
  // input's bytes).
  std::unique_ptr<ProgressMeter> progress =
      start_progress(config, options.inputs, FilterPass::passes(config.filters));
  if (progress) options.bytes_read = progress->counter();
  try {
    filter_pass.prepare(config.filters, config.verbosity, options);
  } catch (const io::IoError& error) {
    if (progress) progress->stop();
    spdlog::error("{}", report::escape_terminal(error.what()));
    return kExitUsage;
  } catch (const std::invalid_argument& error) {
    if (progress) progress->stop();
    spdlog::error("{}", report::escape_terminal(error.what()));
    return kExitUsage;
  }

  // 2. One pass: read, decode, aggregate, merge.
  pipeline::RunResult result = pipeline::run(options);
  if (progress) progress->stop();  // erased before any message or the report
  filter_pass.restore_names(options, result);
  for (const std::string& error : result.errors) spdlog::error("{}", report::escape_terminal(error));
  const analyze::Shard& shard = *result.merged;
  const analyze::InputStats& stats = shard.stats();

  // 3. Report and render.
  auto render_started = std::chrono::steady_clock::now();
  report::InputSummary input = report::build_input_summary(stats, options.inputs);
  input.filters = report::describe_filter(options.plan.filter);
  // A REST response that says its rows are partial comes first: the numbers are known short.
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
  for (const std::string& error : result.errors) input.warnings.push_back("input error: " + error);
  report::RenderOptions render_options;
  render_options.color = use_color(config);
  std::string text;
  switch (config.command) {
    case cli::Command::kTop: {
      report::TopReport top = report::build_top(shard.table(config.by), input, config.sort, config.top);
      text = report::render_top(top, config.format, render_options);
      break;
    }
    case cli::Command::kErrors: {
      report::ErrorsReport errors =
          report::build_errors(shard.get<analyze::ErrorTable>(), input, config.top);
      text = report::render_errors(errors, config.format, render_options);
      break;
    }
    case cli::Command::kFights: {
      report::FightsReport fights =
          report::build_fights(shard.get<analyze::FightAnalyzer>(), input, config.top);
      if (options.plan.redact) redact_fight_values(fights, *options.plan.redact);
      text = report::render_fights(fights, config.format, render_options);
      break;
    }
    case cli::Command::kReport: {
      report::IncidentReport incident;
      incident.top = config.top;
      incident.top_agents = report::build_top(shard.table({analyze::Dimension::kAgent}), input, report::SortKey::kRequests, config.top);
      incident.top_user_verb_resource =
          report::build_top(shard.table({analyze::Dimension::kUser, analyze::Dimension::kVerb, analyze::Dimension::kResource}), input, report::SortKey::kRequests, config.top);
      incident.cost = report::build_top(shard.table({analyze::Dimension::kAgent, analyze::Dimension::kVerb, analyze::Dimension::kResource}), input, report::SortKey::kCost, config.top);
      incident.errors = report::build_errors(shard.get<analyze::ErrorTable>(), input, config.top);
      incident.fights = report::build_fights(shard.get<analyze::FightAnalyzer>(), input, config.top);
      if (options.plan.redact) redact_fight_values(incident.fights, *options.plan.redact);
      incident.list_sources = report::build_list_sources(shard.get<analyze::ListSourceAnalyzer>(), config.top);
      incident.timeline = report::build_timeline(shard.get<analyze::TimelineAnalyzer>(), input, config.top);
      // One input summary for the document, with the warnings every part added (bounds hit).
      incident.input = input;
      for (const report::InputSummary* part :
           {&incident.top_agents.input, &incident.top_user_verb_resource.input, &incident.cost.input,
            &incident.errors.input, &incident.fights.input, &incident.timeline.input}) {
        for (const std::string& warning : part->warnings) {
          auto& warnings = incident.input.warnings;
          if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) warnings.push_back(warning);
        }
      }
      text = report::render_incident(incident, config.format, render_options);
      break;
    }
    case cli::Command::kTimeline: {
      if (auto error = report::timeline_interval_error(shard.get<analyze::TimelineAnalyzer>())) {
        spdlog::error("{}", *error);
        return kExitUsage;
      }
      report::TimelineReport timeline = report::build_timeline(shard.get<analyze::TimelineAnalyzer>(), input, config.top);
      text = report::render_timeline(timeline, config.format, render_options);
      break;
    }
  }
  double render_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - render_started).count();

  // 4. Output; a reader that went away (| head) is not an error.
  io::WriteResult written = io::write_all(STDOUT_FILENO, text);
  if (written == io::WriteResult::kFailed) {
    spdlog::error("cannot write the report to stdout: {}", std::strerror(errno));
    return kExitUsage;
  }
  if (config.stats) print_stats(result, shard, options.threads, render_s);

  // 5. Exit code.
  if (!result.errors.empty()) return kExitUsage;
  if (config.strict && stats.skipped_total() > 0) {
    std::string reasons;
    for (const auto& [reason, count] : input.skipped) {
      reasons += (reasons.empty() ? "" : ", ") + reason + " " + report::format_count(count);
    }
    spdlog::error("--strict: {} of {} records skipped ({}){}",
                  report::format_count(stats.skipped_total()), report::format_count(stats.lines),
                  reasons, input.samples.empty() ? "" : "; first at " + input.samples.front());
    return kExitStrict;
  }
  // `errors` and `report` also read control-plane log lines; the others need audit events.
  bool reads_log_lines =
      config.command == cli::Command::kErrors || config.command == cli::Command::kReport;
  if (stats.filtered > 0 && stats.events == 0 && (!reads_log_lines || stats.log_lines == 0)) {
    if (!config.quiet) {
      spdlog::warn("no {} left after the filters: {} of {} records filtered out by --since/--until/--where",
                   reads_log_lines ? "audit events or control-plane log lines" : "audit events",
                   report::format_count(stats.filtered), report::format_count(stats.lines));
    }
    return kExitNoEvents;
  }
  if (reads_log_lines) {
    if (stats.events == 0 && stats.log_lines == 0) {
      if (!config.quiet) spdlog::warn("no audit events or control-plane log lines found in the input");
      return kExitNoEvents;
    }
  } else if (stats.events == 0) {
    if (!config.quiet) {
      if (stats.log_lines > 0) {
        spdlog::warn("no audit events found in the input, only {} control-plane log lines (try: kubeblame errors)",
                     report::format_count(stats.log_lines));
      } else {
        spdlog::warn("no audit events found in the input");
      }
    }
    return kExitNoEvents;
  }
  if (!config.quiet && stats.skipped_total() > 0 && config.verbosity > 0) {
    spdlog::info("{} records skipped; see the report footer",
                 report::format_count(stats.skipped_total()));
  }
  return kExitOk;
}

}  // namespace kubeblame::app
