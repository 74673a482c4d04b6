// Raw audit event decoding. One forward pass over each object, in document order, reading only
// the fields kubeblame reports on; bodies (requestObject) are kept as raw JSON views.
#include "kubeblame/decode/audit_event_decoder.h"

#include "kubeblame/decode/audit_fields.h"
#include "kubeblame/decode/timestamp.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

error_code read_time(ondemand::value value, model::TimeNs& out) {
  std::string_view text;
  if (auto error = read_text(value, text)) return error;
  parse_timestamp(text, out);
  return SUCCESS;
}

// Older events: metadata.creationTimestamp stands in for the received time.
error_code read_metadata_time(ondemand::value value, model::TimeNs& out) {
  ondemand::object object;
  if (value.get_object().get(object) != SUCCESS) return SUCCESS;
  for (auto field : object) {
    ondemand::field f;
    if (auto error = std::move(field).get(f)) return error;
    if (key_of(f) == "creationTimestamp") return read_time(f.value(), out);
  }
  return SUCCESS;
}

}  // namespace

error_code read_audit_event(ondemand::object& object, model::AuditEvent& event, EventShape& shape) {
  event = model::AuditEvent{};
  bool foreign_kind = false;
  bool event_kind = false;
  model::TimeNs legacy_time = 0;
  model::TimeNs creation_time = 0;
  for (auto field : object) {
    ondemand::field f;
    if (auto error = std::move(field).get(f)) return error;
    std::string_view key = key_of(f);
    error_code error = SUCCESS;
    switch (key.size()) {
      case 4:
        if (key == "verb") error = read_text(f.value(), event.verb);
        else if (key == "kind") {
          std::string_view kind;
          error = read_text(f.value(), kind);
          foreign_kind = kind != "Event";
          event_kind = kind == "Event";
        } else if (key == "user") error = read_username(f.value(), event.username);
        break;
      case 5:
        if (key == "items") {
          ondemand::json_type type;
          shape.has_items = f.value().type().get(type) == SUCCESS && type == ondemand::json_type::array;
          break;
        }
        if (key == "stage") {
          std::string_view stage;
          error = read_text(f.value(), stage);
          event.stage = parse_stage(stage);
        }
        break;
      case 7:
        if (key == "auditID") error = read_text(f.value(), event.audit_id);
        break;
        break;
      case 8:
        if (key == "metadata") error = read_metadata_time(f.value(), creation_time);
        break;
      case 9:
        if (key == "sourceIPs") error = read_last_string(f.value(), event.source_ip);
        else if (key == "objectRef") error = read_object_ref(f.value(), event);
        else if (key == "userAgent") error = read_text(f.value(), event.user_agent);
        else if (key == "timestamp") error = read_time(f.value(), legacy_time);
        break;
      case 10:
        if (key == "requestURI") error = read_text(f.value(), event.request_uri);
        break;
      case 13:
        if (key == "requestObject") error = read_body(f.value(), event.request_object);
        break;
      case 14:
        if (key == "responseStatus") error = read_status(f.value(), event);
        else if (key == "stageTimestamp") error = read_time(f.value(), event.stage_time);
        break;
      case 16:
        if (key == "impersonatedUser") error = read_username(f.value(), event.impersonated_user);
        break;
      case 24:
        if (key == "requestReceivedTimestamp") error = read_time(f.value(), event.received);
        break;
      default:
        break;
    }
    if (error) return error;
  }
  if (event.received == 0) event.received = legacy_time != 0 ? legacy_time : creation_time;
  // An explicit "kind":"Event" is enough; without a kind, a verb or request URI must be there.
  shape.is_event = event_kind || (!foreign_kind && (!event.verb.empty() || !event.request_uri.empty()));
  return SUCCESS;
}

bool AuditEventDecoder::decode_object(ondemand::object object, Format format, EventSink& sink) {
  EventShape shape;
  if (auto error = read_audit_event(object, event_, shape)) {
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  if (!shape.is_event) return false;
  sink.on_event(event_, format);
  return true;
}

void AuditEventDecoder::decode_elements(ondemand::array array, Format format, EventSink& sink) {
  std::size_t count = 0;
  for (auto element : array) {
    ondemand::value value;
    ++count;
    if (auto error = std::move(element).get(value)) {
      sink.on_skip(skip_reason_for(error), format);
      return;
    }
    ondemand::object object;
    if (value.get_object().get(object) != SUCCESS) {
      sink.on_skip(SkipReason::kNotAudit, format);
      continue;
    }
    if (!decode_object(object, format, sink)) sink.on_skip(SkipReason::kNotAudit, format);
  }
  if (count == 0) sink.on_skip(SkipReason::kEmptyBatch, format);
}

bool AuditEventDecoder::decode(const Record& record, EventSink& sink) {
  Format format = Format::kAuditJsonLines;
  if (record.context && record.context->container == Container::kJsonArray) {
    format = Format::kAuditJsonArray;
  } else if (record.context && record.context->container == Container::kEventList) {
    format = Format::kAuditEventList;
  }
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
    decode_elements(array, Format::kAuditJsonArray, sink);
    return true;
  }
  if (type != ondemand::json_type::object) return false;
  ondemand::object object;
  if (auto error = doc.get_object().get(object)) {  // e.g. an unbalanced (truncated) object
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  EventShape shape;
  if (auto error = read_audit_event(object, event_, shape)) {
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  if (shape.is_event) {
    sink.on_event(event_, format);
    return true;
  }
  if (!shape.has_items) return false;
  // An EventList on one line: its items are the records. Lists are rare and large, so a
  // second walk from the start costs little.
  ondemand::array items;
  doc.rewind();
  if (auto error = doc.find_field_unordered("items").get_array().get(items)) {
    sink.on_skip(skip_reason_for(error), Format::kAuditEventList);
    return true;
  }
  decode_elements(items, Format::kAuditEventList, sink);
  return true;
}

}  // namespace kubeblame::decode
