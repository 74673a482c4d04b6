// Runs one validated command end to end: inputs → pipeline → report → output, and decides the
// exit code. The glue main() calls; every stage lives in its own module.
#pragma once

#include "kubeblame/cli/config.h"

namespace kubeblame::app {

// SPEC exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitNoEvents = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitStrict = 3;

int run(const cli::Config& config);

}  // namespace kubeblame::app
