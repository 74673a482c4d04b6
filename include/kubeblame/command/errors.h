// `kubeblame errors`: failure modes as error signatures, from audit responses and control-plane logs.
#pragma once

#include "kubeblame/command/command.h"

namespace kubeblame::command {

class ErrorsCommand final : public Command {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  std::string_view examples() const override;
  bool reads_log_lines() const override { return true; }
  void declare(CLI::App& command, cli::RawOptions& raw) const override;
  void validate(const cli::RawOptions& raw, cli::Config& config) const override;
  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override;
  Document render(const Analysis& analysis) const override;
};

}  // namespace kubeblame::command
