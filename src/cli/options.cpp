// Command line: CLI11 definitions, then validation into a Config. `top` is the default
// subcommand: `kubeblame audit.log` means `kubeblame top audit.log`.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <kubeblame/version.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <thread>

#include "kubeblame/analyze/timeline/timeline_ladder.h"
#include "kubeblame/cli/completion.h"
#include "kubeblame/cli/config.h"
#include "kubeblame/cli/man_page.h"

namespace kubeblame::cli {

namespace {

constexpr const char* kDescription =
    "kubeblame: who loads the Kubernetes API server, with which requests, which errors dominate.\n"
    "Reads audit logs (raw audit.log, AKS Log Analytics exports, Azure diagnostic archives) and\n"
    "control-plane logs (AKSControlPlane, kube-apiserver klog files), plain or compressed (gzip,\n"
    "zstd), from files, directories or stdin.";

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

struct RawOptions {
  std::vector<std::string> inputs;
  std::string by = "agent";
  std::size_t top = 20;
  std::size_t report_top = 10;  // `report`: rows per section
  std::size_t timeline_top = 10;  // `timeline`: groups with a sparkline
  std::string interval;           // `timeline`: empty = auto
  std::string sort = "requests";
  std::string format = "table";
  std::string input_format = "auto";
  unsigned threads = 0;
  std::string chunk_size = "1M";
  std::string max_line = "128M";
  std::size_t max_groups = 100000;
  bool strict = false;
  bool keep_duplicates = false;
  bool quiet = false;
  int verbose = 0;
  bool stats = false;
  std::string color = "auto";
  bool progress = false;
  bool no_progress = false;
  std::string shell;  // `completion`: bash or zsh
  std::string level = "error";
  bool redact = false;
  std::string redact_key;
  std::string since;
  std::string until;
  std::vector<std::string> where;
  analyze::FightOptions fights;
};

void add_common_options(CLI::App& app, RawOptions& raw) {
  app.add_option("inputs", raw.inputs, "Files or directories to read; '-' or nothing reads stdin")
      ->type_name("PATH...");
  app.add_option("-f,--format", raw.format, "Output: table, markdown, json or csv (report: html too)")
      ->type_name("FORMAT")
      ->default_str("table");
  app.add_option("--input-format", raw.input_format,
                 "Override detection: auto, audit, log-analytics, log-analytics-csv, azure-records, log-text")
      ->type_name("NAME")
      ->default_str("auto");
  app.add_option("-j,--threads", raw.threads, "Worker threads (default: number of cores)")
      ->type_name("N");
  app.add_flag("--strict", raw.strict, "Exit 3 if any record was skipped (malformed, truncated, ...)");
  app.add_flag("--keep-duplicates", raw.keep_duplicates,
               "Count every copy of an event read twice (same auditID and stage); by default "
               "the first copy is counted and input.duplicates says how many were dropped");
  app.add_flag("-q,--quiet", raw.quiet, "Only errors on stderr");
  app.add_flag("-v,--verbose", raw.verbose, "More detail on stderr (repeatable)");
  app.add_flag("--stats", raw.stats, "Per-stage timings and counters on stderr");
  app.add_option("--color", raw.color, "Colour: auto (TTY and no NO_COLOR), always, never")
      ->type_name("WHEN")
      ->default_str("auto");
  app.add_flag("--progress", raw.progress,
               "Progress bar on stderr (bytes, %, MB/s, ETA) even when stderr is not a terminal");
  app.add_flag("--no-progress", raw.no_progress, "No progress bar (default: one on a terminal, after 0.5 s)");
  app.add_flag("--redact", raw.redact,
               "Replace usernames, source IPs, namespaces and object names with keyed hashes "
               "(user-3f9a0c12d4); user agents keep their product; messages keep their signature");
  app.add_option("--redact-key", raw.redact_key,
                 "Key for --redact (implies it): the same key gives the same hashes in every run; "
                 "default: $KUBEBLAME_REDACT_KEY, else random per run")
      ->type_name("TEXT");
  app.add_option("--since", raw.since,
                 "Only records at or after TIME: RFC 3339 (2024-06-30T19:00:00Z, +02:00 offsets) "
                 "or a duration before the input's last record (90m, 2h, 1d, 1h30m); records "
                 "without a time are then filtered out")
      ->type_name("TIME")
      ->group("Filters");
  app.add_option("--until", raw.until,
                 "Only records before TIME (same forms as --since; the window is [since, until))")
      ->type_name("TIME")
      ->group("Filters");
  app.add_option("--where", raw.where,
                 "Keep records whose dimension matches (repeatable, all must hold): dim=value, "
                 "dim!=value, dim~glob, dim!~glob (*, ?, [a-z] over the whole value), and "
                 "code>=400, <=, >, <; values as --by shows them (namespace=(cluster)); "
                 "control-plane log lines have no dimensions and are filtered out")
      ->type_name("EXPR")
      ->allow_extra_args(false)
      ->group("Filters");
  app.add_option("--chunk-size", raw.chunk_size, "Bytes per work chunk (e.g. 256K, 1M)")
      ->type_name("SIZE")
      ->default_str("1M");
  app.add_option("--max-line-size", raw.max_line,
                 "Longer lines/records are skipped as too_long (e.g. 64M, 1G)")
      ->type_name("SIZE")
      ->default_str("128M");
  app.add_option("--max-groups", raw.max_groups,
                 "Distinct groups kept in memory per worker (0 = unlimited); past it, the small "
                 "groups are folded into (other) with a warning and the large ones stay exact")
      ->type_name("N")
      ->check(CLI::Validator(
          [](std::string& value) {
            bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
            return digits ? std::string() : "'" + value + "' is not a number of groups (0 = unlimited)";
          },
          ""))
      ->default_str("100000");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

// Every threshold of analyze::FightOptions, with its default (see fights.h for the meaning).
void add_fight_options(CLI::App& app, RawOptions& raw) {
  analyze::FightOptions& f = raw.fights;
  auto group = [&](const char* name, auto& field, const char* help, const char* type) {
    app.add_option(name, field, help)->type_name(type)->default_val(field)->group("Fight thresholds");
  };
  group("--min-flips", f.min_flips, "Fight: at least this many changes of writer", "N");
  group("--min-writers", f.min_writers, "Fight: at least this many writers with --min-writer-writes each", "N");
  group("--min-writer-writes", f.min_writer_writes, "Fight: writes a writer needs to count as a side", "N");
  group("--min-flips-per-hour", f.min_flips_per_hour, "Fight: changes of writer per hour, at least", "RATE");
  group("--min-conflicts", f.min_conflicts, "Report an object with this many 409 Conflicts even without flips", "N");
  group("--hot-min-writes", f.hot_min_writes, "Hot loop: writes by one writer to one object, at least", "N");
  group("--hot-min-per-hour", f.hot_min_per_hour, "Hot loop: that writer's writes per hour, at least", "RATE");
  group("--hot-min-span", f.hot_min_span_seconds, "Hot loop: seconds between its first and last write, at least", "SECONDS");
  group("--hot-min-busy", f.hot_min_busy_fraction, "Hot loop: share of time slices with a write (0..1; 1 = perfectly steady)", "FRACTION");
  group("--max-fields", f.max_fields, "Contested field paths listed per object", "N");
  group("--pattern-length", f.pattern_length, "Letters in the write pattern (ABAB...)", "N");
  group("--max-writes-per-object", f.max_writes_per_object, "Memory bound: writes kept per object for ordering", "N");
  group("--max-objects", f.max_objects, "Memory bound: written objects tracked (then sampled by name)", "N");
}

[[noreturn]] void usage_error(const std::string& message) { throw std::invalid_argument(message); }

Config validate(const RawOptions& raw, Command command) {
  Config config;
  config.command = command;
  config.inputs = raw.inputs;
  config.by.clear();
  for (const std::string& name : split_list(raw.by)) {
    auto dimension = analyze::parse_dimension(name);
    if (!dimension) {
      usage_error(fmt::format("unknown dimension '{}' in --by; valid: {}", name,
                              analyze::dimension_list()));
    }
    if (std::find(config.by.begin(), config.by.end(), *dimension) != config.by.end()) {
      usage_error(fmt::format("dimension '{}' is repeated in --by", name));
    }
    config.by.push_back(*dimension);
  }
  if (config.by.empty()) usage_error("--by needs at least one dimension; valid: " + analyze::dimension_list());
  config.top = command == Command::kReport     ? raw.report_top
               : command == Command::kTimeline ? raw.timeline_top
                                               : raw.top;
  if (!raw.interval.empty()) {
    auto interval = analyze::parse_interval(raw.interval);
    if (!interval) {
      usage_error("invalid --interval '" + raw.interval +
                  "' (examples: 30s, 1m, 5m, 1h, 1d; from 1s to 36500d)");
    }
    config.interval_s = *interval;
  }

  if (raw.sort == "requests") config.sort = report::SortKey::kRequests;
  else if (raw.sort == "cost") config.sort = report::SortKey::kCost;
  else if (raw.sort == "errors") config.sort = report::SortKey::kErrors;
  else if (raw.sort == "p99") config.sort = report::SortKey::kP99;
  else usage_error("unknown --sort '" + raw.sort + "'; valid: requests, cost, errors, p99");

  auto format = report::parse_output_format(raw.format);
  const bool report_page = command == Command::kReport;
  if (!format) {
    usage_error("unknown --format '" + raw.format + "'; valid: " +
                (report_page ? "table, markdown, json, html" : "table, markdown, json, csv"));
  }
  config.format = *format;
  if (report_page && config.format == report::OutputFormat::kCsv) {
    usage_error("report supports table, markdown, json and html (csv has one table per command: "
                "use top, errors or fights -f csv)");
  }
  if (!report_page && config.format == report::OutputFormat::kHtml) {
    usage_error("--format html is only for report (one page with every section); valid here: "
                "table, markdown, json, csv");
  }

  if (raw.input_format == "auto") config.input_format = decode::FormatHint::kAuto;
  else if (raw.input_format == "audit") config.input_format = decode::FormatHint::kAuditJson;
  else if (raw.input_format == "log-analytics") config.input_format = decode::FormatHint::kLogAnalyticsJson;
  else if (raw.input_format == "log-analytics-csv") config.input_format = decode::FormatHint::kLogAnalyticsCsv;
  else if (raw.input_format == "azure-records") config.input_format = decode::FormatHint::kAzureRecords;
  else if (raw.input_format == "log-text") config.input_format = decode::FormatHint::kLogText;
  else {
    usage_error("unknown --input-format '" + raw.input_format +
                "'; valid: auto, audit, log-analytics, log-analytics-csv, azure-records, log-text");
  }

  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  config.threads = raw.threads == 0 ? cores : raw.threads;
  if (config.threads > 256) usage_error("--threads must be between 1 and 256");
  config.chunk_size = parse_size(raw.chunk_size);
  config.max_line = parse_size(raw.max_line);
  config.max_groups = raw.max_groups;
  if (config.chunk_size == 0) usage_error("--chunk-size must be at least 1 byte");
  if (config.max_line == 0) usage_error("--max-line-size must be at least 1 byte");
  config.strict = raw.strict;
  config.keep_duplicates = raw.keep_duplicates;
  config.quiet = raw.quiet;
  config.verbosity = raw.verbose;
  config.stats = raw.stats;
  if (raw.color == "auto") config.color = ColorMode::kAuto;
  else if (raw.color == "always") config.color = ColorMode::kAlways;
  else if (raw.color == "never") config.color = ColorMode::kNever;
  else usage_error("unknown --color '" + raw.color + "'; valid: auto, always, never");
  if (raw.progress && raw.no_progress) usage_error("--progress and --no-progress exclude each other");
  config.progress = raw.progress ? ProgressMode::kAlways
                    : raw.no_progress || raw.quiet ? ProgressMode::kNever
                                                   : ProgressMode::kAuto;
  if (raw.level == "error") config.min_level = model::LogLevel::kError;
  else if (raw.level == "warning") config.min_level = model::LogLevel::kWarning;
  else if (raw.level == "info") config.min_level = model::LogLevel::kInfo;
  else if (raw.level == "fatal") config.min_level = model::LogLevel::kFatal;
  else usage_error("unknown --level '" + raw.level + "'; valid: error, warning, info, fatal");
  config.fights = raw.fights;
  if (config.fights.min_writers < 2) usage_error("--min-writers must be at least 2");
  if (config.fights.hot_min_busy_fraction < 0 || config.fights.hot_min_busy_fraction > 1) {
    usage_error("--hot-min-busy must be between 0 and 1");
  }
  if (config.fights.pattern_length == 0) usage_error("--pattern-length must be at least 1");
  if (config.fights.max_writes_per_object < 2) usage_error("--max-writes-per-object must be at least 2");
  config.redact = raw.redact || !raw.redact_key.empty();
  config.redact_key = raw.redact_key;
  if (!raw.since.empty()) config.filters.since = analyze::parse_time_bound("--since", raw.since);
  if (!raw.until.empty()) config.filters.until = analyze::parse_time_bound("--until", raw.until);
  for (const std::string& text : raw.where) {
    config.filters.where.push_back(analyze::parse_where_clause(text));
  }
  if (config.redact && config.redact_key.empty()) {
    const char* env = std::getenv("KUBEBLAME_REDACT_KEY");
    if (env != nullptr) config.redact_key = env;
  }
  return config;
}

bool is_subcommand(const char* arg) {
  return std::strcmp(arg, "top") == 0 || std::strcmp(arg, "errors") == 0 ||
         std::strcmp(arg, "fights") == 0 || std::strcmp(arg, "report") == 0 ||
         std::strcmp(arg, "timeline") == 0 || std::strcmp(arg, "completion") == 0;
}

constexpr const char* kErrorsExamples = R"EX(
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

constexpr const char* kFightsExamples = R"EX(
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

constexpr const char* kReportExamples = R"EX(
Examples:
  kubeblame report --format markdown audit.log > ticket.md    paste into the incident ticket
  kubeblame report --format json logs/ | jq '.list_sources.rows[0]'
  kubeblame report --format html logs/ > incident.html        one page with charts, works offline
  kubeblame report --top 5 audit.log controlplane.json        the terminal view, 5 rows a section

One pass, one document: the input summary (files, formats, time span, line accounting,
warnings), top talkers by agent and by user+verb+resource, the cost ranking (API-server seconds
by agent+verb+resource), LIST requests served from etcd vs the watch cache, error signatures
(audit responses and control-plane logs), fights/hot loops with their hints, and requests over
time by agent (the timeline, with sparklines).
Exit codes: 0 ok, 1 nothing decoded, 2 usage or I/O error, 3 --strict and records were skipped.
)EX";

constexpr const char* kTimelineExamples = R"EX(
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

constexpr const char* kCompletionExamples = R"EX(
Examples:
  source <(kubeblame completion bash)                bash: in ~/.bashrc
  kubeblame completion zsh > ~/.zfunc/_kubeblame     zsh: with fpath=(~/.zfunc $fpath) before compinit

The scripts complete commands, options, the values of --by (comma lists), --format, --sort,
--input-format, --color and --level, and file names.
Exit codes: 0 ok, 2 usage error.
)EX";

// The subcommands, to tell which one was parsed.
struct Commands {
  CLI::App* top;
  CLI::App* errors;
  CLI::App* fights;
  CLI::App* report;
  CLI::App* timeline;
  CLI::App* completion;
};

// Completion values for each command's options, by long name (the same lists validate() accepts).
OptionValues option_values(const CLI::App& app) {
  const std::map<std::string, std::vector<std::string>> by_option = {
      {"--by", split_list(analyze::dimension_list())},
      {"--format", {"table", "markdown", "json", "csv"}},
      {"--sort", {"requests", "cost", "errors", "p99"}},
      {"--input-format", {"auto", "audit", "log-analytics", "log-analytics-csv", "azure-records", "log-text"}},
      {"--color", {"auto", "always", "never"}},
      {"--level", {"error", "warning", "info", "fatal"}},
      {"shell", {"bash", "zsh"}}};
  OptionValues out;
  out.comma_lists = {"--by"};
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    for (const CLI::Option* opt : command->get_options()) {
      std::string name = opt->nonpositional() ? "--" + (opt->get_lnames().empty() ? std::string() : opt->get_lnames()[0])
                                              : opt->get_name(true);
      auto it = by_option.find(name);
      if (it != by_option.end()) out.values[{command->get_name(), name}] = it->second;
    }
  }
  out.values[{"report", "--format"}] = {"table", "markdown", "json", "html"};
  return out;
}

}  // namespace

std::size_t parse_size(const std::string& text) {
  std::size_t pos = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &pos);
  } catch (const std::exception&) {
    usage_error("invalid size '" + text + "' (examples: 65536, 256K, 64M, 1G)");
  }
  std::string suffix = text.substr(pos);
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  unsigned long long multiplier = 1;
  if (suffix.empty() || suffix == "B") multiplier = 1;
  else if (suffix == "K" || suffix == "KB" || suffix == "KIB") multiplier = 1ull << 10;
  else if (suffix == "M" || suffix == "MB" || suffix == "MIB") multiplier = 1ull << 20;
  else if (suffix == "G" || suffix == "GB" || suffix == "GIB") multiplier = 1ull << 30;
  else usage_error("invalid size '" + text + "' (examples: 65536, 256K, 64M, 1G)");
  if (value > (1ull << 40) / multiplier) usage_error("size '" + text + "' is too large");
  return static_cast<std::size_t>(value * multiplier);
}

// The whole command line as CLI11 definitions; parsing, `completion` and `--man` read it.
Commands build_app(CLI::App& app, RawOptions& raw) {
  app.set_version_flag("--version", std::string("kubeblame ") + kVersion);
  app.require_subcommand(1);
  app.footer(kExamples);
  CLI::App* top = app.add_subcommand(
      "top", "Rank groups of requests (the default command): counts, errors, latency, cost");
  top->add_option("--by", raw.by,
                  "Comma-separated dimensions: " + analyze::dimension_list())
      ->type_name("DIMS")
      ->default_str("agent");
  top->add_option("-n,--top", raw.top, "Rows to show; the rest are folded into (other); 0 = all")
      ->type_name("N")
      ->default_str("20");
  top->add_option("--sort", raw.sort, "Rank by requests, cost, errors or p99")
      ->type_name("KEY")
      ->default_str("requests");
  add_common_options(*top, raw);
  top->footer(kExamples);

  CLI::App* errors = app.add_subcommand(
      "errors", "Rank failure modes: error signatures from audit responses and kube-apiserver logs");
  errors->add_option("-n,--top", raw.top, "Signatures to show; the rest are summed up; 0 = all")
      ->type_name("N")
      ->default_str("20");
  errors->add_option("--level", raw.level,
                     "Lowest log level reported: error (with fatal), warning, info, fatal")
      ->type_name("LEVEL")
      ->default_str("error");
  add_common_options(*errors, raw);
  errors->footer(kErrorsExamples);

  CLI::App* fights = app.add_subcommand(
      "fights", "Find controllers fighting over objects, and hot loops");
  fights->add_option("-n,--top", raw.top, "Rows to show; 0 = all")
      ->type_name("N")
      ->default_str("20");
  add_fight_options(*fights, raw);
  add_common_options(*fights, raw);
  fights->footer(kFightsExamples);

  CLI::App* report_command = app.add_subcommand(
      "report", "The incident document: top talkers, cost, LIST sources, errors, fights and the timeline in one pass");
  report_command->add_option("-n,--top", raw.report_top, "Rows per section; 0 = all")
      ->type_name("N")
      ->default_str("10");
  add_common_options(*report_command, raw);
  report_command->footer(kReportExamples);

  CLI::App* timeline = app.add_subcommand(
      "timeline", "Requests per time interval for the top groups, with sparklines");
  timeline->add_option("--by", raw.by, "Comma-separated dimensions: " + analyze::dimension_list())
      ->type_name("DIMS")
      ->default_str("agent");
  timeline->add_option("--interval", raw.interval,
                       "Bucket width: 30s, 1m, 5m, 1h, 1d (a bare number is seconds); default: auto, "
                       "at most 60 buckets")
      ->type_name("DURATION");
  timeline->add_option("-n,--top", raw.timeline_top, "Groups to show; the rest are summed into (other); 0 = all")
      ->type_name("N")
      ->default_str("10");
  add_common_options(*timeline, raw);
  timeline->footer(kTimelineExamples);

  CLI::App* completion = app.add_subcommand(
      "completion", "Print a shell completion script (bash or zsh) generated from these options");
  completion->add_option("shell", raw.shell, "bash or zsh")->type_name("SHELL")->required();
  completion->footer(kCompletionExamples);
  return {top, errors, fights, report_command, timeline, completion};
}

ParseResult parse_command_line(int argc, char** argv) {
  // `top` is the default command: insert it unless a subcommand or a top-level flag comes first.
  std::vector<char*> args(argv, argv + argc);
  static char top_name[] = "top";
  bool top_level_flag = argc > 1 && (std::strcmp(argv[1], "--help") == 0 ||
                                     std::strcmp(argv[1], "-h") == 0 ||
                                     std::strcmp(argv[1], "--version") == 0);
  if (argc < 2 || (!is_subcommand(argv[1]) && !top_level_flag)) {
    args.insert(args.begin() + 1, top_name);
  }

  CLI::App app{kDescription, "kubeblame"};
  RawOptions raw;
  Commands commands = build_app(app, raw);
  ParseResult result;
  if (argc == 2 && std::strcmp(argv[1], "--man") == 0) {  // hidden: the build makes kubeblame.1 with it
    std::cout << man_page(app, kVersion);
    return result;
  }
  try {
    app.parse(static_cast<int>(args.size()), args.data());
    if (commands.completion->parsed()) {
      if (raw.shell != "bash" && raw.shell != "zsh") usage_error("unknown shell '" + raw.shell + "'; valid: bash, zsh");
      std::cout << (raw.shell == "bash" ? bash_completion(app, option_values(app)) : zsh_completion(app, option_values(app)));
      return result;
    }
    Command command = Command::kTop;
    if (commands.errors->parsed()) command = Command::kErrors;
    if (commands.fights->parsed()) command = Command::kFights;
    if (commands.report->parsed()) command = Command::kReport;
    if (commands.timeline->parsed()) command = Command::kTimeline;
    result.config = validate(raw, command);
    result.run = true;
  } catch (const CLI::CallForHelp& e) {
    result.exit_code = app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    result.exit_code = app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    result.exit_code = app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "kubeblame: " << e.what() << " (see kubeblame --help)\n";
    result.exit_code = 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "kubeblame: " << e.what() << "\n";
    result.exit_code = 2;
  }
  return result;
}

}  // namespace kubeblame::cli
