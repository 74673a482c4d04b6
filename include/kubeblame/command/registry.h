// The table of commands: the one place a command is listed. The command line builds its
// subcommands, help, completion and man page from it; app::run finds the command to run in it.
#pragma once

#include <span>
#include <string_view>

#include "kubeblame/cli/command_line.h"
#include "kubeblame/command/command.h"

namespace kubeblame::command {

std::span<const Command* const> commands();
// The same table, as the command line sees it.
cli::CommandTable command_definitions();
// The command named `name` (a name the command line accepted).
const Command& find_command(std::string_view name);

}  // namespace kubeblame::command
