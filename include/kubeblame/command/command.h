// A kubeblame command is one unit: its name, help and options (cli::CommandDefinition), what the
// single pass must compute for it (plan), and how its report is built from the merged shard and
// rendered. app::run drives every command through the same stages; the table of commands is
// command/registry.h. docs/design.md says how to add one.
#pragma once

#include <optional>
#include <string>

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

class Command : public cli::CommandDefinition {
 public:
  // Adds the groupings and analyzers this command reads to the plan of the single pass.
  virtual void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const = 0;
  virtual Document render(const Analysis& analysis) const = 0;
  // Whether control-plane log lines alone make a result (errors, report); the others need
  // audit events.
  virtual bool reads_log_lines() const { return false; }
};

}  // namespace kubeblame::command
