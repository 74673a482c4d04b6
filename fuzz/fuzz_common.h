// Shared by the libFuzzer targets: invariants that must hold for any input. A violated invariant
// aborts, which libFuzzer (and the replay runner under CTest) reports as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "kubeblame/analyze/input_stats.h"

namespace kubeblame::fuzz {

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

// Line accounting (docs/counting.md): every line lands in exactly one bucket, and decoded records are either
// audit events or log lines.
inline void check_accounting(const analyze::InputStats& stats) {
  if (stats.lines != stats.decoded + stats.filtered + stats.skipped_total()) {
    fail("lines != decoded + filtered + skipped");
  }
  if (stats.decoded != stats.events + stats.log_lines + stats.weighted_rows) {
    fail("decoded != events + log_lines + weighted_rows");
  }
  if (stats.requests > stats.events) fail("requests > events");
}

}  // namespace kubeblame::fuzz
