// The table of commands, in the order `kubeblame --help` lists them.
#include "kubeblame/command/registry.h"

#include <array>
#include <cstdlib>

#include "kubeblame/command/errors.h"
#include "kubeblame/command/fights.h"
#include "kubeblame/command/report.h"
#include "kubeblame/command/timeline.h"
#include "kubeblame/command/top.h"

namespace kubeblame::command {

namespace {

const TopCommand kTop;
const ErrorsCommand kErrors;
const FightsCommand kFights;
const ReportCommand kReport;
const TimelineCommand kTimeline;

const std::array<const Command*, 5> kCommands = {&kTop, &kErrors, &kFights, &kReport, &kTimeline};
const std::array<const cli::CommandDefinition*, 5> kDefinitions = {&kTop, &kErrors, &kFights, &kReport,
                                                                   &kTimeline};

}  // namespace

std::span<const Command* const> commands() { return kCommands; }

cli::CommandTable command_definitions() { return kDefinitions; }

const Command& find_command(std::string_view name) {
  for (const Command* command : kCommands) {
    if (command->name() == name) return *command;
  }
  std::abort();  // the command line only accepts names from this table
}

}  // namespace kubeblame::command
