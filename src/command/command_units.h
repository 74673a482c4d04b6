// The command units, each defined in its own file of src/command/; registry.cpp lists them.
#pragma once

#include "kubeblame/command/command.h"

namespace kubeblame::command {

const Command& top_command();
const Command& errors_command();
const Command& fights_command();
const Command& report_command();
const Command& timeline_command();
const Command& diff_command();
const Command& kql_command();

}  // namespace kubeblame::command
