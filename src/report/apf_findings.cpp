// AKS puts clients that overload the API server under the aks-managed-apiserver-guard flow
// schema; its 429s are the cluster's guard throttling them, worth a line in every format.
#include "kubeblame/report/apf_findings.h"

#include <algorithm>

#include "kubeblame/report/format.h"

namespace kubeblame::report {

std::optional<std::string> guard_finding(std::uint64_t throttled, std::uint64_t requests) {
  if (throttled == 0) return std::nullopt;
  return "AKS's aks-managed-apiserver-guard flow schema throttled " + format_count(throttled) +
         " of its " + format_count(requests) +
         " requests (429): AKS moved these clients there because they overloaded the API server";
}

std::optional<std::string> guard_finding(const analyze::GroupTable& table) {
  const auto& dims = table.dimensions();
  auto fs = std::find(dims.begin(), dims.end(), analyze::Dimension::kFlowSchema);
  if (fs == dims.end()) return std::nullopt;
  auto column = static_cast<std::size_t>(fs - dims.begin());
  std::uint64_t throttled = 0;
  std::uint64_t requests = 0;
  for (std::size_t g = 0; g < table.size(); ++g) {
    if (table.key(g, column) != analyze::kAksGuardFlowSchema) continue;
    throttled += table.metrics(g).throttled;
    requests += table.metrics(g).requests;
  }
  return guard_finding(throttled, requests);
}

std::optional<std::string> guard_finding(const analyze::ApfJoinStats& stats) {
  return guard_finding(stats.guard_throttled, stats.guard_requests);
}

}  // namespace kubeblame::report
