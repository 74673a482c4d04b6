// The API Priority and Fairness finding every command shares: AKS's aks-managed-apiserver-guard
// flow schema throttling the clients AKS moved there.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "kubeblame/analyze/apf_join.h"
#include "kubeblame/analyze/group_table.h"

namespace kubeblame::report {

// "AKS's aks-managed-apiserver-guard flow schema throttled 24 of its 104 requests (429): …";
// nullopt when it throttled none.
std::optional<std::string> guard_finding(std::uint64_t throttled, std::uint64_t requests);
// From a table grouped by flow_schema (among other dimensions); nullopt without that dimension.
std::optional<std::string> guard_finding(const analyze::GroupTable& table);
// From the HTTP log lines themselves (their apf_fs and resp=429), when no table names them.
std::optional<std::string> guard_finding(const analyze::ApfJoinStats& stats);

}  // namespace kubeblame::report
