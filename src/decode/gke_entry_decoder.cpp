// GKE Cloud Audit Logs. A LogEntry is read in one pass over its fields (the gcloud array sorts
// keys, sinks keep Cloud Logging's order, so nothing may depend on order) and settled into an
// audit event once whole: the operation tells the stage, the gRPC status the HTTP code, the
// resourceName the object. Cloud Audit Logs keep one timestamp per entry, so the event carries
// no stage time and therefore no latency.
#include "kubeblame/decode/gke_entry_decoder.h"

#include "kubeblame/decode/audit_fields.h"
#include "kubeblame/decode/timestamp.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

// The gRPC codes kube-apiserver's HTTP answers are logged as (google.rpc.Code), back to HTTP.
struct GrpcRow {
  std::int64_t grpc;
  HttpStatus http;
};
constexpr GrpcRow kGrpcCodes[] = {
    {0, {200, ""}},
    {3, {400, "BadRequest"}},           // INVALID_ARGUMENT
    {4, {504, "Timeout"}},              // DEADLINE_EXCEEDED
    {5, {404, "NotFound"}},             // NOT_FOUND
    {6, {409, "AlreadyExists"}},        // ALREADY_EXISTS
    {7, {403, "Forbidden"}},            // PERMISSION_DENIED
    {8, {429, "TooManyRequests"}},      // RESOURCE_EXHAUSTED
    {10, {409, "Conflict"}},            // ABORTED
    {12, {501, "NotImplemented"}},      // UNIMPLEMENTED
    {13, {500, "InternalError"}},       // INTERNAL
    {14, {503, "ServiceUnavailable"}},  // UNAVAILABLE
    {16, {401, "Unauthorized"}},        // UNAUTHENTICATED
};

// Subresources kube-apiserver answers with 101 Switching Protocols: a session, not a request.
bool is_upgrade_subresource(std::string_view subresource) {
  return subresource == "exec" || subresource == "attach" || subresource == "portforward";
}

// `v1`, `v2beta1`, `v1alpha3`.
bool is_api_version(std::string_view segment) {
  if (segment.size() < 2 || segment[0] != 'v' || segment[1] < '0' || segment[1] > '9') return false;
  std::size_t i = 1;
  while (i < segment.size() && segment[i] >= '0' && segment[i] <= '9') ++i;
  std::string_view rest = segment.substr(i);
  if (rest.empty()) return true;
  for (std::string_view stage : {"alpha", "beta"}) {
    if (rest.starts_with(stage) && rest.size() > stage.size()) {
      std::string_view number = rest.substr(stage.size());
      return number.find_first_not_of("0123456789") == std::string_view::npos;
    }
  }
  return false;
}

// Splits `text` at '/' into at most `max` segments; false when there are more, or an empty one.
template <std::size_t N>
bool split_path(std::string_view text, std::string_view (&parts)[N], std::size_t& count) {
  count = 0;
  while (true) {
    std::size_t slash = text.find('/');
    std::string_view part = text.substr(0, slash);
    if (part.empty() || count == N) return false;
    parts[count++] = part;
    if (slash == std::string_view::npos) return true;
    text.remove_prefix(slash + 1);
  }
}

// The segments of a methodName (`io.k8s.apps.v1.deployments.scale.patch`), up to 16.
std::size_t split_method(std::string_view method, std::string_view (&parts)[16]) {
  std::size_t count = 0;
  while (count < 16) {
    std::size_t dot = method.find('.');
    parts[count++] = method.substr(0, dot);
    if (dot == std::string_view::npos) break;
    method.remove_prefix(dot + 1);
  }
  return count;
}

// Groups kube-apiserver serves without a domain: the methodName prefix is io.k8s.<group>.
bool is_legacy_group(std::string_view group) {
  return group == "apps" || group == "batch" || group == "autoscaling" || group == "policy" ||
         group == "extensions";
}

// The API group a methodName's prefix (before the version) names, reversed back:
// io.k8s.core -> "", io.k8s.apps -> apps, io.k8s.authorization.rbac -> rbac.authorization.k8s.io,
// io.dapr -> dapr.io.
void group_of_prefix(const std::string_view* prefix, std::size_t count, std::string& group) {
  group.clear();
  bool k8s = count >= 2 && prefix[0] == "io" && prefix[1] == "k8s";
  std::size_t start = k8s ? 2 : 0;
  if (k8s && count == 3 && (prefix[2] == "core" || is_legacy_group(prefix[2]))) {
    if (prefix[2] != "core") group.assign(prefix[2]);
    return;
  }
  for (std::size_t i = count; i > start; --i) {
    if (!group.empty()) group += '.';
    group += prefix[i - 1];
  }
  if (k8s) group += group.empty() ? "k8s.io" : ".k8s.io";
}

}  // namespace

HttpStatus http_status_for_grpc(std::int64_t grpc_code) {
  for (const GrpcRow& row : kGrpcCodes) {
    if (row.grpc == grpc_code) return row.http;
  }
  return {500, "InternalError"};
}

std::string_view verb_of_method(std::string_view method_name) {
  std::size_t dot = method_name.rfind('.');
  return dot == std::string_view::npos ? method_name : method_name.substr(dot + 1);
}

bool parse_resource_name(std::string_view resource_name, model::ObjectRef& ref) {
  ref = model::ObjectRef{};
  std::string_view parts[8];
  std::size_t count = 0;
  if (!split_path(resource_name, parts, count) || count < 3) return false;
  std::size_t at = 2;
  std::string_view ns;
  // namespaces/<ns>/<resource>...; namespaces/<ns>/status and /finalize are the namespace's own
  // subresources (kube-apiserver's RequestInfo makes the same exception).
  if (parts[2] == "namespaces" && count >= 5 && parts[4] != "status" && parts[4] != "finalize") {
    ns = parts[3];
    at = 4;
  }
  if (count - at > 3) return false;
  ref.api_group = parts[0] == "core" ? std::string_view{} : parts[0];
  ref.api_version = parts[1];
  ref.namespace_name = ns;
  ref.resource = parts[at];
  if (count - at > 1) ref.name = parts[at + 1];
  if (count - at > 2) ref.subresource = parts[at + 2];
  return true;
}

bool parse_method_resource(std::string_view method_name, model::ObjectRef& ref,
                           std::string& group) {
  ref = model::ObjectRef{};
  std::string_view parts[16];
  std::size_t count = split_method(method_name, parts);
  std::size_t version = 0;
  while (version < count && !is_api_version(parts[version])) ++version;
  // <prefix>.<version>.<resource>[.<subresource>].<verb>
  if (version == 0 || version + 2 >= count || count - version > 4) return false;
  group_of_prefix(parts, version, group);
  ref.api_group = group;
  ref.api_version = parts[version];
  ref.resource = parts[version + 1];
  if (count - version == 4) ref.subresource = parts[version + 2];
  return !ref.resource.empty();
}

// What a LogEntry's fields say, gathered in one pass.
struct GkeEntryDecoder::EntryFields {
  bool shaped = false;       // protoPayload, insertId or logName: a LogEntry
  bool has_payload = false;  // an AuditLog protoPayload (not textPayload, jsonPayload)
  std::string_view service;
  std::string_view method;
  std::string_view resource_name;
  std::string_view insert_id;
  std::string_view operation_id;
  bool has_operation = false;
  bool first = false;
  bool last = false;
  bool has_status_code = false;
  std::string_view status_code;
  model::TimeNs timestamp = 0;
  model::TimeNs receive_timestamp = 0;
};

namespace {

error_code read_time(ondemand::value& value, model::TimeNs& out) {
  std::string_view text;
  if (auto error = read_text(value, text)) return error;
  parse_timestamp(text, out);
  return SUCCESS;
}

error_code read_flag(ondemand::value& value, bool& out) {
  std::string_view text;
  error_code error = read_text(value, text);
  out = text == "true";
  return error;
}

// Calls `on_field(key, value)` for each field of `value` when it is an object; ignores others.
template <class OnField>
error_code for_each_field(ondemand::value& value, OnField&& on_field) {
  ondemand::object object;
  if (value.get_object().get(object) != SUCCESS) return SUCCESS;
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    if (auto error = on_field(key_of(f), f.value())) return error;
  }
  return SUCCESS;
}

}  // namespace

// protoPayload: the AuditLog. Fields the event takes as they are go straight into event_.
error_code GkeEntryDecoder::read_payload(ondemand::value& value, EntryFields& entry) {
  model::AuditEvent& event = event_;
  return for_each_field(value, [&](std::string_view key, ondemand::value v) -> error_code {
    if (key == "serviceName") return read_text(v, entry.service);
    if (key == "methodName") return read_text(v, entry.method);
    if (key == "resourceName") return read_text(v, entry.resource_name);
    if (key == "request") return read_body(v, event.request_object);
    if (key == "authenticationInfo") {
      return for_each_field(v, [&](std::string_view k, ondemand::value a) -> error_code {
        return k == "principalEmail" ? read_text(a, event.username) : SUCCESS;
      });
    }
    if (key == "requestMetadata") {
      return for_each_field(v, [&](std::string_view k, ondemand::value m) -> error_code {
        if (k == "callerIp" || k == "callerIP") return read_text(m, event.source_ip);
        if (k == "callerSuppliedUserAgent") return read_text(m, event.user_agent);
        return SUCCESS;
      });
    }
    if (key == "status") {
      return for_each_field(v, [&](std::string_view k, ondemand::value s) -> error_code {
        if (k == "message") return read_text(s, event.message);
        if (k != "code") return SUCCESS;
        entry.has_status_code = true;
        return read_text(s, entry.status_code);
      });
    }
    return SUCCESS;
  });
}

error_code GkeEntryDecoder::read_entry(ondemand::object object, EntryFields& entry) {
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    std::string_view key = key_of(f);
    ondemand::value value = f.value();
    error_code error = SUCCESS;
    if (key == "protoPayload") {
      entry.shaped = entry.has_payload = true;
      error = read_payload(value, entry);
    } else if (key == "insertId") {
      entry.shaped = true;
      error = read_text(value, entry.insert_id);
    } else if (key == "logName") {
      entry.shaped = true;
    } else if (key == "timestamp") {
      error = read_time(value, entry.timestamp);
    } else if (key == "receiveTimestamp") {
      error = read_time(value, entry.receive_timestamp);
    } else if (key == "labels") {
      error = read_annotations(value, event_, true);
    } else if (key == "operation") {
      entry.has_operation = true;
      error = for_each_field(value, [&](std::string_view k, ondemand::value o) -> error_code {
        if (k == "id") return read_text(o, entry.operation_id);
        if (k == "first") return read_flag(o, entry.first);
        if (k == "last") return read_flag(o, entry.last);
        return SUCCESS;
      });
    }
    if (error) return error;
  }
  return SUCCESS;
}

// The event from a whole entry: object, code, stage, identity and time.
void GkeEntryDecoder::settle(const EntryFields& entry) {
  model::AuditEvent& event = event_;
  event.verb = verb_of_method(entry.method);
  if (entry.resource_name.starts_with('/')) {
    event.request_uri = entry.resource_name;  // a non-resource URL (/readyz, /version)
  } else if (parse_resource_name(entry.resource_name, event.object_ref) ||
             parse_method_resource(entry.method, event.object_ref, method_group_)) {
    event.has_object_ref = true;
  }
  std::int64_t grpc = 0;
  if (entry.has_status_code && !entry.status_code.empty()) {
    grpc = parse_code(entry.status_code);
    if (grpc == 0 && entry.status_code != "0") grpc = -1;  // not a code: unknown
  }
  HttpStatus status = http_status_for_grpc(grpc);
  event.code = status.code;
  event.reason = status.reason;
  bool opens = entry.has_operation && entry.first && !entry.last;
  bool closes = entry.has_operation && entry.last && !entry.first;
  if (event.code == 200 && is_upgrade_subresource(event.object_ref.subresource)) {
    // Counted once when the session starts, as kube-apiserver's own log counts it (code 101).
    event.code = 101;
    event.stage = closes ? model::Stage::kResponseComplete : model::Stage::kResponseStarted;
  } else if (event.code == 401) {
    // Failed authentication: kube-apiserver logs it once, at ResponseStarted (the same stage
    // keeps a raw copy of the event and this entry one request).
    event.stage = model::Stage::kResponseStarted;
  } else {
    event.stage = opens ? model::Stage::kRequestReceived : model::Stage::kResponseComplete;
  }
  event.audit_id = entry.operation_id.empty() ? entry.insert_id : entry.operation_id;
  event.received = entry.timestamp != 0 ? entry.timestamp : entry.receive_timestamp;
}

bool GkeEntryDecoder::decode_entry(ondemand::object object, Format format, EventSink& sink) {
  event_ = model::AuditEvent{};
  EntryFields entry;
  if (auto error = read_entry(object, entry)) {
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  if (!entry.shaped) return false;
  bool k8s =
      entry.service == "k8s.io" || (entry.service.empty() && entry.method.starts_with("io.k8s."));
  if (!entry.has_payload || !k8s) {
    sink.on_skip(SkipReason::kNotAudit, format);
    return true;
  }
  settle(entry);
  sink.on_event(event_, format);
  return true;
}

void GkeEntryDecoder::decode_elements(ondemand::array array, EventSink& sink) {
  std::size_t count = 0;
  for (auto element : array) {
    ++count;
    ondemand::value value;
    if (auto error = std::move(element).get(value)) {
      sink.on_skip(skip_reason_for(error), Format::kGkeGcloudJson);
      return;
    }
    ondemand::object object;
    if (value.get_object().get(object) != SUCCESS ||
        !decode_entry(object, Format::kGkeGcloudJson, sink)) {
      sink.on_skip(SkipReason::kNotAudit, Format::kGkeGcloudJson);
    }
  }
  if (count == 0) sink.on_skip(SkipReason::kEmptyBatch, Format::kGkeGcloudJson);
}

bool GkeEntryDecoder::decode(const Record& record, EventSink& sink) {
  Format format = record.context && record.context->container == Container::kJsonArray
                      ? Format::kGkeGcloudJson
                      : Format::kGkeLogEntryLines;
  auto doc = context_.parse(record);
  ondemand::json_type type;
  if (auto error = doc.type().get(type)) {
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  if (type == ondemand::json_type::array) {  // a gcloud array compacted onto one line
    ondemand::array array;
    if (auto error = doc.get_array().get(array)) {
      sink.on_skip(skip_reason_for(error), format);
      return true;
    }
    decode_elements(array, sink);
    return true;
  }
  if (type != ondemand::json_type::object) return false;
  ondemand::object object;
  if (auto error = doc.get_object().get(object)) {
    sink.on_skip(skip_reason_for(error), format);
    return true;
  }
  return decode_entry(object, format, sink);
}

}  // namespace kubeblame::decode
