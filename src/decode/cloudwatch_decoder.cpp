// CloudWatch Logs exports of EKS audit logs. The shape of a record comes from its input's
// container (set by detection and the JSON framer); in a line-oriented input, from the record
// itself: an export-task line, or a JSON object whose keys say what it is. Every CloudWatch log
// event is reported once: an audit event, or a skip (control_message, truncated, not_audit,
// malformed_json).
#include "kubeblame/decode/cloudwatch_decoder.h"

#include <limits>

#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/csv.h"
#include "kubeblame/decode/timestamp.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

constexpr std::int64_t kNanosPerMilli = 1'000'000;

// CloudWatch's `timestamp`: milliseconds since the epoch (in nanoseconds up to the year 2262).
bool parse_epoch_ms(std::string_view text, model::TimeNs& out) {
  constexpr std::int64_t kMaxMs = std::numeric_limits<model::TimeNs>::max() / kNanosPerMilli;
  if (text.empty() || text.size() > 13) return false;
  std::int64_t ms = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    ms = ms * 10 + (c - '0');
  }
  if (ms > kMaxMs) return false;
  out = ms * kNanosPerMilli;
  return true;
}

// The format of a record, from its container; kUnknown for a line-oriented input, where the
// record's own keys decide.
Format format_of(Container container) {
  switch (container) {
    case Container::kCwlEvents: return Format::kEksCloudWatchJson;
    case Container::kCwlLogEvents: return Format::kEksFirehose;
    case Container::kQueryRows: return Format::kEksQueryResults;
    case Container::kJsonArray: return Format::kEksInsightsJson;
    case Container::kCsvRows: return Format::kEksInsightsCsv;
    default: return Format::kUnknown;
  }
}

// The format a key of a log event object points to (kUnknown: none in particular).
Format format_of_key(std::string_view key) {
  if (key == "@message" || key == "@timestamp") return Format::kEksInsightsJson;
  if (key == "field" || key == "value") return Format::kEksQueryResults;
  if (key == "logStreamName" || key == "eventId" || key == "ingestionTime") {
    return Format::kEksCloudWatchJson;
  }
  if (key == "id") return Format::kEksFirehose;
  return Format::kUnknown;
}

// The format a log event is counted under: its container's, else what its keys said, else
// the filter-log-events shape.
Format shown_format(Format container_format, Format key_format) {
  if (container_format != Format::kUnknown) return container_format;
  return key_format != Format::kUnknown ? key_format : Format::kEksCloudWatchJson;
}

// The log events of a batch key met in a whole document.
Format batch_format(std::string_view key) {
  if (key == "logEvents") return Format::kEksFirehose;
  if (key == "events") return Format::kEksCloudWatchJson;
  return Format::kEksQueryResults;  // results
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool split_export_line(std::string_view line, model::TimeNs& time, std::string_view& message) {
  std::size_t space = line.find(' ');
  if (space == std::string_view::npos || space < 20 || space > 40) return false;
  std::string_view stamp = line.substr(0, space);
  if (stamp[10] != 'T' || !parse_timestamp(stamp, time)) return false;
  message = line.substr(space + 1);
  return true;
}

void CloudWatchDecoder::decode_message(const LogEvent& event, Format format, EventSink& sink) {
  std::string_view message = trim(event.message);
  if (starts_with(message, kCloudWatchControl)) {
    sink.on_skip(SkipReason::kControlMessage, format);
    return;
  }
  if (ends_with(message, kCloudWatchTruncated)) {
    sink.on_skip(SkipReason::kTruncated, format);  // cut by CloudWatch: never half-decoded
    return;
  }
  if (message.empty() || message.front() != '{') {
    sink.on_skip(SkipReason::kNotAudit, format);
    return;
  }
  ondemand::document inner;
  ondemand::object object;
  EventShape shape;
  error_code error = context_.parse_inner(message).get(inner);
  if (!error) error = inner.get_object().get(object);
  if (!error) error = read_audit_event(object, event_, shape);
  if (error) {
    sink.on_skip(skip_reason_for(error), format);
    return;
  }
  if (!shape.is_event) {
    sink.on_skip(SkipReason::kNotAudit, format);
    return;
  }
  if (event_.received == 0 && event_.stage_time == 0) event_.received = event.time;
  sink.on_event(event_, format);
}

// One get-query-results row: an array of cells. False when it holds no @message.
bool CloudWatchDecoder::decode_row(ondemand::array row, Format format, EventSink& sink) {
  LogEvent event;
  int batch = 0;
  for (auto element : row) {
    ondemand::object cell;
    error_code error = element.get_object().get(cell);
    if (error == simdjson::INCORRECT_TYPE) continue;
    if (!error) error = read_object(cell, format, event, batch, sink);
    if (error) {
      sink.on_skip(skip_reason_for(error), format);
      return true;
    }
  }
  if (!event.has_message) return batch > 0;  // a batch in a cell was reported on its own
  decode_message(event, format, sink);
  return true;
}

void CloudWatchDecoder::decode_batch(ondemand::array elements, Format format, EventSink& sink) {
  std::size_t count = 0;
  for (auto element : elements) {
    ++count;
    ondemand::value value;
    if (auto error = std::move(element).get(value)) {
      sink.on_skip(skip_reason_for(error), format);
      return;
    }
    ondemand::json_type type;
    if (auto error = value.type().get(type)) {
      sink.on_skip(skip_reason_for(error), format);
      return;
    }
    bool decoded = false;
    if (type == ondemand::json_type::object) {
      decoded = decode_object(value.get_object().value_unsafe(), format, sink);
    } else if (type == ondemand::json_type::array) {
      decoded = decode_row(value.get_array().value_unsafe(), format, sink);
    }
    if (!decoded) sink.on_skip(SkipReason::kNotAudit, format);
  }
  if (count == 0) sink.on_skip(SkipReason::kEmptyBatch, format);
}

// The fields of an object: a log event's (message, timestamp), a get-query-results cell's
// ({"field":"@message","value":"..."}), or a whole document's batch (logEvents, events,
// results), decoded as it is met; `batch` counts them.
error_code CloudWatchDecoder::read_object(ondemand::object object, Format format, LogEvent& event,
                                          int& batch, EventSink& sink) {
  std::string_view field;
  std::string_view value;
  for (auto member : object) {
    if (auto error = member.error()) return error;
    ondemand::field& f = member.value_unsafe();
    std::string_view key = key_of(f);
    if (event.format == Format::kUnknown) event.format = format_of_key(key);
    std::string_view text;
    if (key == "message" || key == "@message") {
      if (auto error = read_text(f.value(), event.message)) return error;
      event.has_message = true;
    } else if (key == "timestamp" || key == "@timestamp") {
      if (auto error = read_text(f.value(), text)) return error;
      if (!parse_epoch_ms(text, event.time)) parse_timestamp(text, event.time);
    } else if (key == "field") {
      if (auto error = read_text(f.value(), field)) return error;
    } else if (key == "value") {
      if (auto error = read_text(f.value(), value)) return error;
    } else if (key == "logEvents" || key == "events" || key == "results") {
      ondemand::array elements;
      if (f.value().get_array().get(elements) != SUCCESS) continue;
      ++batch;
      decode_batch(elements, format == Format::kUnknown ? batch_format(key) : format, sink);
    }
  }
  if (field == "@message") {
    event.has_message = true;
    event.message = value;
  } else if (field == "@timestamp") {
    parse_timestamp(value, event.time);
  }
  return SUCCESS;
}

// An object: a log event, a cell, or (in a line-oriented input) a whole document holding a
// batch. False, having reported nothing, when it is none of these.
bool CloudWatchDecoder::decode_object(ondemand::object object, Format format, EventSink& sink) {
  LogEvent event;
  int batch = 0;
  if (auto error = read_object(object, format, event, batch, sink)) {
    sink.on_skip(skip_reason_for(error), shown_format(format, event.format));
    return true;
  }
  if (batch > 0) return true;
  if (!event.has_message) return false;
  decode_message(event, shown_format(format, event.format), sink);
  return true;
}

bool CloudWatchDecoder::decode_json(const Record& record, Format format, EventSink& sink) {
  Format shown = format != Format::kUnknown ? format : Format::kEksCloudWatchJson;
  auto doc = context_.parse(record);
  ondemand::json_type type;
  if (auto error = doc.type().get(type)) {
    sink.on_skip(skip_reason_for(error), shown);
    return true;
  }
  if (type == ondemand::json_type::array) {
    ondemand::array array;
    if (auto error = doc.get_array().get(array)) {
      sink.on_skip(skip_reason_for(error), shown);
      return true;
    }
    if (format == Format::kEksQueryResults) return decode_row(array, format, sink);
    // An Insights JSON export on one line.
    decode_batch(array, format != Format::kUnknown ? format : Format::kEksInsightsJson, sink);
    return true;
  }
  if (type != ondemand::json_type::object) return false;
  ondemand::object object;
  if (auto error = doc.get_object().get(object)) {
    sink.on_skip(skip_reason_for(error), shown);
    return true;
  }
  return decode_object(object, format, sink);
}

bool CloudWatchDecoder::decode_export_line(const Record& record, EventSink& sink) {
  LogEvent event;
  if (!split_export_line({record.data, record.size}, event.time, event.message)) return false;
  event.has_message = true;
  decode_message(event, Format::kEksExportTask, sink);
  return true;
}

// A Logs Insights CSV row: the @message cell (and @timestamp) by the header's column names.
bool CloudWatchDecoder::decode_csv_row(const Record& record, EventSink& sink) {
  if (!split_csv_record({record.data, record.size}, cells_, context_.arena())) {
    sink.on_skip(SkipReason::kMalformedJson, Format::kEksInsightsCsv);
    return true;
  }
  LogEvent event;
  const std::vector<std::string>& columns = record.context->columns;
  for (std::size_t i = 0; i < cells_.size() && i < columns.size(); ++i) {
    if (columns[i] == "@message") {
      event.has_message = true;
      event.message = cells_[i];
    } else if (columns[i] == "@timestamp") {
      parse_timestamp(cells_[i], event.time);
    }
  }
  if (!event.has_message) {
    sink.on_skip(SkipReason::kMalformedJson, Format::kEksInsightsCsv);  // fewer cells than header
    return true;
  }
  decode_message(event, Format::kEksInsightsCsv, sink);
  return true;
}

bool CloudWatchDecoder::decode(const Record& record, EventSink& sink) {
  context_.arena().reset();
  Container container = record.context != nullptr ? record.context->container : Container::kLines;
  if (container == Container::kCsvRows) return decode_csv_row(record, sink);
  std::string_view text = trim({record.data, record.size});
  if (container == Container::kLines && !text.empty() && text.front() != '{' &&
      text.front() != '[') {
    return decode_export_line(record, sink);
  }
  return decode_json(record, format_of(container), sink);
}

}  // namespace kubeblame::decode
