// The Log Analytics columns kubeblame reads (AKSAudit, AzureDiagnostics, AKSControlPlane).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kubeblame::decode {

enum class Column : std::uint8_t {
  kIgnored,
  kAuditId,
  kVerb,
  kRequestUri,
  kUserAgent,
  kStage,
  kUser,
  kImpersonatedUser,
  kObjectRef,
  kResponseStatus,
  kSourceIps,
  kRequestReceivedTime,
  kStageReceivedTime,
  kTimeGenerated,
  kRequestObject,
  kAnnotations,  // AKSAudit: audit.k8s.io/truncated, the latency breakdown, the webhooks
  kCategory,
  kLog,      // AzureDiagnostics log_s
  kMessage,  // AKSControlPlane
  kLevel,    // AKSControlPlane severity (AKSAudit's audit level is read but not used)
  kType,     // the row's table: AKSAudit, AKSAuditAdmin, AzureDiagnostics, ...
  kKubeblame,  // the marker of a kubeblame kql result row (top/v1, timeline/v1)
  kCount,
};

// Maps a column name as exported ("TimeGenerated [UTC]" in CSV headers) to the column.
Column column_for(std::string_view name);
std::vector<Column> columns_for(const std::vector<std::string>& names);

}  // namespace kubeblame::decode
