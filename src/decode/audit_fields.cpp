// Readers for the nested pieces of an audit event, lenient about types: a number where a string
// belongs is read as its text, an object where a string belongs is ignored.
#include "kubeblame/decode/audit_fields.h"

#include <cstring>

#include "kubeblame/decode/go_duration.h"

#include "kubeblame/decode/parse_context.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;


model::Stage parse_stage(std::string_view text) {
  if (text == "ResponseComplete") return model::Stage::kResponseComplete;
  if (text == "ResponseStarted") return model::Stage::kResponseStarted;
  if (text == "RequestReceived") return model::Stage::kRequestReceived;
  if (text == "Panic") return model::Stage::kPanic;
  if (text.empty()) return model::Stage::kAbsent;
  return model::Stage::kUnknown;
}

namespace {
// `text` equals the lower-case `name`, ignoring ASCII case.
bool same_lower(std::string_view text, std::string_view name) {
  if (text.size() != name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[i]) return false;
  }
  return true;
}
}  // namespace

bool is_audit_category(std::string_view category) {
  return same_lower(category, "kube-audit") || same_lower(category, "kube-audit-admin");
}

std::optional<AdminSource> admin_source_of_category(std::string_view category) {
  if (same_lower(category, "kube-audit-admin")) return AdminSource::kKubeAuditAdmin;
  return std::nullopt;
}

std::optional<AdminSource> admin_source_of_table(std::string_view type) {
  if (same_lower(type, "aksauditadmin")) return AdminSource::kAksAuditAdmin;
  if (same_lower(type, "arck8sauditadmin")) return AdminSource::kArcK8sAuditAdmin;
  return std::nullopt;
}

int parse_code(std::string_view text) {
  int code = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || code > 100000) return 0;
    code = code * 10 + (c - '0');
  }
  return code;
}

error_code read_username(ondemand::value& value, std::string_view& out) {
  ondemand::object object;
  if (value.get_object().get(object) != SUCCESS) return SUCCESS;  // not an object: ignore
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    if (key_of(f) == "username") {
      if (auto error = read_text(f.value(), out)) return error;
    }
  }
  return SUCCESS;
}

error_code read_last_string(ondemand::value& value, std::string_view& out) {
  ondemand::array array;
  if (value.get_array().get(array) != SUCCESS) return read_text(value, out);
  for (auto element : array) {
    if (auto error = element.error()) return error;
    ondemand::value& v = element.value_unsafe();
    std::string_view text;
    if (auto error = read_text(v, text)) return error;
    if (!text.empty()) out = text;
  }
  return SUCCESS;
}

error_code read_object_ref(ondemand::value& value, model::AuditEvent& event) {
  ondemand::object object;
  if (value.get_object().get(object) != SUCCESS) return SUCCESS;
  event.has_object_ref = true;
  model::ObjectRef& ref = event.object_ref;
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    std::string_view key = key_of(f);
    std::string_view* target = nullptr;
    if (key == "resource") target = &ref.resource;
    else if (key == "namespace") target = &ref.namespace_name;
    else if (key == "name") target = &ref.name;
    else if (key == "subresource") target = &ref.subresource;
    else if (key == "apiGroup") target = &ref.api_group;
    else if (key == "apiVersion") target = &ref.api_version;
    if (target) {
      if (auto error = read_text(f.value(), *target)) return error;
    }
  }
  return SUCCESS;
}

error_code read_status(ondemand::value& value, model::AuditEvent& event) {
  ondemand::object object;
  if (value.get_object().get(object) != SUCCESS) return SUCCESS;
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    std::string_view key = key_of(f);
    if (key == "code") {
      std::string_view text;
      if (auto error = read_text(f.value(), text)) return error;
      event.code = parse_code(text);
    } else if (key == "reason") {
      if (auto error = read_text(f.value(), event.reason)) return error;
    } else if (key == "message") {
      if (auto error = read_text(f.value(), event.message)) return error;
    }
  }
  return SUCCESS;
}


// Keeps the body as raw JSON (objects, JSON Patch arrays) or as text (YAML apply bodies).
error_code read_body(ondemand::value& value, std::string_view& out) {
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  if (type == ondemand::json_type::object) {
    ondemand::object object;
    if (auto error = value.get_object().get(object)) return error;
    return object.raw_json().get(out);
  }
  if (type == ondemand::json_type::array) {
    ondemand::array array;
    if (auto error = value.get_array().get(array)) return error;
    return array.raw_json().get(out);
  }
  return read_text(value, out);
}

// The truncating audit backend (k8s.io/apiserver plugin/pkg/audit/truncate, enabled by
// --audit-log-truncate-enabled / --audit-webhook-truncate-enabled) drops requestObject and
// responseObject from an event larger than the maximum event size and logs the annotation
// "audit.k8s.io/truncated": "true". The key is searched in the annotations' raw text (the object is
// skipped over either way); read_audit_event only asks for events whose level could carry bodies.
bool has_truncated_annotation(std::string_view annotations_json) {
  static constexpr std::string_view kKey = "\"audit.k8s.io/truncated\"";
  // Also keeps a null data pointer (an empty view) away from memmem.
  if (annotations_json.size() < kKey.size()) return false;
  const void* found = memmem(annotations_json.data(), annotations_json.size(), kKey.data(), kKey.size());
  if (found == nullptr) return false;
  auto at = static_cast<std::size_t>(static_cast<const char*>(found) - annotations_json.data());
  std::string_view rest = annotations_json.substr(at + kKey.size());
  std::size_t value = rest.find_first_not_of(" \t\r\n:");
  return value != std::string_view::npos && rest.substr(value).starts_with("\"true\"");
}

namespace {

using model::LatencyPart;

constexpr std::string_view kLatencyPrefix = "apiserver.latency.k8s.io/";
constexpr std::string_view kWebhookInfix = "webhook.admission.k8s.io/round_";

std::optional<LatencyPart> latency_part(std::string_view name) {
  struct Entry {
    std::string_view name;
    LatencyPart part;
  };
  static constexpr Entry kParts[] = {
      {"etcd", LatencyPart::kEtcd},
      {"mutating-webhook", LatencyPart::kMutatingWebhook},
      {"validating-webhook", LatencyPart::kValidatingWebhook},
      {"apf-queue-wait", LatencyPart::kApfQueueWait},
      {"serialize-response-object", LatencyPart::kSerializeResponseObject},
      {"transform-response-object", LatencyPart::kTransformResponseObject},
      {"response-write", LatencyPart::kResponseWrite},
      {"decode-response-object", LatencyPart::kDecodeResponseObject},
      {"authentication", LatencyPart::kAuthentication},
      {"authorization", LatencyPart::kAuthorization},
      {"total", LatencyPart::kTotal},
  };
  for (const Entry& entry : kParts) {
    if (entry.name == name) return entry.part;
  }
  return std::nullopt;
}

// The string value of `field` in a flat JSON object's text (`"field":"value"`); empty when absent.
// Webhook and configuration names are Kubernetes object names: no quotes or escapes to undo.
std::string_view json_text_field(std::string_view json, std::string_view field) {
  for (std::size_t at = json.find(field); at != std::string_view::npos;
       at = json.find(field, at + 1)) {
    if (at == 0 || json[at - 1] != '"' || at + field.size() >= json.size() ||
        json[at + field.size()] != '"') {
      continue;
    }
    std::string_view rest = json.substr(at + field.size() + 1);
    std::size_t value = rest.find_first_not_of(" \t\r\n:");
    if (value == std::string_view::npos) return {};
    rest = rest.substr(value);
    if (rest.starts_with("true")) return rest.substr(0, 4);
    if (!rest.starts_with('"')) return {};
    std::size_t end = rest.find('"', 1);
    return end == std::string_view::npos ? std::string_view{} : rest.substr(1, end - 1);
  }
  return {};
}

// mutation.* ({"configuration","webhook","mutated"}), patch.* ({"configuration","webhook",
// "patch","patchType"}: it changed the object) and failed-open.* (the webhook's name).
void read_webhook_annotation(std::string_view key, std::string_view text,
                             model::AuditEvent& event) {
  if (key.starts_with("failed-open.")) {
    if (text.empty()) return;
    if (model::WebhookCall* call = event.webhooks.find_or_add({}, text)) {
      call->failed_open = true;
      call->validating = key.starts_with("failed-open.validating.");
    }
    return;
  }
  bool patch = key.starts_with("patch.");
  if (!patch && !key.starts_with("mutation.")) return;
  std::string_view name = json_text_field(text, "webhook");
  if (name.empty()) return;
  model::WebhookCall* call =
      event.webhooks.find_or_add(json_text_field(text, "configuration"), name);
  if (call != nullptr && (patch || json_text_field(text, "mutated") == "true"))
    call->mutated = true;
}

}  // namespace

void read_annotation(std::string_view key, std::string_view text, model::AuditEvent& event) {
  if (key.starts_with(kLatencyPrefix)) {
    std::optional<LatencyPart> part = latency_part(key.substr(kLatencyPrefix.size()));
    std::optional<std::int64_t> ns = part ? parse_go_duration(text) : std::nullopt;
    // Some versions write a negative total (a clock read before the start): not a duration.
    if (ns && *ns >= 0) event.latency.set(*part, *ns);
    return;
  }
  if (key.find(kWebhookInfix) != std::string_view::npos) read_webhook_annotation(key, text, event);
}

error_code read_annotations(ondemand::value& value, model::AuditEvent& event, bool truncation) {
  ondemand::object object;
  if (value.get_object().get(object) != SUCCESS) return SUCCESS;
  for (auto field : object) {
    if (auto error = field.error()) return error;
    ondemand::field& f = field.value_unsafe();
    std::string_view key = key_of(f);
    // Other annotations (authorization.k8s.io/*, pod-security.kubernetes.io/*) are skipped
    // unread.
    bool wanted =
        key.starts_with(kLatencyPrefix) || key.find(kWebhookInfix) != std::string_view::npos;
    bool truncated = truncation && key == "audit.k8s.io/truncated";
    if (!wanted && !truncated) continue;
    std::string_view text;
    if (auto error = read_text(f.value(), text)) return error;
    if (truncated) {
      event.truncated_annotation = text == "true";
    } else {
      read_annotation(key, text, event);
    }
  }
  return SUCCESS;
}

bool may_have_anatomy(std::string_view annotations_json) {
  return annotations_json.find("latency.k8s.io/") != std::string_view::npos ||
         annotations_json.find(kWebhookInfix) != std::string_view::npos;
}

}  // namespace kubeblame::decode
