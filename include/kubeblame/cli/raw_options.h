// The command line as CLI11 fills it, before validation, and the option groups commands share.
// Only cli and the command units (which declare their own options) see this header.
#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/fights/fight_options.h"

namespace kubeblame::cli {

struct RawOptions {
  std::vector<std::string> inputs;
  std::string by = "agent";
  bool by_given = false;  // --by was on the command line
  std::size_t top = 20;
  std::size_t report_top = 10;    // `report`: rows per section
  std::size_t timeline_top = 10;  // `timeline`: groups with a sparkline
  std::string interval;           // `timeline`: empty = auto
  std::string sort = "requests";
  std::string diff_sort = "rate";  // `diff`: rate, cost or errors
  std::string before, after;       // `diff`: BEFORE and AFTER
  std::string columns = "default";  // `top`: metric columns of the table and markdown
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
  std::string level = "error";
  bool redact = false;
  std::string redact_key;
  std::string since;
  std::string until;
  std::vector<std::string> where;
  analyze::FightOptions fights;
  std::string help_command;  // `help COMMAND`
  // kql: the command whose query to print, the table, --split, --query.
  std::string kql_command;
  std::string kql_table = "AKSAudit";
  std::string kql_split;
  std::size_t kql_query = 0;
};

// Inputs, output, filters, threads and the other options every analysis command takes.
// `formats` is the --format help text ("table, markdown, json or csv").
void add_common_options(CLI::App& app, RawOptions& raw, const std::string& formats);
// --since, --until, --where. `relative_to_now`: a duration counts back from now (kql: there is no
// input), not from the input's last record.
void add_filter_options(CLI::App& app, RawOptions& raw, bool relative_to_now = false);
// --by DIMS (top, timeline).
void add_by_option(CLI::App& app, RawOptions& raw);
// -n/--top N with its default, bound to `field`.
void add_top_option(CLI::App& app, std::size_t& field, const std::string& help);
// Every threshold of analyze::FightOptions (fights).
void add_fight_options(CLI::App& app, RawOptions& raw);

// --by's comma-separated dimension names, checked (calls usage_error).
std::vector<analyze::Dimension> parse_by(const std::string& text);

// "a, b,c" -> {"a", "b", "c"}.
std::vector<std::string> split_list(const std::string& text);

// One sentence for the user; parse_command_line prints it and exits 2.
[[noreturn]] void usage_error(const std::string& message);

}  // namespace kubeblame::cli
