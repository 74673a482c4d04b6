// The command line: one CLI11 subcommand per entry of the command table (command/registry.h),
// validated into a Config. Help, shell completion and the man page are generated from the same
// definition, so a new command or option needs no edit here.
#pragma once

#include <CLI/CLI.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/cli/config.h"
#include "kubeblame/cli/raw_options.h"

namespace kubeblame::cli {

// What the command line needs to know of a command.
class CommandDefinition {
 public:
  virtual ~CommandDefinition() = default;
  virtual std::string_view name() const = 0;
  // One line for `kubeblame --help`'s command list.
  virtual std::string_view summary() const = 0;
  // The --help footer: examples, what the output means, exit codes.
  virtual std::string_view examples() const = 0;
  // The --format values the command renders (help, completion and validation use them).
  virtual std::vector<std::string> formats() const { return {"table", "markdown", "json", "csv"}; }
  // The --sort values (completion offers them), for a command that has --sort.
  virtual std::vector<std::string> sort_keys() const { return {"requests", "cost", "errors", "p99"}; }
  // False for a command that reads no input (kql): it gets no input, output or filter options.
  virtual bool reads_input() const { return true; }
  // Adds the command's own options (the common ones are added for it).
  virtual void declare(CLI::App& command, RawOptions& raw) const = 0;
  // Checks the command's own options and copies them into `config`; calls usage_error().
  virtual void validate(const RawOptions& raw, Config& config) const = 0;
};

using CommandTable = std::span<const CommandDefinition* const>;

// Either a config to run, or an exit code (help and version print and exit 0; usage errors
// print one line and exit 2).
struct ParseResult {
  bool run = false;
  int exit_code = 0;
  Config config;
};

ParseResult parse_command_line(int argc, char** argv, CommandTable commands);

// "64K", "1M", "128MiB", "1048576" -> bytes; throws std::invalid_argument.
std::size_t parse_size(const std::string& text);

}  // namespace kubeblame::cli
