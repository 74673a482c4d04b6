// How `top` ranks its groups (--sort).
#pragma once

#include <string_view>

namespace kubeblame::report {

enum class SortKey { kRequests, kCost, kErrors, kP99 };

std::string_view sort_key_name(SortKey sort);

}  // namespace kubeblame::report
