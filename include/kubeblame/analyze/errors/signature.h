// Error signatures: one masked template per failure mode, from a control-plane log line
// (klog source file + message) or from an audit response (code + reason + message). The
// masking rules are described in the essay at the top of src/analyze/signature.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kubeblame::analyze {

// Longest signature in bytes, "…" included; longer ones are cut on a UTF-8 boundary.
inline constexpr std::size_t kMaxSignatureBytes = 512;

// Log line: `source` is the klog file without line number ("cacher.go", may be empty) and
// `message` the text after the klog header. Appends e.g.
// "cacher.go: cacher (<resource>): unexpected ListAndWatch error: ..." to `out`.
// Allocates nothing when `out` has kMaxSignatureBytes of spare capacity.
void append_log_signature(std::string& out, std::string_view source, std::string_view message);
std::string log_signature(std::string_view source, std::string_view message);

// Audit response: appends e.g. "409 Conflict: Operation cannot be fulfilled on <resource>
// \"<name>\": the object has been modified; ..." ("<code>: <message>" without a reason,
// "<code> <reason>" without a message).
void append_audit_signature(std::string& out, int code, std::string_view reason,
                            std::string_view message);
std::string audit_signature(int code, std::string_view reason, std::string_view message);

}  // namespace kubeblame::analyze
