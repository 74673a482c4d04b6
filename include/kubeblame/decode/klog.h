// Control-plane log text: klog headers ("E1128 04:20:08.123456       1 cacher.go:450] msg"),
// the optional CRI prefix ("2022-06-06T06:01:46.817224179Z stderr F "), Trace[...] continuation
// lines, structured JSON log lines, and anything else (kept as LogShape::kOther).
#pragma once

#include <string_view>

#include "kubeblame/model/log_line.h"

namespace kubeblame::decode {

// Fills `out` from one line of log text (never fails: unknown text becomes LogShape::kOther).
// klog omits the year and zone: they come from `reference` (the surrounding record's time, or
// the CRI prefix's) when non-zero; see the implementation for the rule without one.
// Views in `out` point into `text`; `out.component` is left as the caller set it.
void parse_log_text(std::string_view text, model::TimeNs reference, model::LogLine& out);

}  // namespace kubeblame::decode
