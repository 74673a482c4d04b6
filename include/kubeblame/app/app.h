// Runs one validated command end to end: inputs → plan → filters → pipeline → build and render
// → write, and decides the exit code. The glue main() calls; every stage lives in its own module.
#pragma once

#include "kubeblame/cli/config.h"
#include "kubeblame/cli/exit_code.h"

namespace kubeblame::app {

using cli::kExitNoEvents;
using cli::kExitOk;
using cli::kExitStrict;
using cli::kExitUsage;

int run(const cli::Config& config);

}  // namespace kubeblame::app
