// Shell completion scripts (bash, zsh) generated from the CLI11 definition, so that a new
// subcommand or option completes without further edits.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kubeblame::cli {

// What the CLI11 definition cannot say: the values an option's argument takes, per subcommand
// ({"top", "--sort"} -> requests, cost, ...), and which options take comma-separated lists of
// them (--by agent,verb).
struct OptionValues {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> values;
  std::set<std::string> comma_lists;  // long names, e.g. "--by"

  // nullptr when the option (a long name, or a positional's name) has no fixed values there.

  const std::vector<std::string>* find(const std::string& command, const std::string& option) const;
};

// `source <(kubeblame completion bash)`: defines _kubeblame and registers it for kubeblame.
std::string bash_completion(const CLI::App& app, const OptionValues& values);
// A #compdef kubeblame file for a directory on $fpath (named _kubeblame).
std::string zsh_completion(const CLI::App& app, const OptionValues& values);

}  // namespace kubeblame::cli
