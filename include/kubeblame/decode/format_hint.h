// --input-format: the format a user can force instead of detection (names in format_table.cpp).
#pragma once

#include <cstdint>

namespace kubeblame::decode {

// --input-format: which decoder to use instead of detecting it.
enum class FormatHint : std::uint8_t {
  kAuto,
  kAuditJson,         // raw audit events (lines, arrays, EventList)
  kLogAnalyticsJson,  // az -o json rows or REST tables
  kLogAnalyticsCsv,   // portal CSV export (the first line is the header)
  kAzureRecords,      // Storage PT1H.json / Event Hub records
  kLogText,           // control-plane log text, one log line per line (klog, CRI, JSON logs)
  kEks,               // EKS audit events in CloudWatch Logs exports (every shape)
  kGke,               // GKE Cloud Audit Logs LogEntry records (gcloud array, sink lines)
};

}  // namespace kubeblame::decode
