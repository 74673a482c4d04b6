// Control-plane log text: klog headers ("E1128 04:20:08.123456       1 cacher.go:450] msg"),
// the optional CRI prefix ("2022-06-06T06:01:46.817224179Z stderr F "), Trace[...] continuation
// lines, structured JSON log lines, and anything else (kept as LogShape::kOther).
#pragma once

#include <string_view>

#include "kubeblame/model/log_line.h"

namespace kubeblame::decode {

// Fills `out` from one line of log text. Never fails: text that is not a recognised shape becomes
// LogShape::kOther. Views in `out` point into `text`; `out.component` is left as the caller set it.
// Allocation-free.
//
// - Trailing CR/LF are dropped (properties.log ends with "\n"). `out.text` is the line without
//   the CRI prefix and those line ends.
// - CRI prefix `<RFC 3339 time> <stdout|stderr> <F|P> ` (container runtime log files) is stripped;
//   its time becomes the reference when `reference` is 0.
// - kKlog: `Lmmdd hh:mm:ss[.fraction] <spaces> threadid file:line] msg` with L in I W E F.
//   level from L, source = "file" without ":line" (e.g. "cacher.go"), message = text after "] ".
//   A header that does not fit exactly (bad month/day/clock, no "file:line]") is kOther.
// - kContinuation: lines starting (after optional blanks and an optional `"`) with
//   `Trace[<digits>]:`, the multi-line output of k8s.io/utils/trace. level kUnknown,
//   message = the whole text.
// - kJson: one JSON object per line, as the etcd client (zap) and `--logging-format=json` write:
//   level from "level" or "severity" (debug/info -> info, warn/warning -> warning, error -> error,
//   dpanic/panic/fatal/critical -> fatal; no level key: "err" present -> error, else info when a
//   "v" key is present), time from "ts" (RFC 3339 text or epoch seconds as a number), message =
//   the "msg" (or "message") string as written (JSON escapes kept), source = the base name of
//   "caller" without ":line". An object that does not parse is kOther.
// - kOther: message = the whole text; level kUnknown.
//
// Time. kKlog lines carry month, day and clock but no year and no zone: the zone is UTC (as on
// AKS) and the year is the one (among reference's year, the one before and the one after) that
// puts the time nearest to the reference, so "Dec 31 23:59" read with a reference of Jan 1 falls
// in the previous year and "Jan 1 00:00" read with a reference of Dec 31 in the next. With no
// reference at all (0, and no CRI prefix) the year is the current UTC year at run time, or the
// latest earlier year whose date is not more than one day in the future of the run time (so a
// December line read in January belongs to last year). Lines without a time of their own
// (continuations, other text, JSON without "ts") get the reference (0 when there is none).
// A February 29 that no candidate year has leaves the time at the reference.
void parse_log_text(std::string_view text, model::TimeNs reference, model::LogLine& out);

}  // namespace kubeblame::decode
