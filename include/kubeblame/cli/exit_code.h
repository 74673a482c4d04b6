// kubeblame's exit codes (docs/manual.md, "Exit codes"): stable, scripts rely on them.
#pragma once

namespace kubeblame::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNoEvents = 1;  // nothing to report: no audit events (or log lines) read
inline constexpr int kExitUsage = 2;     // usage or I/O error
inline constexpr int kExitStrict = 3;    // --strict and records were skipped

}  // namespace kubeblame::cli
