// Number and time formatting shared by the renderers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kubeblame/model/audit_event.h"

namespace kubeblame::report {

// 1234567 -> "1,234,567"
std::string format_count(std::uint64_t value);
// A count and its noun in agreement: (1, "write") -> "1 write", (1234, "write") -> "1,234 writes";
// `many` for a plural other than noun + "s": (2, "body", "bodies") -> "2 bodies".
std::string plural(std::uint64_t n, std::string_view one, std::string_view many = {});
// Fixed decimals with thousands separators: (1234.5, 1) -> "1,234.5"
std::string format_fixed(double value, int decimals);
// Milliseconds for people: 0.85 -> "850µs", 12.34 -> "12.3ms", 1240 -> "1.24s", 125000 -> "2m05s"
std::string format_latency_ms(double ms);
// A span in seconds for people: "45s", "12m 05s", "3h 02m", "2d 04h"
std::string format_span(double seconds);
// Magnitudes at a glance (progress, --stats; table cells keep exact counts): three significant
// digits at most, decimal units. 999 -> "999", 12'400 -> "12.4k", 999'950 -> "1.0M", 3.1e9 -> "3.1G"
std::string format_count_short(std::uint64_t value);
// Bytes the same way: 999 -> "999 B", 1'000 -> "1.0 kB", 340e6 -> "340 MB", 1.2e9 -> "1.2 GB"
std::string format_bytes(std::uint64_t bytes);
// A byte rate: format_bytes of bytes per second, then "/s" ("340 MB/s")
std::string format_byte_rate(double bytes_per_second);
// RFC 3339 UTC with as many fractional digits as needed (none, 3, 6 or 9).
std::string format_rfc3339(model::TimeNs ns);
// "2024-06-30 19:41:14Z" (whole seconds, for tables)
std::string format_time_short(model::TimeNs ns);
// JSON number: fixed `decimals`, trailing zeros trimmed ("0.25", "3", "1.234").
std::string format_json_number(double value, int decimals);

}  // namespace kubeblame::report
