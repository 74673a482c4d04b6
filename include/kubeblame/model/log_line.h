// A normalized control-plane log line (kube-apiserver and other components' klog output), the
// second kind of record decoders produce next to AuditEvent. Plain data: views point into the
// decoder's buffers and live until the next record.
#pragma once

#include <cstdint>
#include <string_view>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::model {

// klog severities (I W E F). kUnknown for lines that carry none (continuations, plain text).
enum class LogLevel : std::uint8_t { kUnknown, kInfo, kWarning, kError, kFatal };

enum class LogShape : std::uint8_t {
  kKlog,          // "E1128 04:20:08.123456       1 cacher.go:450] msg"
  kContinuation,  // "Trace[711846624]: ..." lines that continue an earlier klog entry
  kJson,          // structured JSON log lines (etcd client: {"level":"warn","ts":...,"msg":...})
  kOther,         // any other text line: counted, never an error signature
};

struct LogLine {
  LogShape shape = LogShape::kOther;
  LogLevel level = LogLevel::kUnknown;
  TimeNs time = 0;                // 0 when unknown
  std::string_view component;     // "kube-apiserver", "kube-controller-manager", ...; empty if unknown
  std::string_view source;        // klog source file without the line number ("cacher.go"); may be empty
  std::string_view message;       // the text after the klog header (the whole text otherwise)
  std::string_view text;          // the line as read (without CRI prefix), for verbatim examples
};

std::string_view log_level_name(LogLevel level);  // "info", "warning", "error", "fatal", "unknown"

}  // namespace kubeblame::model
