// Log Analytics rows. Every front end (az JSON object, REST array, CSV cells) first collects the
// raw text of each known column; one builder then turns the texts into an event. Dynamic columns
// (User, ObjectRef, ResponseStatus, SourceIps) are JSON text and are parsed with the inner
// parser; the strings read from them are copied to the arena because the next inner parse
// reuses the parser's buffer. `"None"` (Python's null) and "" mean absent.
#include "kubeblame/decode/la_row_decoder.h"

#include "kubeblame/decode/audit_event_decoder.h"
#include "kubeblame/decode/audit_fields.h"
#include "kubeblame/decode/csv.h"
#include "kubeblame/decode/klog.h"
#include "kubeblame/decode/kql_result.h"
#include "kubeblame/decode/timestamp.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

std::size_t idx(Column c) { return static_cast<std::size_t>(c); }

bool absent(std::string_view text) { return text.empty() || text == "None" || text == "null"; }

// A diagnostic category whose payload is a component's log text rather than audit events.
bool is_log_category(std::string_view category) {
  return !absent(category) && !is_audit_category(category);
}

// The format a row is counted under: its table family (Azure Arc-enabled clusters write the AKS
// columns to ArcK8s* tables, told apart by the Type column) and the shape it came in.
Format format_for(LaRowDecoder::RowKind kind, bool arc, int shape) {
  static constexpr Format kAudit[] = {Format::kAksAuditAzJson, Format::kAksAuditRest,
                                      Format::kAksAuditCsv};
  static constexpr Format kArcAudit[] = {Format::kArcAuditAzJson, Format::kArcAuditRest,
                                         Format::kArcAuditCsv};
  static constexpr Format kDiag[] = {Format::kDiagnosticsAzJson, Format::kDiagnosticsRest,
                                     Format::kDiagnosticsCsv};
  static constexpr Format kControlPlane[] = {Format::kControlPlaneAzJson, Format::kControlPlaneRest,
                                             Format::kControlPlaneCsv};
  static constexpr Format kArcControlPlane[] = {
      Format::kArcControlPlaneAzJson, Format::kArcControlPlaneRest, Format::kArcControlPlaneCsv};
  static constexpr Format kOther[] = {Format::kLogAnalyticsAzJson, Format::kLogAnalyticsRest,
                                      Format::kLogAnalyticsCsv};
  switch (kind) {
    case LaRowDecoder::RowKind::kDiagnostics: return kDiag[shape];
    case LaRowDecoder::RowKind::kControlPlane: return arc ? kArcControlPlane[shape] : kControlPlane[shape];
    case LaRowDecoder::RowKind::kOther: return kOther[shape];
    default: return arc ? kArcAudit[shape] : kAudit[shape];
  }
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

// AKSControlPlane's Level column (documented Fatal/Error/Warning/Info; casing unconfirmed).
model::LogLevel level_from_column(std::string_view text) {
  for (std::string_view name : {"info", "information", "informational", "i"}) {
    if (equals_ignore_case(text, name)) return model::LogLevel::kInfo;
  }
  for (std::string_view name : {"warning", "warn", "w"}) {
    if (equals_ignore_case(text, name)) return model::LogLevel::kWarning;
  }
  for (std::string_view name : {"error", "err", "e"}) {
    if (equals_ignore_case(text, name)) return model::LogLevel::kError;
  }
  for (std::string_view name : {"fatal", "critical", "f"}) {
    if (equals_ignore_case(text, name)) return model::LogLevel::kFatal;
  }
  return model::LogLevel::kUnknown;
}
// Log Analytics trims a string field to 32,766 bytes ("The following fields' values log of type
// AzureDiagnostics have been trimmed to the max allowed size, 32766 bytes", Azure/AKS#3316): an
// audit event in log_s of exactly that size is cut, and its JSON does not parse.
constexpr std::size_t kLogSLimit = 32766;

constexpr int kShapeJson = 0;
constexpr int kShapeRest = 1;
constexpr int kShapeCsv = 2;

// Reads a cell of any JSON type as text: strings unescaped, objects/arrays as raw JSON.
error_code read_cell(ondemand::value& value, std::string_view& out) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == ondemand::json_type::object || type == ondemand::json_type::array) {
    return read_body(value, out);
  }
  return read_text(value, out);
}

constexpr std::string_view kBodyTooBig = "skipped-too-big-size-object";

// A RequestObject cell when the command reads no bodies: only AKS's too-big marker is kept, and
// the JSON text (often the largest cell of a row, with an escape every few bytes) is never
// unescaped.
std::string_view body_marker(ondemand::value& value) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  bool marker = token.size() == kBodyTooBig.size() + 2 && token.front() == '"' &&
                token.substr(1, kBodyTooBig.size()) == kBodyTooBig;
  return marker ? kBodyTooBig : std::string_view{};
}

}  // namespace

Column column_for(std::string_view name) {
  if (name.size() > 6 && name.substr(name.size() - 6) == " [UTC]") name.remove_suffix(6);
  // By length first: called for every key of every az -o json row (a linear scan of the names
  // was 3% of decoding such exports).
  switch (name.size()) {
    case 4:
      if (name == "Verb") return Column::kVerb;
      if (name == "User") return Column::kUser;
      if (name == "Type") return Column::kType;
      break;
    case 5:
      if (name == "Stage") return Column::kStage;
      if (name == "log_s") return Column::kLog;
      if (name == "Level") return Column::kLevel;
      break;
    case 7:
      if (name == "AuditId") return Column::kAuditId;
      if (name == "Message") return Column::kMessage;
      break;
    case 8:
      if (name == "Category") return Column::kCategory;
      break;
    case 9:
      if (name == "UserAgent") return Column::kUserAgent;
      if (name == "ObjectRef") return Column::kObjectRef;
      if (name == "SourceIps") return Column::kSourceIps;
      if (name == "kubeblame") return Column::kKubeblame;
      break;
    case 10:
      if (name == "RequestUri") return Column::kRequestUri;
      break;
    case 11:
      if (name == "Annotations") return Column::kAnnotations;
      break;
    case 13:
      if (name == "TimeGenerated") return Column::kTimeGenerated;
      if (name == "RequestObject") return Column::kRequestObject;
      break;
    case 14:
      if (name == "ResponseStatus") return Column::kResponseStatus;
      break;
    case 16:
      if (name == "ImpersonatedUser") return Column::kImpersonatedUser;
      break;
    case 17:
      if (name == "StageReceivedTime") return Column::kStageReceivedTime;
      break;
    case 19:
      if (name == "RequestReceivedTime") return Column::kRequestReceivedTime;
      break;
    default:
      break;
  }
  return Column::kIgnored;
}

std::vector<Column> columns_for(const std::vector<std::string>& names) {
  std::vector<Column> columns;
  columns.reserve(names.size());
  for (const std::string& name : names) columns.push_back(column_for(name));
  return columns;
}

bool LaRowDecoder::is_arc_row() const {
  constexpr std::string_view kArcPrefix = "arck8s";
  std::string_view type = column_text(Column::kType);
  return type.size() > kArcPrefix.size() && equals_ignore_case(type.substr(0, kArcPrefix.size()), kArcPrefix);
}

LaRowDecoder::RowKind LaRowDecoder::row_kind() const {
  if (!values_[idx(Column::kVerb)].empty() || !values_[idx(Column::kAuditId)].empty() ||
      !values_[idx(Column::kRequestUri)].empty()) {
    return RowKind::kAudit;
  }
  if (!values_[idx(Column::kLog)].empty()) return RowKind::kDiagnostics;
  if (has(Column::kMessage) && has(Column::kCategory)) return RowKind::kControlPlane;
  return RowKind::kOther;
}

std::string_view LaRowDecoder::column_text(Column column) const {
  std::string_view value = values_[idx(column)];
  return absent(value) ? std::string_view{} : value;
}

void LaRowDecoder::emit_log_line(std::string_view text, model::TimeNs reference,
                                 std::string_view component, Format format, EventSink& sink) {
  line_.component = component;
  parse_log_text(text, reference, line_);
  if (line_.level == model::LogLevel::kUnknown) {
    std::string_view level = values_[idx(Column::kLevel)];
    if (!absent(level)) line_.level = level_from_column(level);
  }
  sink.on_log_line(line_, format);
}

bool LaRowDecoder::emit_row(RowKind kind, Format format, EventSink& sink) {
  model::TimeNs generated = 0;
  std::string_view time = values_[idx(Column::kTimeGenerated)];
  if (!absent(time)) parse_timestamp(time, generated);
  switch (kind) {
    case RowKind::kControlPlane:
      emit_control_plane_row(generated, format, sink);
      return true;
    case RowKind::kDiagnostics:
      emit_diagnostics_row(generated, format, sink);
      return true;
    case RowKind::kAudit:
      emit_audit_row(generated, format, sink);
      return true;
    case RowKind::kOther:  // a row of another table (Perf, Heartbeat, ...): named, not decoded
      if (present_ == 0) return false;
      sink.on_skip(SkipReason::kNotAudit, format);
      return true;
  }
  return false;
}

// AKSControlPlane: a component's log line.
void LaRowDecoder::emit_control_plane_row(model::TimeNs generated, Format format, EventSink& sink) {
  emit_log_line(column_text(Column::kMessage), generated, column_text(Column::kCategory), format,
                sink);
}

// AzureDiagnostics: log_s holds a component's log line, or an audit event as JSON text.
void LaRowDecoder::emit_diagnostics_row(model::TimeNs generated, Format format, EventSink& sink) {
  std::string_view category = values_[idx(Column::kCategory)];
  if (is_log_category(category)) {  // kube-apiserver, kube-controller-manager, ...
    emit_log_line(values_[idx(Column::kLog)], generated, category, format, sink);
    return;
  }
  std::string_view log = trim(values_[idx(Column::kLog)]);
  if (log.empty() || log.front() != '{') {
    sink.on_skip(SkipReason::kNotAudit, format);  // log text under an audit category
    return;
  }
  ondemand::document doc;
  ondemand::object object;
  EventShape shape;
  error_code error = context_.parse_inner(log).get(doc);
  if (!error) error = doc.get_object().get(object);
  if (!error) error = read_audit_event(object, event_, shape);
  if (error) {
    if (values_[idx(Column::kLog)].size() == kLogSLimit) sink.on_export_cut(ExportCut::kLogS);
    sink.on_skip(skip_reason_for(error), format);
  } else if (!shape.is_event) {
    sink.on_skip(SkipReason::kNotAudit, format);
  } else {
    if (event_.received == 0) event_.received = generated;
    if (auto admin = admin_source_of_category(category)) sink.on_admin_source(*admin);
    sink.on_event(event_, format);
  }
}

// AKSAudit / AKSAuditAdmin: an audit event in columns.
void LaRowDecoder::emit_audit_row(model::TimeNs generated, Format format, EventSink& sink) {
  read_text_columns(generated);
  if (error_code error = read_dynamic_columns()) {
    sink.on_skip(skip_reason_for(error), format);
    return;
  }
  if (auto admin = admin_source_of_table(column_text(Column::kType))) sink.on_admin_source(*admin);
  sink.on_event(event_, format);
}

// The audit columns that hold plain text: views into the row, kept as they are.
void LaRowDecoder::read_text_columns(model::TimeNs generated) {
  event_ = model::AuditEvent{};
  event_.audit_id = column_text(Column::kAuditId);
  event_.verb = column_text(Column::kVerb);
  event_.request_uri = column_text(Column::kRequestUri);
  event_.user_agent = column_text(Column::kUserAgent);
  event_.stage = parse_stage(column_text(Column::kStage));
  parse_timestamp(column_text(Column::kRequestReceivedTime), event_.received);
  parse_timestamp(column_text(Column::kStageReceivedTime), event_.stage_time);
  if (event_.received == 0) event_.received = generated;
  std::string_view body = column_text(Column::kRequestObject);
  if (body == kBodyTooBig) {
    event_.request_object_too_big = true;
  } else {
    event_.request_object = body;
  }
  event_.truncated_annotation = has_truncated_annotation(column_text(Column::kAnnotations));
}

// Parses column `column` as JSON and hands its root value to `read`; an absent or blank column
// reads nothing.
template <typename Read>
error_code LaRowDecoder::parse_dynamic(Column column, Read&& read) {
  std::string_view json = trim(column_text(column));
  if (json.empty()) return SUCCESS;
  ondemand::document doc;
  ondemand::value root;
  if (auto error = context_.parse_inner(json).get(doc)) return error;
  if (auto error = doc.get_value().get(root)) return error;
  return read(root);
}

// The dynamic audit columns: JSON text parsed one at a time, the strings read from each copied to
// the arena before the next parse reuses the parser's buffer. Stops at the first error.
error_code LaRowDecoder::read_dynamic_columns() {
  StringArena& arena = context_.arena();
  error_code error = parse_dynamic(Column::kUser, [&](ondemand::value v) {
    error_code e = read_username(v, event_.username);
    event_.username = arena.keep(event_.username);
    return e;
  });
  if (error) return error;
  error = parse_dynamic(Column::kImpersonatedUser, [&](ondemand::value v) {
    error_code e = read_username(v, event_.impersonated_user);
    event_.impersonated_user = arena.keep(event_.impersonated_user);
    return e;
  });
  if (error) return error;
  error = parse_dynamic(Column::kObjectRef, [&](ondemand::value v) {
    error_code e = read_object_ref(v, event_);
    model::ObjectRef& ref = event_.object_ref;
    for (std::string_view* s : {&ref.resource, &ref.subresource, &ref.api_group,
                                &ref.api_version, &ref.namespace_name, &ref.name}) {
      *s = arena.keep(*s);
    }
    return e;
  });
  if (error) return error;
  error = parse_dynamic(Column::kResponseStatus, [&](ondemand::value v) {
    error_code e = read_status(v, event_);
    event_.reason = arena.keep(event_.reason);
    event_.message = arena.keep(event_.message);
    return e;
  });
  if (error) return error;
  error = parse_dynamic(Column::kSourceIps, [&](ondemand::value v) {
    error_code e = read_last_string(v, event_.source_ip);
    event_.source_ip = arena.keep(event_.source_ip);
    return e;
  });
  if (error) return error;
  read_annotation_column();
  return SUCCESS;
}

// The latency breakdown and webhooks from the Annotations column, parsed only when its text
// names one. A damaged column costs the row those, never the row itself: before they were read,
// the column was only ever searched as text.
void LaRowDecoder::read_annotation_column() {
  if (!may_have_anatomy(column_text(Column::kAnnotations))) return;
  model::AuditEvent read;
  error_code error = parse_dynamic(
      Column::kAnnotations, [&](ondemand::value v) { return read_annotations(v, read, false); });
  if (error) return;
  StringArena& arena = context_.arena();
  event_.latency = read.latency;
  event_.webhooks = read.webhooks;
  for (std::uint8_t i = 0; i < event_.webhooks.count; ++i) {
    model::WebhookCall& call = event_.webhooks.calls[i];
    call.configuration = arena.keep(call.configuration);
    call.name = arena.keep(call.name);
  }
}

bool LaRowDecoder::decode_object_row(ondemand::object object, bool rest, EventSink& sink) {
  values_.fill({});
  present_ = 0;
  for (auto field : object) {
    ondemand::field& f = field.value_unsafe();
    if (auto error = field.error()) {
      sink.on_skip(skip_reason_for(error), Format::kAksAuditAzJson);
      return true;
    }
    Column column = column_for(key_of(f));
    if (column == Column::kIgnored) continue;
    std::string_view cell;
    if (column == Column::kRequestObject && !context_.reads_bodies()) {
      set(column, body_marker(f.value()));
      continue;
    }
    if (auto error = read_cell(f.value(), cell)) {
      sink.on_skip(skip_reason_for(error), Format::kAksAuditAzJson);
      return true;
    }
    set(column, cell);
  }
  if (has(Column::kKubeblame)) {
    return decode_result_object(object, rest ? Format::kKqlResultRest : Format::kKqlResultAzJson, sink);
  }
  RowKind kind = row_kind();
  return emit_row(kind, format_for(kind, is_arc_row(), rest ? kShapeRest : kShapeJson), sink);
}

void LaRowDecoder::emit_result(Format format, EventSink& sink) {
  switch (parse_result_row(result_names_, result_cells_, context_, group_)) {
    case ResultRow::kOk: sink.on_group(group_, format); return;
    case ResultRow::kUnknownVersion: sink.on_skip(SkipReason::kResultVersion, format); return;
    case ResultRow::kBad: sink.on_skip(SkipReason::kBadResultRow, format); return;
  }
}

bool LaRowDecoder::decode_result_object(ondemand::object object, Format format, EventSink& sink) {
  result_names_.clear();
  result_cells_.clear();
  if (object.reset().error()) {
    sink.on_skip(SkipReason::kBadResultRow, format);
    return true;
  }
  for (auto field : object) {
    std::string_view cell;
    if (field.error() || read_cell(field.value_unsafe().value(), cell)) {
      sink.on_skip(SkipReason::kBadResultRow, format);
      return true;
    }
    result_names_.push_back(key_of(field.value_unsafe()));
    result_cells_.push_back(cell);
  }
  emit_result(format, sink);
  return true;
}

void LaRowDecoder::decode_result_array(ondemand::array row, const std::vector<std::string>& names,
                                       EventSink& sink) {
  result_names_.assign(names.begin(), names.end());
  result_cells_.clear();
  if (row.reset().error()) {
    sink.on_skip(SkipReason::kBadResultRow, Format::kKqlResultRest);
    return;
  }
  for (auto element : row) {
    std::string_view cell;
    if (element.error() || read_cell(element.value_unsafe(), cell)) {
      sink.on_skip(SkipReason::kBadResultRow, Format::kKqlResultRest);
      return;
    }
    result_cells_.push_back(cell);
  }
  emit_result(Format::kKqlResultRest, sink);
}

void LaRowDecoder::decode_array_row(ondemand::array row, const std::vector<Column>& columns,
                                    const std::vector<std::string>& names, EventSink& sink) {
  values_.fill({});
  present_ = 0;
  std::size_t i = 0;
  for (auto element : row) {
    error_code error = element.error();
    ondemand::value& value = element.value_unsafe();
    Column column = i < columns.size() ? columns[i] : Column::kIgnored;
    ++i;
    std::string_view cell;
    if (!error && column == Column::kRequestObject && !context_.reads_bodies()) {
      cell = body_marker(value);
    } else if (!error && column != Column::kIgnored) {
      error = read_cell(value, cell);
    }
    if (!error && column != Column::kIgnored) set(column, cell);
    if (error) {
      sink.on_skip(skip_reason_for(error), Format::kAksAuditRest);
      return;
    }
  }
  if (has(Column::kKubeblame)) {
    decode_result_array(row, names, sink);
    return;
  }
  RowKind kind = row_kind();
  if (!emit_row(kind, format_for(kind, is_arc_row(), kShapeRest), sink)) {
    sink.on_skip(SkipReason::kNotAudit, Format::kLogAnalyticsRest);
  }
}

// A whole REST response on one line: {"tables":[{"name","columns":[...],"rows":[[...]]}]}.
void LaRowDecoder::decode_rest_document(ondemand::object document, EventSink& sink) {
  ondemand::array tables;
  if (auto error = document.find_field_unordered("tables").get_array().get(tables)) {
    sink.on_skip(skip_reason_for(error), Format::kAksAuditRest);
    return;
  }
  std::size_t rows_seen = 0;
  for (auto table_result : tables) {
    ondemand::object table;
    if (auto error = table_result.get_object().get(table)) {
      sink.on_skip(skip_reason_for(error), Format::kAksAuditRest);
      return;
    }
    rest_columns_.clear();
    rest_names_.clear();
    for (auto field : table) {
      ondemand::field& f = field.value_unsafe();
      if (auto error = field.error()) {
        sink.on_skip(skip_reason_for(error), Format::kAksAuditRest);
        return;
      }
      std::string_view key = key_of(f);
      if (key == "columns") {
        ondemand::array columns;
        if (f.value().get_array().get(columns) != SUCCESS) continue;
        for (auto column : columns) {
          std::string_view name;
          ondemand::object column_object;
          if (column.get_object().get(column_object) == SUCCESS) {
            if (column_object.find_field_unordered("name").get_string().get(name) != SUCCESS) {
              name = {};
            }
          }
          rest_columns_.push_back(column_for(name));
          rest_names_.emplace_back(name);
        }
      } else if (key == "rows") {
        ondemand::array rows;
        if (f.value().get_array().get(rows) != SUCCESS) continue;
        for (auto row_result : rows) {
          ++rows_seen;
          ondemand::array row;
          if (auto error = row_result.get_array().get(row)) {
            sink.on_skip(error == simdjson::INCORRECT_TYPE ? SkipReason::kNotAudit
                                                           : skip_reason_for(error),
                         Format::kAksAuditRest);
            if (error != simdjson::INCORRECT_TYPE) return;
            continue;
          }
          decode_array_row(row, rest_columns_, rest_names_, sink);
        }
      }
    }
  }
  if (rows_seen == 0) sink.on_skip(SkipReason::kEmptyBatch, Format::kAksAuditRest);
}

bool LaRowDecoder::decode_json(const Record& record, EventSink& sink) {
  auto doc = context_.parse(record);
  ondemand::json_type type;
  if (auto error = doc.type().get(type)) {
    sink.on_skip(skip_reason_for(error), Format::kAksAuditAzJson);
    return true;
  }
  if (type == ondemand::json_type::array) {
    ondemand::array array;
    if (auto error = doc.get_array().get(array)) {
      sink.on_skip(skip_reason_for(error), Format::kAksAuditAzJson);
      return true;
    }
    decode_json_array(array, record.context, sink);
    return true;
  }
  if (type != ondemand::json_type::object) return false;
  ondemand::object object;
  if (auto error = doc.get_object().get(object)) {  // e.g. an unbalanced (truncated) object
    sink.on_skip(skip_reason_for(error), Format::kAksAuditAzJson);
    return true;
  }
  // A REST response on one line starts with its "tables" key.
  bool is_rest = false;
  for (auto field : object) {
    ondemand::field& f = field.value_unsafe();
    if (auto error = field.error()) {
      // simdjson abandons the document after such an error: it cannot be rewound (found by
      // fuzz_record: rewinding dereferenced a null parser).
      sink.on_skip(skip_reason_for(error), Format::kAksAuditAzJson);
      return true;
    }
    is_rest = key_of(f) == "tables";
    break;
  }
  doc.rewind();
  if (doc.get_object().get(object) != SUCCESS) return false;
  if (is_rest) {
    decode_rest_document(object, sink);
    return true;
  }
  return decode_object_row(object, false, sink);
}

// An array on one line: a REST row (framed out of a `tables` response), or row objects.
void LaRowDecoder::decode_json_array(ondemand::array array, const InputContext* context,
                                     EventSink& sink) {
  if (context && context->container == Container::kRestRows) {
    decode_array_row(array, context->column_ids, context->columns, sink);
    return;
  }
  std::size_t count = 0;
  for (auto element : array) {
    ++count;
    ondemand::object object;
    if (auto error = element.get_object().get(object)) {
      sink.on_skip(error == simdjson::INCORRECT_TYPE ? SkipReason::kNotAudit
                                                     : skip_reason_for(error),
                   Format::kAksAuditAzJson);
      if (error != simdjson::INCORRECT_TYPE) return;
      continue;
    }
    if (!decode_object_row(object, false, sink)) {
      sink.on_skip(SkipReason::kNotAudit, Format::kAksAuditAzJson);
    }
  }
  if (count == 0) sink.on_skip(SkipReason::kEmptyBatch, Format::kAksAuditAzJson);
}

bool LaRowDecoder::decode_csv(const Record& record, EventSink& sink) {
  const InputContext* ctx = record.context;
  std::string_view line(record.data, record.size);
  if (!split_csv_cells(line, cells_)) {
    sink.on_skip(SkipReason::kMalformedJson, Format::kAksAuditCsv);
    return true;
  }
  values_.fill({});
  present_ = 0;
  const std::vector<Column>& columns = ctx->column_ids;
  // Only the cells a column reads are unescaped; a body is not even that unless the command
  // reads bodies (AKS's too-big marker has no quotes, so the raw cell shows it).
  for (std::size_t i = 0; i < cells_.size() && i < columns.size(); ++i) {
    if (columns[i] == Column::kIgnored) continue;
    if (columns[i] == Column::kRequestObject && !context_.reads_bodies()) {
      set(columns[i], cells_[i].raw == kBodyTooBig ? kBodyTooBig : std::string_view{});
      continue;
    }
    set(columns[i], csv_cell_text(cells_[i], context_.arena()));
  }
  if (has(Column::kKubeblame)) {
    result_names_.assign(ctx->columns.begin(), ctx->columns.end());
    result_cells_.clear();
    for (const CsvCell& cell : cells_) result_cells_.push_back(csv_cell_text(cell, context_.arena()));
    emit_result(Format::kKqlResultCsv, sink);
    return true;
  }
  RowKind kind = row_kind();
  if (!emit_row(kind, format_for(kind, is_arc_row(), kShapeCsv), sink)) {
    sink.on_skip(SkipReason::kNotAudit, Format::kLogAnalyticsCsv);
  }
  return true;
}

bool LaRowDecoder::decode(const Record& record, EventSink& sink) {
  context_.arena().reset();
  if (record.context && record.context->container == Container::kCsvRows) {
    return decode_csv(record, sink);
  }
  return decode_json(record, sink);
}

}  // namespace kubeblame::decode
