// The format tables. Decoder rows are in DecoderKind order; keys are matched by detect_record()
// in the order they appear in a record, and no key belongs to two decoders.
#include "kubeblame/decode/format_table.h"

#include <array>
#include <cstdlib>

#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/azure_record_decoder.h"
#include "kubeblame/decode/cloudwatch_decoder.h"
#include "kubeblame/decode/gke_entry_decoder.h"
#include "kubeblame/decode/la_row_decoder.h"
#include "kubeblame/decode/log_text_decoder.h"

namespace kubeblame::decode {

namespace {

constexpr std::string_view kAuditKeys[] = {"auditID",   "requestURI", "verb", "stage", "objectRef",
                                           "requestReceivedTimestamp", "items"};
constexpr std::string_view kRowKeys[] = {"AuditId",   "Verb",  "RequestUri", "TimeGenerated",
                                         "TableName", "log_s", "Category",   "tables",
                                         "kubeblame"};
constexpr std::string_view kRecordKeys[] = {"category", "operationName", "properties", "records"};
constexpr std::string_view kCloudWatchKeys[] = {
    "events",     "logEvents", "messageType",   "logStreamName", "ingestionTime", "eventId",
    "results",    "@message",  "@timestamp",    "@logStream",    "@log",          "logGroup",
    "nextToken",  "nextForwardToken",           "searchedLogStreams"};
constexpr std::string_view kGkeKeys[] = {"protoPayload", "insertId", "logName", "receiveTimestamp"};

template <class T>
std::unique_ptr<Decoder> make_with_context(ParseContext& context) {
  return std::make_unique<T>(context);
}

std::unique_ptr<Decoder> make_log_text(ParseContext&) { return std::make_unique<LogTextDecoder>(); }

const DecoderRow kDecoders[] = {
    {DecoderKind::kAuditEvent, "audit-event", kAuditKeys, make_with_context<AuditEventDecoder>},
    {DecoderKind::kLaRow, "log-analytics-row", kRowKeys, make_with_context<LaRowDecoder>},
    {DecoderKind::kAzureRecord, "azure-record", kRecordKeys, make_with_context<AzureRecordDecoder>},
    {DecoderKind::kLogText, "log-text", {}, make_log_text},
    {DecoderKind::kCloudWatch, "cloudwatch", kCloudWatchKeys, make_with_context<CloudWatchDecoder>},
    {DecoderKind::kGkeEntry, "gke-entry", kGkeKeys, make_with_context<GkeEntryDecoder>},
};
static_assert(std::size(kDecoders) == kDecoderCount, "one row per decoder, in DecoderKind order");

constexpr HintRow kHints[] = {
    {FormatHint::kAuto, "auto", DecoderKind::kUnknown},
    {FormatHint::kAuditJson, "audit", DecoderKind::kAuditEvent},
    {FormatHint::kLogAnalyticsJson, "log-analytics", DecoderKind::kLaRow},
    {FormatHint::kLogAnalyticsCsv, "log-analytics-csv", DecoderKind::kLaRow},
    {FormatHint::kAzureRecords, "azure-records", DecoderKind::kAzureRecord},
    {FormatHint::kLogText, "log-text", DecoderKind::kLogText},
    {FormatHint::kEks, "eks", DecoderKind::kCloudWatch},
    {FormatHint::kGke, "gke", DecoderKind::kGkeEntry},
};

}  // namespace

std::span<const DecoderRow> decoder_table() { return kDecoders; }

std::string_view decoder_kind_name(DecoderKind kind) {
  auto index = static_cast<std::size_t>(kind);
  return index < kDecoderCount ? kDecoders[index].name : "unknown";
}

std::span<const HintRow> hint_table() { return kHints; }

std::optional<FormatHint> parse_format_hint(std::string_view name) {
  for (const HintRow& row : kHints) {
    if (row.name == name) return row.hint;
  }
  return std::nullopt;
}

const HintRow& hint_row(FormatHint hint) {
  for (const HintRow& row : kHints) {
    if (row.hint == hint) return row;
  }
  std::abort();  // every FormatHint has a row
}

std::string format_hint_names() {
  std::string out;
  for (const HintRow& row : kHints) out += (out.empty() ? "" : ", ") + std::string(row.name);
  return out;
}

}  // namespace kubeblame::decode
