// Decoder for EKS audit logs read out of CloudWatch Logs, in every shape they are exported: the
// events of `aws logs filter-log-events` / `get-log-events`, the logEvents of subscription
// documents delivered by Firehose, export-task lines (`<RFC 3339 time> <message>`), Logs
// Insights console exports (CSV and JSON) and `aws logs get-query-results` rows. Each CloudWatch
// log event is one record; its message is the raw audit Event as JSON text, handed to the
// audit event reader (docs/formats.md, "EKS").
#pragma once

#include <simdjson.h>

#include <string_view>
#include <vector>

#include "kubeblame/decode/decoder.h"
#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {

// What CloudWatch appends to a message it cut at its event size limit.
inline constexpr std::string_view kCloudWatchTruncated = "[Truncated...]";
// How a subscription's health check (a CONTROL_MESSAGE document's one event) begins.
inline constexpr std::string_view kCloudWatchControl = "CWL CONTROL MESSAGE";

// An export-task line: `2025-02-25T08:00:00.309Z {...}`. Sets `time` (ns) and `message` (the
// rest after one space) and returns true when the line starts with an RFC 3339 time (with `T`)
// and a space.
bool split_export_line(std::string_view line, model::TimeNs& time, std::string_view& message);

class CloudWatchDecoder : public Decoder {
 public:
  explicit CloudWatchDecoder(ParseContext& context) : context_(context) {}
  bool decode(const Record& record, EventSink& sink) override;

 private:
  // One CloudWatch event's fields, from whichever shape carried them.
  struct LogEvent {
    bool has_message = false;
    std::string_view message;
    model::TimeNs time = 0;
    Format format = Format::kUnknown;  // what its keys say it is, in a line-oriented input
  };
  bool decode_json(const Record& record, Format format, EventSink& sink);
  bool decode_object(simdjson::ondemand::object object, Format format, EventSink& sink);
  simdjson::error_code read_object(simdjson::ondemand::object object, Format format,
                                   LogEvent& event, int& batch, EventSink& sink);
  bool decode_row(simdjson::ondemand::array row, Format format, EventSink& sink);
  void decode_batch(simdjson::ondemand::array elements, Format format, EventSink& sink);
  bool decode_export_line(const Record& record, EventSink& sink);
  bool decode_csv_row(const Record& record, EventSink& sink);
  void decode_message(const LogEvent& event, Format format, EventSink& sink);

  ParseContext& context_;
  model::AuditEvent event_;
  std::vector<std::string_view> cells_;
};

}  // namespace kubeblame::decode
