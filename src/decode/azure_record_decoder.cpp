// Azure diagnostic records. Field order varies between writers, so properties.log is kept when
// it is met and decoded once the whole record (its category and time) has been read: audit
// categories hold an audit event, the others a component's log line.
#include "kubeblame/decode/azure_record_decoder.h"

#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/audit_fields.h"
#include "kubeblame/decode/klog.h"
#include "kubeblame/decode/timestamp.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

enum class LogState { kMissing, kEvent, kNotAudit };

// Diagnostic settings deliver properties.log cut at 16 KiB (Azure/AKS#4635): an audit event of
// exactly that size (a trailing newline aside) that does not parse was cut there.
constexpr std::size_t kPropertiesLogLimit = 16384;

bool at_properties_log_limit(std::string_view log) {
  if (!log.empty() && log.back() == '\n') log.remove_suffix(1);
  return log.size() == kPropertiesLogLimit;
}

}  // namespace

// What a record's fields say, gathered in one pass over them.
struct AzureRecordDecoder::RecordFields {
  bool shaped = false;  // a category, operationName, resourceId or properties object
  std::string_view category;
  model::TimeNs time = 0;
  LogState state = LogState::kMissing;  // properties.log as an object is read into event_ at once
  bool has_log_text = false;
  std::string_view log_text;  // properties.log as text; decided on once the category is known
};

bool AzureRecordDecoder::decode_record(ondemand::object object, Format format, EventSink& sink) {
  RecordFields record;
  if (auto error = read_record_fields(object, record)) {
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  if (!record.shaped) return false;
  if (record.has_log_text) {
    if (!record.category.empty() && !is_audit_category(record.category)) {
      emit_log_line(record, format, sink);
      return true;
    }
    if (auto error = decode_log_text(record)) {
      if (at_properties_log_limit(record.log_text)) sink.on_export_cut(ExportCut::kPropertiesLog);
      sink.on_skip(skip_reason_for(error), format);
      return true;
    }
  }
  if (record.state != LogState::kEvent) {
    sink.on_skip(SkipReason::kNotAudit, format);
    return true;
  }
  if (event_.received == 0) event_.received = record.time;
  if (auto admin = admin_source_of_category(record.category)) sink.on_admin_source(*admin);
  sink.on_event(event_, format);
  return true;
}

error_code AzureRecordDecoder::read_record_fields(ondemand::object object, RecordFields& record) {
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    std::string_view key = key_of(f);
    if (key == "category") {
      record.shaped = true;
      if (auto error = read_text(f.value(), record.category)) return error;
    } else if (key == "operationName" || key == "resourceId") {
      record.shaped = true;
    } else if (key == "time") {
      std::string_view text;
      if (auto error = read_text(f.value(), text)) return error;
      parse_timestamp(text, record.time);
    } else if (key == "properties") {
      ondemand::object properties;
      if (f.value().get_object().get(properties) != SUCCESS) continue;
      record.shaped = true;
      if (auto error = read_properties(properties, record)) return error;
    }
  }
  return SUCCESS;
}

// properties.log: an audit event as an object is read now; text is kept for decode_log_text.
error_code AzureRecordDecoder::read_properties(ondemand::object properties, RecordFields& record) {
  for (auto property : properties) {
    ondemand::field p;
    if (auto error = std::move(property).get(p)) return error;
    if (key_of(p) != "log") continue;
    ondemand::value log = p.value();
    ondemand::json_type type;
    if (auto error = log.type().get(type)) return error;
    if (type != ondemand::json_type::object) {
      // The text stays valid in the parser's string buffer until the next record.
      if (auto error = read_text(log, record.log_text)) return error;
      record.has_log_text = true;
      continue;
    }
    ondemand::object event_object;
    EventShape shape;
    if (auto error = log.get_object().get(event_object)) return error;
    if (auto error = read_audit_event(event_object, event_, shape)) return error;
    record.state = shape.is_event ? LogState::kEvent : LogState::kNotAudit;
    record.has_log_text = false;
  }
  return SUCCESS;
}

// properties.log as text under an audit category (or none): an audit event's JSON, or not audit.
error_code AzureRecordDecoder::decode_log_text(RecordFields& record) {
  std::string_view text = trim(record.log_text);
  if (text.empty() || text.front() != '{') {
    record.state = LogState::kNotAudit;  // log text under an audit category (or none)
    return SUCCESS;
  }
  ondemand::document inner;
  ondemand::object event_object;
  EventShape shape;
  error_code error = context_.parse_inner(text).get(inner);
  if (!error) error = inner.get_object().get(event_object);
  if (!error) error = read_audit_event(event_object, event_, shape);
  if (!error) record.state = shape.is_event ? LogState::kEvent : LogState::kNotAudit;
  return error;
}

// kube-apiserver, kube-controller-manager, ...: properties.log is the component's log text.
void AzureRecordDecoder::emit_log_line(const RecordFields& record, Format format,
                                       EventSink& sink) {
  line_.component = record.category;
  parse_log_text(record.log_text, record.time, line_);
  sink.on_log_line(line_, format);
}

void AzureRecordDecoder::decode_batch(ondemand::array records, EventSink& sink) {
  std::size_t count = 0;
  for (auto element : records) {
    ++count;
    ondemand::object object;
    if (auto error = element.get_object().get(object)) {
      sink.on_skip(error == simdjson::INCORRECT_TYPE ? SkipReason::kNotAudit
                                                     : skip_reason_for(error),
                   Format::kAzureEventHub);
      if (error != simdjson::INCORRECT_TYPE) return;
      continue;
    }
    if (!decode_record(object, Format::kAzureEventHub, sink)) {
      sink.on_skip(SkipReason::kNotAudit, Format::kAzureEventHub);
    }
  }
  if (count == 0) sink.on_skip(SkipReason::kEmptyBatch, Format::kAzureEventHub);
}

bool AzureRecordDecoder::decode(const Record& record, EventSink& sink) {
  Format format = record.context && record.context->container == Container::kRecords
                      ? Format::kAzureEventHub
                      : Format::kAzureStorage;
  auto doc = context_.parse(record);
  ondemand::json_type type;
  if (auto error = doc.type().get(type)) {
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  if (type == ondemand::json_type::array) {
    ondemand::array array;
    if (auto error = doc.get_array().get(array)) {
      sink.on_skip(skip_reason_for(error), format);
      return true;
    }
    decode_batch(array, sink);
    return true;
  }
  if (type != ondemand::json_type::object) return false;
  ondemand::object object;
  if (auto error = doc.get_object().get(object)) {  // e.g. an unbalanced (truncated) object
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  // An Event Hub batch on one line: {"records":[...]}.
  bool is_batch = false;
  for (auto field : object) {
    ondemand::field& f = field.value_unsafe();
    if (auto error = field.error()) {
      // simdjson abandons the document after such an error: it cannot be rewound.
      sink.on_skip(skip_reason_for(error), format);
      return true;
    }
    is_batch = key_of(f) == "records";
    break;
  }
  doc.rewind();
  if (doc.get_object().get(object) != SUCCESS) return false;
  if (is_batch) {
    ondemand::array records;
    if (auto error = object.find_field_unordered("records").get_array().get(records)) {
      sink.on_skip(skip_reason_for(error), Format::kAzureEventHub);
      return true;
    }
    decode_batch(records, sink);
    return true;
  }
  return decode_record(object, format, sink);
}

}  // namespace kubeblame::decode
