// `kubeblame report`: the incident document, every section from one pass.
#pragma once

#include "kubeblame/command/command.h"

namespace kubeblame::command {

class ReportCommand final : public Command {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  std::string_view examples() const override;
  std::vector<std::string> formats() const override;
  bool reads_log_lines() const override { return true; }
  void declare(CLI::App& command, cli::RawOptions& raw) const override;
  void validate(const cli::RawOptions& raw, cli::Config& config) const override;
  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override;
  Document render(const Analysis& analysis) const override;
};

}  // namespace kubeblame::command
