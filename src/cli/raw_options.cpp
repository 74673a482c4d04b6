// Option groups shared by the commands, and the checks that turn a bad value into one sentence
// (CLI11's own wording names types, not what the user meant).
#include "kubeblame/cli/raw_options.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/decode/format_table.h"

namespace kubeblame::cli {

namespace {

bool is_whole_number(const std::string& text) {
  return !text.empty() && text.size() <= 18 && text.find_first_not_of("0123456789") == std::string::npos;
}

bool is_non_negative_number(const std::string& text) {
  if (text.empty() || text.size() > 32) return false;
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size() && value >= 0 && value == value;
}

// One sentence for a bad value: "--top takes a whole number of rows (0 = all), not '-1'". Thrown
// from inside CLI11's parse, it reaches parse_command_line's handler as it is.
CLI::Validator value_check(bool (*valid)(const std::string&), const std::string& option, const std::string& what) {
  return CLI::Validator(
      [valid, option, what](std::string& value) {
        if (!valid(value)) usage_error(fmt::format("{} takes {}, not '{}'", option, what, value));
        return std::string();
      },
      "");
}

CLI::Validator whole_number(const std::string& option, const std::string& what) {
  return value_check(is_whole_number, option, what);
}

CLI::Validator non_negative_number(const std::string& option, const std::string& what) {
  return value_check(is_non_negative_number, option, what);
}

// Everything about what reaches stdout and stderr, after --format, --input-format, -j and --strict.
void add_output_options(CLI::App& app, RawOptions& raw) {
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
}

void add_detection_options(CLI::App& app, RawOptions& raw) {
  app.add_option("--input-format", raw.input_format, "Override detection: " + decode::format_hint_names())
      ->type_name("NAME")
      ->default_str("auto");
  app.add_option("-j,--threads", raw.threads, "Worker threads (default: number of cores)")
      ->type_name("N")
      ->check(whole_number("--threads", "a number of worker threads"));
  app.add_flag("--strict", raw.strict, "Exit 3 if any record was skipped (malformed, truncated, ...)");
  app.add_flag("--keep-duplicates", raw.keep_duplicates,
               "Count every copy of an event read twice (same auditID and stage); by default "
               "the first copy is counted and input.duplicates says how many were dropped");
}

void add_buffer_options(CLI::App& app, RawOptions& raw) {
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
      ->check(whole_number("--max-groups", "a number of groups (0 = unlimited)"))
      ->default_str("100000");
}

}  // namespace

void usage_error(const std::string& message) { throw std::invalid_argument(message); }

void add_filter_options(CLI::App& app, RawOptions& raw, bool relative_to_now) {
  std::string duration = relative_to_now ? "a duration before now, as KQL ago() (90m, 2h, 1d, 1h30m: the query runs "
                                           "where the data is, so there is no input's last record)"
                                         : "a duration before the input's last record (90m, 2h, 1d, 1h30m); records "
                                           "without a time are then filtered out";
  app.add_option("--since", raw.since,
                 "Only records at or after TIME: RFC 3339 (2024-06-30T19:00:00Z, +02:00 offsets) or " + duration)
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
}

void add_common_options(CLI::App& app, RawOptions& raw, const std::string& formats) {
  // CLI11 adds "..." to a list's type name itself. A command with positionals of its own (diff:
  // BEFORE AFTER) reads those instead.
  if (app.get_options([](const CLI::Option* opt) { return !opt->nonpositional(); }).empty()) {
    app.add_option("inputs", raw.inputs, "Files or directories to read; '-' or nothing reads stdin")
        ->type_name("PATH");
  }
  app.add_option("-f,--format", raw.format, "Output: " + formats)->type_name("FORMAT")->default_str("table");
  add_detection_options(app, raw);
  add_output_options(app, raw);
  add_filter_options(app, raw);
  add_buffer_options(app, raw);
}

void add_by_option(CLI::App& app, RawOptions& raw) {
  app.add_option("--by", raw.by, "Comma-separated dimensions: " + analyze::dimension_list())
      ->each([&raw](const std::string&) { raw.by_given = true; })
      ->type_name("DIMS")
      ->default_str("agent");
}

void add_top_option(CLI::App& app, std::size_t& field, const std::string& help) {
  app.add_option("-n,--top", field, help)
      ->type_name("N")
      ->check(whole_number("--top", "a whole number of rows (0 = all)"))
      ->default_str(std::to_string(field));
}

std::vector<analyze::Dimension> parse_by(const std::string& text) {
  std::vector<analyze::Dimension> by;
  for (const std::string& name : split_list(text)) {
    auto dimension = analyze::parse_dimension(name);
    if (!dimension) {
      usage_error(fmt::format("unknown dimension '{}' in --by; valid: {}", name, analyze::dimension_list()));
    }
    if (std::find(by.begin(), by.end(), *dimension) != by.end()) {
      usage_error(fmt::format("dimension '{}' is repeated in --by", name));
    }
    by.push_back(*dimension);
  }
  if (by.empty()) usage_error("--by needs at least one dimension; valid: " + analyze::dimension_list());
  return by;
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
  auto count = [&](const char* name, auto& field, const char* help, const char* what) {
    app.add_option(name, field, help)
        ->type_name("N")
        ->check(whole_number(name, what))
        ->default_val(field)
        ->group("Fight thresholds");
  };
  auto number = [&](const char* name, double& field, const char* help, const char* type, const char* what) {
    app.add_option(name, field, help)
        ->type_name(type)
        ->check(non_negative_number(name, what))
        ->default_val(field)
        ->group("Fight thresholds");
  };
  count("--min-flips", f.min_flips, "Fight: at least this many changes of writer", "a whole number of flips");
  count("--min-writers", f.min_writers, "Fight: at least this many writers with --min-writer-writes each",
        "a whole number of writers (at least 2)");
  count("--min-writer-writes", f.min_writer_writes, "Fight: writes a writer needs to count as a side",
        "a whole number of writes");
  number("--min-flips-per-hour", f.min_flips_per_hour, "Fight: changes of writer per hour, at least", "RATE",
         "a rate per hour (0 or more)");
  count("--min-conflicts", f.min_conflicts, "Report an object with this many 409 Conflicts even without flips",
        "a whole number of conflicts");
  count("--hot-min-writes", f.hot_min_writes, "Hot loop: writes by one writer to one object, at least",
        "a whole number of writes");
  number("--hot-min-per-hour", f.hot_min_per_hour, "Hot loop: that writer's writes per hour, at least", "RATE",
         "a rate per hour (0 or more)");
  number("--hot-min-span", f.hot_min_span_seconds, "Hot loop: seconds between its first and last write, at least",
         "SECONDS", "a number of seconds (0 or more)");
  number("--hot-min-busy", f.hot_min_busy_fraction,
         "Hot loop: share of time slices with a write (0..1; 1 = perfectly steady)", "FRACTION",
         "a fraction between 0 and 1");
  count("--max-fields", f.max_fields, "Contested field paths listed per object", "a whole number of paths");
  count("--pattern-length", f.pattern_length, "Letters in the write pattern (ABAB...)", "a whole number of letters");
  count("--max-writes-per-object", f.max_writes_per_object, "Memory bound: writes kept per object for ordering",
        "a whole number of writes (at least 2)");
  count("--max-objects", f.max_objects, "Memory bound: written objects tracked (then sampled by name)",
        "a whole number of objects");
}

}  // namespace kubeblame::cli
