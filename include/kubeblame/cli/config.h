// The validated run configuration produced by the command line. Nothing below cli sees CLI11.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/fights/fight_options.h"
#include "kubeblame/analyze/filter_spec.h"
#include "kubeblame/decode/format_hint.h"
#include "kubeblame/model/log_line.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/render.h"

namespace kubeblame::cli {

enum class ColorMode { kAuto, kAlways, kNever };
// --progress / --no-progress; auto: a bar on stderr when it is a terminal (app/progress_meter.h).
enum class ProgressMode { kAuto, kAlways, kNever };

struct Config {
  std::string command = "top";  // a name from the command table (command/registry.h)
  std::vector<std::string> inputs;  // as given; empty means stdin
  std::vector<analyze::Dimension> by{analyze::Dimension::kAgent};
  bool by_given = false;  // --by was on the command line (weighted input: else the result's own)
  std::size_t top = 20;
  report::SortKey sort = report::SortKey::kRequests;
  report::DiffSort diff_sort = report::DiffSort::kRate;  // diff: inputs are {BEFORE, AFTER}
  std::vector<std::string> columns;  // `top --columns`: metric column names; empty = default
  report::OutputFormat format = report::OutputFormat::kTable;
  decode::FormatHint input_format = decode::FormatHint::kAuto;
  unsigned threads = 1;
  std::size_t chunk_size = 1 << 20;
  std::size_t max_line = 128ull << 20;
  std::size_t max_groups = 100000;  // --max-groups: per grouping; 0 = unlimited
  bool strict = false;
  bool keep_duplicates = false;  // --keep-duplicates: count every copy of an event
  bool quiet = false;
  int verbosity = 0;
  bool stats = false;
  ColorMode color = ColorMode::kAuto;
  ProgressMode progress = ProgressMode::kAuto;
  // errors: the lowest klog level reported (--level); error includes fatal.
  model::LogLevel min_level = model::LogLevel::kError;
  // --redact: names, users, IPs and namespaces become keyed hashes (analyze/redact.h); the key
  // comes from --redact-key or KUBEBLAME_REDACT_KEY, else it is random for this run.
  analyze::FightOptions fights;  // fights thresholds and bounds (--min-flips, ...)
  bool redact = false;
  std::string redact_key;
  // --since/--until (relative ones resolved by the app) and --where, all ANDed.
  analyze::FilterSpec filters;
  // timeline: bucket width in seconds from --interval; 0 = auto (analyze/timeline_ladder.h).
  std::int64_t interval_s = 0;
  // kql: the command whose query is printed, the table, --split (seconds, 0 = one query),
  // --query (1-based, 0 = all); and the command line as typed, for the query's header.
  std::string kql_command;
  std::string kql_table = "AKSAudit";
  std::int64_t kql_split_s = 0;
  std::size_t kql_query = 0;
  std::string command_line;
};

}  // namespace kubeblame::cli
