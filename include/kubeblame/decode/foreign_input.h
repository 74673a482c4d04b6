// What an input kubeblame cannot read looks like, told from its first bytes, so that the warning
// about it names the input's kind ("a Linux auditd log") instead of only counting skipped lines.
// docs/formats.md lists what kubeblame reads.
#pragma once

#include <string>
#include <string_view>

namespace kubeblame::decode {

// A phrase for "INPUT looks like …" when `head` (an input's first bytes) is not any input format
// kubeblame reads: a Linux auditd log, rows of a Log Analytics table that holds no audit events
// or log lines, JSON with other keys, binary data, other text. Empty when the head looks like a
// format kubeblame reads: its records, if skipped, were skipped for reasons of their own.
std::string describe_foreign_input(std::string_view head);

// The formats kubeblame reads, in one sentence, for that warning.
std::string_view accepted_formats_sentence();

}  // namespace kubeblame::decode
