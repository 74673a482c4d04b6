// Parsing of the timestamp spellings found in audit logs and Log Analytics exports.
#pragma once

#include <string_view>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::decode {

// Accepts RFC 3339 (`2024-06-30T19:41:14.278898Z`, `+02:00` offsets, a space instead of `T`,
// no zone meaning UTC) and the Azure portal CSV form (`2/25/2025, 9:19:25.391 AM`).
// Returns false, leaving `out` untouched, for anything else.
bool parse_timestamp(std::string_view text, model::TimeNs& out);

}  // namespace kubeblame::decode
