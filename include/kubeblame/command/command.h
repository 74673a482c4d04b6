// A kubeblame command is one unit: its name, help and options (cli::CommandDefinition), what the
// single pass must compute for it (plan), and how its report is built from the merged shard and
// rendered. app::run drives every command through the same stages; the table of commands is
// command/registry.h. docs/design.md says how to add one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/analyze/redact.h"
#include "kubeblame/analyze/shard.h"
#include "kubeblame/cli/command_line.h"
#include "kubeblame/report/render.h"
#include "kubeblame/report/report.h"

namespace kubeblame::command {

// What a command's report is built from, once the pass is over.
struct Analysis {
  const cli::Config& config;
  const analyze::Shard& shard;       // merged
  const report::InputSummary& input;  // accounting, files, filters, warnings
  const std::optional<analyze::RedactKey>& redact;
  report::RenderOptions render;
};

// The rendered document, or the usage error that replaces it (exit 2).
struct Document {
  std::string text;
  std::optional<std::string> usage_error;
};

// The formats every command but `report` renders.
inline const std::vector<std::string> kTableFormats = {"table", "markdown", "json", "csv"};

class Command : public cli::CommandDefinition {
 public:
  struct Info {
    std::string_view name;
    std::string_view summary;   // one line for `kubeblame --help`
    std::string_view examples;  // the --help footer
    std::vector<std::string> formats;
    // Whether control-plane log lines alone make a result (errors, report); the others need
    // audit events.
    bool reads_log_lines = false;
    // Whether the command compares two input sets (diff): app::run then reads each side in a
    // pass of its own and calls compare() instead of render().
    bool compares_two_inputs = false;
  };
  explicit Command(Info info) : info_(std::move(info)) {}

  std::string_view name() const final { return info_.name; }
  std::string_view summary() const final { return info_.summary; }
  std::string_view examples() const final { return info_.examples; }
  std::vector<std::string> formats() const final { return info_.formats; }
  bool reads_log_lines() const { return info_.reads_log_lines; }
  bool compares_two_inputs() const { return info_.compares_two_inputs; }

  // A command that reads no input (reads_input() false) makes its document from the options alone.
  virtual Document without_input(const cli::Config& /*config*/) const {
    return {"", std::string(name()) + " needs input"};
  }
  // Adds the groupings and analyzers this command reads to the plan of the single pass.
  virtual void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const = 0;
  virtual Document render(const Analysis& analysis) const = 0;
  // The report of a command that compares two input sets, from one analysis per side.
  virtual Document compare(const Analysis& /*before*/, const Analysis& /*after*/) const {
    return {{}, std::string(name()) + " reads one set of inputs"};
  }

 private:
  Info info_;
};

}  // namespace kubeblame::command
