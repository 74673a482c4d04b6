// Raw audit event decoding. One forward pass over each object, in document order, reading only
// the fields kubeblame reports on; bodies (requestObject) are kept as raw JSON views.
#include "kubeblame/decode/audit_event_decoder.h"

#include <cctype>
#include <string>
#include <string_view>

#include "kubeblame/decode/audit_fields.h"
#include "kubeblame/decode/timestamp.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

error_code read_time(ondemand::value& value, model::TimeNs& out) {
  std::string_view text;
  if (auto error = read_text(value, text)) return error;
  parse_timestamp(text, out);
  return SUCCESS;
}

// Older events: metadata.creationTimestamp stands in for the received time.
error_code read_metadata_time(ondemand::value& value, model::TimeNs& out) {
  ondemand::object object;
  if (value.get_object().get(object) != SUCCESS) return SUCCESS;
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    if (key_of(f) == "creationTimestamp") return read_time(f.value(), out);
  }
  return SUCCESS;
}

// What an Event object's fields tell besides the event's own values; settled once all are read.
struct EventClues {
  bool foreign_kind = false;        // a kind other than "Event"
  bool event_kind = false;          // "kind":"Event"
  bool foreign_api = false;         // an apiVersion outside audit.k8s.io
  model::TimeNs legacy_time = 0;    // `timestamp`, in 2017-2018 events
  model::TimeNs creation_time = 0;  // metadata.creationTimestamp
  bool may_be_truncated = true;     // until the level says the event never carried bodies
};

error_code read_kind(ondemand::value& value, EventClues& clues) {
  std::string_view kind;
  error_code error = read_text(value, kind);
  clues.foreign_kind = kind != "Event";
  clues.event_kind = kind == "Event";
  return error;
}

// A core/v1 or events.k8s.io Event is "kind":"Event" too, but not an audit event.
error_code read_api_version(ondemand::value& value, EventClues& clues) {
  std::string_view api_version;
  error_code error = read_text(value, api_version);
  clues.foreign_api = !api_version.empty() && !api_version.starts_with("audit.k8s.io/");
  return error;
}

// Only Request/RequestResponse events had bodies for the truncating backend to drop; "Metadata"
// and "None" never had any. One byte tells.
bool may_have_bodies(ondemand::value& level_value) {
  std::string_view level = level_value.raw_json_token();
  return level.size() < 2 || level[0] != '"' || level[1] == 'R';
}

error_code read_stage(ondemand::value& value, model::Stage& out) {
  std::string_view stage;
  error_code error = read_text(value, stage);
  out = parse_stage(stage);
  return error;
}

bool is_array(ondemand::value& value) {
  ondemand::json_type type;
  return value.type().get(type) == SUCCESS && type == ondemand::json_type::array;
}

// One field of an Event object. Keys are told apart by length first: this runs for every field
// of every event.
inline error_code read_event_field(std::string_view key, ondemand::value& value,
                                   model::AuditEvent& event, EventShape& shape,
                                   EventClues& clues) {
  switch (key.size()) {
    case 4:
      if (key == "verb") return read_text(value, event.verb);
      if (key == "kind") return read_kind(value, clues);
      if (key == "user") return read_username(value, event.username);
      break;
    case 5:
      if (key == "items") shape.has_items = is_array(value);
      else if (key == "level") clues.may_be_truncated = may_have_bodies(value);
      else if (key == "stage") return read_stage(value, event.stage);
      break;
    case 7:
      if (key == "auditID") return read_text(value, event.audit_id);
      break;
    case 8:
      if (key == "metadata") return read_metadata_time(value, clues.creation_time);
      break;
    case 9:
      if (key == "sourceIPs") return read_last_string(value, event.source_ip);
      if (key == "objectRef") return read_object_ref(value, event);
      if (key == "userAgent") return read_text(value, event.user_agent);
      if (key == "timestamp") return read_time(value, clues.legacy_time);
      break;
    case 10:
      if (key == "requestURI") return read_text(value, event.request_uri);
      if (key == "apiVersion") return read_api_version(value, clues);
      break;
    case 11:
      if (key == "annotations") return read_annotations(value, event, clues.may_be_truncated);
      break;
    case 13:
      if (key == "requestObject") return read_body(value, event.request_object);
      break;
    case 14:
      if (key == "responseStatus") return read_status(value, event);
      if (key == "stageTimestamp") return read_time(value, event.stage_time);
      break;
    case 16:
      if (key == "impersonatedUser") return read_username(value, event.impersonated_user);
      break;
    case 24:
      if (key == "requestReceivedTimestamp") return read_time(value, event.received);
      break;
    default:
      break;
  }
  return SUCCESS;
}

// Once every field is read: the received time's fallbacks, and whether it is an audit event.
void settle_event(const EventClues& clues, model::AuditEvent& event, EventShape& shape) {
  if (event.received == 0) {
    event.received = clues.legacy_time != 0 ? clues.legacy_time : clues.creation_time;
  }
  // An explicit "kind":"Event" is enough; without a kind, a verb or request URI must be there.
  shape.is_event = !clues.foreign_api &&
                   (clues.event_kind || (!clues.foreign_kind && (!event.verb.empty() ||
                                                                 !event.request_uri.empty())));
}

// Walks a text as JSON as far as it goes, to tell a document cut short from a damaged one (see
// is_json_prefix).
class JsonPrefixScanner {
 public:
  explicit JsonPrefixScanner(std::string_view text) : text_(text) {}
  bool is_prefix();

 private:
  enum class Expect { kValue, kValueOrClose, kKeyOrClose, kKey, kColon, kAfterValue };
  // Each step goes on, or knows the answer.
  enum class Step { kNext, kPrefix, kNotPrefix };

  Step step(char c);
  Step value(char c);
  Step key(char c);
  Step after_value(char c);
  Step close_empty();
  Step string_body();
  Step literal(char c);
  static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

  std::string_view text_;
  std::size_t i_ = 0;
  std::string stack_;  // '{' or '[' per open container
  Expect expect_ = Expect::kValue;
};

bool JsonPrefixScanner::is_prefix() {
  // Audit records are objects or arrays: a cut-off bare string or number is not one of them.
  while (i_ < text_.size() && is_space(text_[i_])) ++i_;
  if (i_ == text_.size() || (text_[i_] != '{' && text_[i_] != '[')) return false;
  while (i_ < text_.size()) {
    char c = text_[i_];
    if (is_space(c)) {
      ++i_;
      continue;
    }
    Step result = step(c);
    if (result != Step::kNext) return result == Step::kPrefix;
  }
  // The text ran out: truncated if a value is still open.
  return !stack_.empty() || expect_ != Expect::kAfterValue;
}

// The token at i_ (`c`, not a space), read as what the grammar expects there.
JsonPrefixScanner::Step JsonPrefixScanner::step(char c) {
  switch (expect_) {
    case Expect::kValueOrClose:
      return c == ']' ? close_empty() : value(c);
    case Expect::kValue:
      return value(c);
    case Expect::kKeyOrClose:
      return c == '}' ? close_empty() : key(c);
    case Expect::kKey:
      return key(c);
    case Expect::kColon:
      if (c != ':') return Step::kNotPrefix;
      ++i_;
      expect_ = Expect::kValue;
      return Step::kNext;
    case Expect::kAfterValue:
      return after_value(c);
  }
  return Step::kNotPrefix;
}

// `{}` or `[]`.
JsonPrefixScanner::Step JsonPrefixScanner::close_empty() {
  stack_.pop_back();
  ++i_;
  expect_ = Expect::kAfterValue;
  return Step::kNext;
}

JsonPrefixScanner::Step JsonPrefixScanner::value(char c) {
  ++i_;
  if (c == '{' || c == '[') {
    stack_.push_back(c);
    expect_ = c == '{' ? Expect::kKeyOrClose : Expect::kValueOrClose;
    return Step::kNext;
  }
  expect_ = Expect::kAfterValue;
  if (c == '"') return string_body();
  if (c == '-' || (c >= '0' && c <= '9')) {
    constexpr std::string_view kNumberBytes = "0123456789+-.eE";
    while (i_ < text_.size() && kNumberBytes.find(text_[i_]) != std::string_view::npos) ++i_;
    return Step::kNext;
  }
  return literal(c);
}

JsonPrefixScanner::Step JsonPrefixScanner::key(char c) {
  if (c != '"') return Step::kNotPrefix;
  ++i_;
  Step result = string_body();
  if (result == Step::kNext) expect_ = Expect::kColon;
  return result;
}

// After a value: a comma, or the close of the container it is in.
JsonPrefixScanner::Step JsonPrefixScanner::after_value(char c) {
  if (stack_.empty()) return Step::kNotPrefix;  // a complete document followed by more text
  ++i_;
  if (c == ',') {
    expect_ = stack_.back() == '{' ? Expect::kKey : Expect::kValue;
    return Step::kNext;
  }
  if ((c == '}' && stack_.back() == '{') || (c == ']' && stack_.back() == '[')) {
    stack_.pop_back();
    return Step::kNext;
  }
  return Step::kNotPrefix;
}

// A string body from just after its opening quote: on past the closing quote, a prefix when the
// text ends first; not JSON on a raw control character or a bad escape.
JsonPrefixScanner::Step JsonPrefixScanner::string_body() {
  const std::size_t n = text_.size();
  while (i_ < n) {
    auto c = static_cast<unsigned char>(text_[i_++]);
    if (c == '"') return Step::kNext;
    if (c < 0x20) return Step::kNotPrefix;
    if (c != '\\') continue;
    if (i_ == n) return Step::kPrefix;
    char e = text_[i_++];
    if (e == 'u') {
      for (int k = 0; k < 4 && i_ < n; ++k, ++i_) {
        if (!std::isxdigit(static_cast<unsigned char>(text_[i_]))) return Step::kNotPrefix;
      }
    } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
      return Step::kNotPrefix;
    }
  }
  return Step::kPrefix;
}

// true, false or null (its first byte `c` already read), possibly cut short by the text's end.
JsonPrefixScanner::Step JsonPrefixScanner::literal(char c) {
  for (std::string_view literal : {"true", "false", "null"}) {
    if (c != literal[0]) continue;
    std::size_t k = 1;
    while (k < literal.size() && i_ < text_.size() && text_[i_] == literal[k]) ++i_, ++k;
    return k < literal.size() && i_ < text_.size() ? Step::kNotPrefix : Step::kNext;
  }
  return Step::kNotPrefix;
}

// True when `text` is the beginning of a JSON object or array that ends mid-value: a record cut by an
// export limit or a crash. Anything else that failed to parse (binary garbage, text with a stray
// quote, a complete document followed by junk) is malformed, not truncated. Only called for
// records simdjson already rejected, so its cost never reaches the hot path.
bool is_json_prefix(std::string_view text) { return JsonPrefixScanner(text).is_prefix(); }

// Passes everything through, except that a record that failed to parse is truncated exactly
// when it is a JSON prefix, and malformed_json otherwise: simdjson's error depends on where the
// damage happens to fall (a record cut right after a nested `}` is a TAPE_ERROR, binary garbage
// with an odd number of quotes an UNCLOSED_STRING).
class TruncationCheck : public EventSink {
 public:
  TruncationCheck(EventSink& sink, std::string_view text) : sink_(sink), text_(text) {}
  void on_event(const model::AuditEvent& event, Format format) override { sink_.on_event(event, format); }
  void on_log_line(const model::LogLine& line, Format format) override { sink_.on_log_line(line, format); }
  void on_skip(SkipReason reason, Format format) override {
    if (reason == SkipReason::kTruncated || reason == SkipReason::kMalformedJson) {
      if (!checked_) {
        prefix_ = is_json_prefix(text_);
        checked_ = true;
      }
      reason = prefix_ ? SkipReason::kTruncated : SkipReason::kMalformedJson;
    }
    sink_.on_skip(reason, format);
  }

 private:
  EventSink& sink_;
  std::string_view text_;
  bool checked_ = false;
  bool prefix_ = false;
};

}  // namespace

error_code read_audit_event(ondemand::object& object, model::AuditEvent& event, EventShape& shape) {
  event = model::AuditEvent{};
  EventClues clues;
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    if (auto error = read_event_field(key_of(f), f.value(), event, shape, clues)) return error;
  }
  settle_event(clues, event, shape);
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

bool AuditEventDecoder::decode(const Record& record, EventSink& out) {
  TruncationCheck sink(out, {record.data, record.size});
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
  // Parsed again rather than rewound: rewinding is undefined once simdjson has abandoned the
  // document after an error that read_audit_event tolerated.
  ondemand::array items;
  auto list = context_.parse(record);
  if (auto error = list.find_field_unordered("items").get_array().get(items)) {
    sink.on_skip(skip_reason_for(error), Format::kAuditEventList);
    return true;
  }
  decode_elements(items, Format::kAuditEventList, sink);
  return true;
}

}  // namespace kubeblame::decode
