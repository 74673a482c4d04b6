// What decoders consume (one record: a line, a framed JSON element, a CSV row) and what they
// report to (an EventSink: one event or one counted skip per record or batch element).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kubeblame/decode/column.h"
#include "kubeblame/model/audit_event.h"
#include "kubeblame/model/log_line.h"
#include "kubeblame/model/weighted_group.h"

namespace kubeblame::decode {

// Why a record was not decoded. Names are part of the JSON contract (input.skipped).
enum class SkipReason : std::uint8_t {
  kMalformedJson,  // not valid JSON (or a CSV row that does not match its header)
  kTruncated,      // the record ends mid-value: cut by an export limit or a crash
  kNotAudit,       // valid data, but not an audit event (activity log, metrics, log text)
  kUnknownFormat,  // not any input format kubeblame knows
  kTooLong,        // longer than --max-line-size
  kEmptyBatch,     // a batch ({"records":[]}, EventList) with no elements
  kBlank,          // an empty or whitespace-only line: counted, never a sample, never --strict
  kControlMessage, // a CloudWatch Logs CONTROL_MESSAGE (Firehose health check): like kBlank
  kResultVersion,  // a kubeblame kql result row of a version this kubeblame does not read
  kBadResultRow,   // a kubeblame kql result row with a missing, malformed or inconsistent cell
  kCount,
};
inline constexpr std::size_t kSkipReasonCount = static_cast<std::size_t>(SkipReason::kCount);
std::string_view skip_reason_name(SkipReason reason);

// Input formats, by the shape of the records and the container they came in.
// Names are part of the JSON contract (input.formats).
enum class Format : std::uint8_t {
  kAuditJsonLines,
  kAuditJsonArray,
  kAuditEventList,
  kAksAuditAzJson,
  kAksAuditRest,
  kAksAuditCsv,
  kDiagnosticsAzJson,
  kDiagnosticsRest,
  kDiagnosticsCsv,
  kAzureStorage,
  kAzureEventHub,
  kControlPlaneAzJson,  // AKSControlPlane rows from az -o json
  kControlPlaneRest,    // AKSControlPlane rows from a REST tables response
  kControlPlaneCsv,     // AKSControlPlane rows from the portal CSV export
  kArcAuditAzJson,      // ArcK8sAudit / ArcK8sAuditAdmin rows (Azure Arc-enabled clusters), az -o json
  kArcAuditRest,
  kArcAuditCsv,
  kArcControlPlaneAzJson,  // ArcK8sControlPlane rows
  kArcControlPlaneRest,
  kArcControlPlaneCsv,
  kLogAnalyticsAzJson,  // rows of a Log Analytics table that holds no audit events or log lines
  kLogAnalyticsRest,
  kLogAnalyticsCsv,
  kLogText,             // plain klog text (kube-apiserver log files, with or without CRI prefix)
  kEksCloudWatchJson,   // EKS: aws logs filter-log-events / get-log-events {"events":[...]}
  kEksFirehose,         // EKS: CloudWatch subscription -> Firehose -> S3 (DATA_MESSAGE logEvents)
  kEksExportTask,       // EKS: CloudWatch export task objects, "<RFC 3339 time> <message>" lines
  kEksInsightsCsv,      // EKS: Logs Insights console export, CSV with @timestamp,@message
  kEksInsightsJson,     // EKS: Logs Insights console export, [{"@timestamp","@message"}]
  kEksQueryResults,     // EKS: aws logs get-query-results {"results":[[{"field","value"}]]}
  kGkeGcloudJson,       // GKE LogEntry records in a `gcloud logging read --format=json` array
  kGkeLogEntryLines,    // GKE LogEntry records one per line (a Cloud Logging sink's objects)
  kKqlResultAzJson,     // kubeblame kql top/timeline result rows from az -o json
  kKqlResultRest,       // the same from a REST tables response
  kKqlResultCsv,        // the same from the portal CSV export
  kUnknown,
  kCount,
};
inline constexpr std::size_t kFormatCount = static_cast<std::size_t>(Format::kCount);
// Per Format, in enum order: its name (part of the JSON contract, input.formats) and whether it
// is a row of a Log Analytics query result (AKSAudit/AKSAuditAdmin, AzureDiagnostics,
// AKSControlPlane in az JSON, REST or portal CSV), the formats a query's row cap applies to.
struct FormatInfo {
  std::string_view name;
  bool table_row = false;
};
inline constexpr std::array<FormatInfo, kFormatCount + 1> kFormatTable = {{
    {"audit-jsonl", false},
    {"audit-json-array", false},
    {"audit-eventlist", false},
    {"aksaudit-az-json", true},
    {"aksaudit-rest", true},
    {"aksaudit-csv", true},
    {"azurediagnostics-az-json", true},
    {"azurediagnostics-rest", true},
    {"azurediagnostics-csv", true},
    {"azure-storage", false},
    {"azure-eventhub", false},
    {"akscontrolplane-az-json", true},
    {"akscontrolplane-rest", true},
    {"akscontrolplane-csv", true},
    {"arck8saudit-az-json", true},
    {"arck8saudit-rest", true},
    {"arck8saudit-csv", true},
    {"arck8scontrolplane-az-json", true},
    {"arck8scontrolplane-rest", true},
    {"arck8scontrolplane-csv", true},
    {"log-analytics-az-json", false},
    {"log-analytics-rest", false},
    {"log-analytics-csv", false},
    {"log-text", false},
    {"eks-cloudwatch-json", false},
    {"eks-firehose", false},
    {"eks-export-task", false},
    {"eks-insights-csv", false},
    {"eks-insights-json", false},
    {"eks-query-results", false},
    {"gke-gcloud-json", false},
    {"gke-logentry-lines", false},
    {"kql-result-az-json", true},
    {"kql-result-rest", true},
    {"kql-result-csv", true},
    {"unknown", false},
    {"unknown", false},  // kCount
}};
inline std::string_view format_name(Format format) { return kFormatTable[static_cast<std::size_t>(format)].name; }
inline bool is_table_row(Format format) { return kFormatTable[static_cast<std::size_t>(format)].table_row; }

// How the records of one input are framed; set by detection, carried with each chunk.
enum class Container : std::uint8_t {
  kLines,       // one record (or one batch) per line
  kJsonArray,   // elements of a top-level JSON array
  kEventList,   // items of an EventList
  kRecords,     // records of an Event Hub batch
  kRestRows,    // rows of a Log Analytics REST table
  kCsvRows,     // rows of a portal CSV export
  kCwlEvents,    // events of aws logs filter-log-events / get-log-events
  kCwlLogEvents, // logEvents of CloudWatch subscription documents (Firehose)
  kQueryRows,    // result rows of aws logs get-query-results
};

// Per-input facts shared by every chunk of that input (immutable once reading starts).
struct InputContext {
  Container container = Container::kLines;
  std::vector<std::string> columns;  // REST and CSV: column names, in order
  std::vector<Column> column_ids;    // the same, resolved once per input
};

struct Record {
  const char* data = nullptr;
  std::size_t size = 0;
  std::size_t padded_size = 0;  // readable bytes from data (>= size + simdjson padding)
  const InputContext* context = nullptr;
};

// Payloads cut to an export path's field-size limit, reported next to the record's skip.
enum class ExportCut : std::uint8_t {
  kLogS,           // AzureDiagnostics log_s at 32,766 bytes (Log Analytics' field limit)
  kPropertiesLog,  // Storage / Event Hub properties.log at 16 KiB
  kCount,
};
inline constexpr std::size_t kExportCutCount = static_cast<std::size_t>(ExportCut::kCount);

// Audit sources that AKS fills with every audit event except get and list (the admin-only table
// and diagnostic category): a top-talker list read from them has no read load.
enum class AdminSource : std::uint8_t {
  kAksAuditAdmin,     // AKSAuditAdmin rows (their Type column)
  kArcK8sAuditAdmin,  // ArcK8sAuditAdmin rows (Azure Arc-enabled clusters; their Type column)
  kKubeAuditAdmin,    // the kube-audit-admin category: AzureDiagnostics, Storage, Event Hub records
  kCount,
};
inline constexpr std::size_t kAdminSourceCount = static_cast<std::size_t>(AdminSource::kCount);

class EventSink {
 public:
  virtual ~EventSink() = default;
  // A note, not a record: the audit event reported next comes from an admin-only source.
  virtual void on_admin_source(AdminSource /*source*/) {}
  // A note, not a record: the audit event in this record's payload was cut at `cut`'s limit and
  // could not be read (the record itself is reported as a skip). Rare, so a virtual with a
  // do-nothing default costs nothing on the hot path.
  virtual void on_export_cut(ExportCut /*cut*/) {}
  virtual void on_event(const model::AuditEvent& event, Format format) = 0;
  virtual void on_skip(SkipReason reason, Format format) = 0;
  // A control-plane log line (klog text, continuation or other text), decoded and counted.
  virtual void on_log_line(const model::LogLine& line, Format format) = 0;
  // A group Log Analytics aggregated (a `kubeblame kql top`/`timeline` result row). A sink that
  // does not count groups reports the row as not an audit event.
  virtual void on_group(const model::WeightedGroup& /*group*/, Format format) {
    on_skip(SkipReason::kNotAudit, format);
  }
};

}  // namespace kubeblame::decode
