// `kubeblame top`: groups of requests ranked by --sort (the default command).
#pragma once

#include "kubeblame/command/command.h"

namespace kubeblame::command {

class TopCommand final : public Command {
 public:
  std::string_view name() const override;
  std::string_view summary() const override;
  std::string_view examples() const override;
  void declare(CLI::App& command, cli::RawOptions& raw) const override;
  void validate(const cli::RawOptions& raw, cli::Config& config) const override;
  void plan(const cli::Config& config, analyze::AnalysisPlan& plan) const override;
  Document render(const Analysis& analysis) const override;
};

}  // namespace kubeblame::command
