// Dimension values. The rules are those of docs/counting.md: agent is the user agent's product (text before the
// first '/'); resource is kubectl style (`deployments.apps`, `pods/status`); namespace is
// "(cluster)" for cluster-scoped objects and "(all)" for a collection read across namespaces;
// object is resource/namespace/name (resource/name when cluster-scoped).
#include "kubeblame/analyze/dimension.h"

#include <charconv>

#include "kubeblame/analyze/apf_join.h"
#include "kubeblame/analyze/errors/signature.h"

namespace kubeblame::analyze {

namespace {

constexpr std::string_view kNames[] = {
    "agent",      "user_agent", "user", "impersonated_user", "verb",  "resource", "namespace",
    "name",       "object",     "code", "source_ip",         "error", "webhook",  "priority_level",
    "flow_schema"};

std::string_view or_none(std::string_view value) { return value.empty() ? kNone : value; }

bool is_collection_verb(std::string_view verb) {
  return verb == "list" || verb == "watch" || verb == "deletecollection";
}

}  // namespace

std::string_view dimension_name(Dimension dimension) {
  return kNames[static_cast<std::size_t>(dimension)];
}

std::optional<Dimension> parse_dimension(std::string_view name) {
  for (std::size_t i = 0; i < kDimensionCount; ++i) {
    if (kNames[i] == name) return static_cast<Dimension>(i);
  }
  return std::nullopt;
}

std::string dimension_list() {
  std::string out;
  for (std::string_view name : kNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool is_cluster_scoped(std::string_view resource, std::string_view api_group) {
  struct Entry {
    std::string_view resource;
    std::string_view group;
  };
  static constexpr Entry kClusterScoped[] = {
      {"nodes", ""},
      {"namespaces", ""},
      {"persistentvolumes", ""},
      {"componentstatuses", ""},
      {"clusterroles", "rbac.authorization.k8s.io"},
      {"clusterrolebindings", "rbac.authorization.k8s.io"},
      {"customresourcedefinitions", "apiextensions.k8s.io"},
      {"apiservices", "apiregistration.k8s.io"},
      {"storageclasses", "storage.k8s.io"},
      {"csidrivers", "storage.k8s.io"},
      {"csinodes", "storage.k8s.io"},
      {"volumeattachments", "storage.k8s.io"},
      {"priorityclasses", "scheduling.k8s.io"},
      {"runtimeclasses", "node.k8s.io"},
      {"ingressclasses", "networking.k8s.io"},
      {"mutatingwebhookconfigurations", "admissionregistration.k8s.io"},
      {"validatingwebhookconfigurations", "admissionregistration.k8s.io"},
      {"validatingadmissionpolicies", "admissionregistration.k8s.io"},
      {"validatingadmissionpolicybindings", "admissionregistration.k8s.io"},
      {"certificatesigningrequests", "certificates.k8s.io"},
      {"flowschemas", "flowcontrol.apiserver.k8s.io"},
      {"prioritylevelconfigurations", "flowcontrol.apiserver.k8s.io"},
      {"tokenreviews", "authentication.k8s.io"},
      {"selfsubjectreviews", "authentication.k8s.io"},
      {"subjectaccessreviews", "authorization.k8s.io"},
      {"selfsubjectaccessreviews", "authorization.k8s.io"},
      {"selfsubjectrulesreviews", "authorization.k8s.io"},
  };
  for (const Entry& entry : kClusterScoped) {
    if (entry.resource == resource && entry.group == api_group) return true;
  }
  return false;
}

void DimensionValues::reset(const model::AuditEvent& event) {
  event_ = &event;
  known_.fill(false);
  webhook_index_ = 0;
}

void DimensionValues::select_webhook(std::size_t index) {
  webhook_index_ = index;
  known_[static_cast<std::size_t>(Dimension::kWebhook)] = false;
}

// configuration/name; the name alone when only a failed-open annotation named the webhook.
std::string_view DimensionValues::webhook_value() {
  const model::WebhookCalls& webhooks = event_->webhooks;
  if (webhook_index_ >= webhooks.count) return kNone;
  const model::WebhookCall& call = webhooks.calls[webhook_index_];
  if (call.configuration.empty()) return call.name;
  webhook_.assign(call.configuration);
  webhook_ += '/';
  webhook_ += call.name;
  return webhook_;
}

std::string_view DimensionValues::apf_value(Dimension dimension) {
  const ApfJoin::Names* names = apf_ != nullptr ? apf_->find(event_->audit_id) : nullptr;
  if (names == nullptr) return kUnknown;
  return dimension == Dimension::kPriorityLevel ? names->priority_level : names->flow_schema;
}

std::string_view DimensionValues::get(Dimension dimension) {
  auto i = static_cast<std::size_t>(dimension);
  if (!known_[i]) {
    values_[i] = compute(dimension);
    known_[i] = true;
  }
  return values_[i];
}

std::string_view DimensionValues::resource() {
  const model::AuditEvent& e = *event_;
  const model::ObjectRef& ref = e.object_ref;
  if (!e.has_object_ref || ref.resource.empty()) {
    std::string_view path = e.request_uri.substr(0, e.request_uri.find('?'));
    return or_none(path);
  }
  if (ref.api_group.empty() && ref.subresource.empty()) return ref.resource;
  resource_.assign(ref.resource);
  if (!ref.api_group.empty()) {
    resource_ += '.';
    resource_ += ref.api_group;
  }
  if (!ref.subresource.empty()) {
    resource_ += '/';
    resource_ += ref.subresource;
  }
  return resource_;
}

std::string_view DimensionValues::namespace_value() {
  const model::AuditEvent& e = *event_;
  const model::ObjectRef& ref = e.object_ref;
  if (!e.has_object_ref || ref.resource.empty()) return kNone;
  if (!ref.namespace_name.empty()) return ref.namespace_name;
  if (is_cluster_scoped(ref.resource, ref.api_group)) return kClusterScope;
  return is_collection_verb(e.verb) ? kAllNamespaces : kClusterScope;
}

std::string_view DimensionValues::name_value() {
  const model::AuditEvent& e = *event_;
  if (!e.object_ref.name.empty()) return e.object_ref.name;
  if (e.has_object_ref && !e.object_ref.resource.empty() && is_collection_verb(e.verb)) {
    return kAllNamespaces;
  }
  return kNone;
}

std::string_view DimensionValues::compute(Dimension dimension) {
  const model::AuditEvent& e = *event_;
  switch (dimension) {
    case Dimension::kAgent: {
      std::string_view agent = e.user_agent.substr(0, e.user_agent.find('/'));
      while (!agent.empty() && agent.back() == ' ') agent.remove_suffix(1);
      return or_none(agent);
    }
    case Dimension::kUserAgent: return or_none(e.user_agent);
    case Dimension::kUser: return or_none(e.username);
    case Dimension::kImpersonatedUser: return or_none(e.impersonated_user);
    case Dimension::kVerb: return or_none(e.verb);
    case Dimension::kResource: return resource();
    case Dimension::kNamespace: return namespace_value();
    case Dimension::kName: return name_value();
    case Dimension::kObject: {
      std::string_view res = get(Dimension::kResource);
      std::string_view ns = get(Dimension::kNamespace);
      if (ns == kNone) return res;
      object_.assign(res);
      if (ns != kClusterScope) {
        object_ += '/';
        object_ += ns;
      }
      object_ += '/';
      object_ += get(Dimension::kName);
      return object_;
    }
    case Dimension::kCode: {
      if (e.code <= 0) return kNone;
      auto result = std::to_chars(code_.data(), code_.data() + code_.size(), e.code);
      return {code_.data(), static_cast<std::size_t>(result.ptr - code_.data())};
    }
    case Dimension::kSourceIp: return or_none(e.source_ip);
    case Dimension::kError: {
      if (e.code < 400) return kOk;
      error_.clear();
      append_audit_signature(error_, e.code, e.reason, e.message);
      return error_;
    }
    case Dimension::kWebhook: return webhook_value();
    case Dimension::kPriorityLevel:
    case Dimension::kFlowSchema: return apf_value(dimension);
    case Dimension::kCount: break;
  }
  return kNone;
}

}  // namespace kubeblame::analyze
