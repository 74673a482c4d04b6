// The table of commands, in the order `kubeblame --help` lists them.
#include "kubeblame/command/registry.h"

#include <array>
#include <cstdlib>

#include "command_units.h"

namespace kubeblame::command {

namespace {

struct Table {
  std::array<const Command*, 7> commands;
  std::array<const cli::CommandDefinition*, 7> definitions;
};

const Table& table() {
  static const Table kTable = [] {
    Table t{{&top_command(), &errors_command(), &fights_command(), &report_command(), &timeline_command(),
               &diff_command(), &kql_command()},
              {}};
    for (std::size_t i = 0; i < t.commands.size(); ++i) t.definitions[i] = t.commands[i];
    return t;
  }();
  return kTable;
}

}  // namespace

std::span<const Command* const> commands() { return table().commands; }

cli::CommandTable command_definitions() { return table().definitions; }

const Command& find_command(std::string_view name) {
  for (const Command* command : table().commands) {
    if (command->name() == name) return *command;
  }
  std::abort();  // the command line only accepts names from this table
}

}  // namespace kubeblame::command
