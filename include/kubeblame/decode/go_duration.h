// Go's time.Duration text ("1.505163ms", "2.1s", "500µs", "1m2.5s", "-3ns", "0s"), as the
// kube-apiserver writes it in the apiserver.latency.k8s.io audit annotations and HTTP log lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace kubeblame::decode {

// Nanoseconds, or nullopt for text that is not a Go duration (garbage, a unit missing or
// unknown, more than 64 bits). Negative durations parse: the caller decides what they mean.
std::optional<std::int64_t> parse_go_duration(std::string_view text);

}  // namespace kubeblame::decode
