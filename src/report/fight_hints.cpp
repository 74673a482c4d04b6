// Remediation hints. A GitOps tool that keeps reverting a field someone else sets is told to
// stop owning that field; everything else gets one sentence naming both writers and the field.
// YAML hints are valid YAML whatever the input: object names and paths are emitted as plain
// scalars only when they are plainly safe, else as JSON (= YAML double-quoted) strings, and
// writer names in comments lose their control characters.
#include "kubeblame/report/fight_hints.h"

#include <array>
#include <cstdio>

#include "kubeblame/analyze/fights/body_flattener.h"
#include "kubeblame/analyze/fights/normal_writes.h"

namespace kubeblame::report {

namespace {

using analyze::append_json_quoted;
using analyze::jq_path_to_json_pointer;

struct KnownKind {
  std::string_view plural, group, kind;
};

constexpr std::array<KnownKind, 72> kKnownKinds = {{
    {"pods", "", "Pod"},
    {"services", "", "Service"},
    {"configmaps", "", "ConfigMap"},
    {"secrets", "", "Secret"},
    {"serviceaccounts", "", "ServiceAccount"},
    {"namespaces", "", "Namespace"},
    {"nodes", "", "Node"},
    {"endpoints", "", "Endpoints"},
    {"persistentvolumeclaims", "", "PersistentVolumeClaim"},
    {"persistentvolumes", "", "PersistentVolume"},
    {"replicationcontrollers", "", "ReplicationController"},
    {"limitranges", "", "LimitRange"},
    {"resourcequotas", "", "ResourceQuota"},
    {"podtemplates", "", "PodTemplate"},
    {"events", "", "Event"},
    {"deployments", "apps", "Deployment"},
    {"statefulsets", "apps", "StatefulSet"},
    {"daemonsets", "apps", "DaemonSet"},
    {"replicasets", "apps", "ReplicaSet"},
    {"controllerrevisions", "apps", "ControllerRevision"},
    {"jobs", "batch", "Job"},
    {"cronjobs", "batch", "CronJob"},
    {"horizontalpodautoscalers", "autoscaling", "HorizontalPodAutoscaler"},
    {"ingresses", "networking.k8s.io", "Ingress"},
    {"ingressclasses", "networking.k8s.io", "IngressClass"},
    {"networkpolicies", "networking.k8s.io", "NetworkPolicy"},
    {"poddisruptionbudgets", "policy", "PodDisruptionBudget"},
    {"roles", "rbac.authorization.k8s.io", "Role"},
    {"rolebindings", "rbac.authorization.k8s.io", "RoleBinding"},
    {"clusterroles", "rbac.authorization.k8s.io", "ClusterRole"},
    {"clusterrolebindings", "rbac.authorization.k8s.io", "ClusterRoleBinding"},
    {"storageclasses", "storage.k8s.io", "StorageClass"},
    {"csidrivers", "storage.k8s.io", "CSIDriver"},
    {"csinodes", "storage.k8s.io", "CSINode"},
    {"volumeattachments", "storage.k8s.io", "VolumeAttachment"},
    {"customresourcedefinitions", "apiextensions.k8s.io", "CustomResourceDefinition"},
    {"mutatingwebhookconfigurations", "admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
    {"validatingwebhookconfigurations", "admissionregistration.k8s.io",
     "ValidatingWebhookConfiguration"},
    {"validatingadmissionpolicies", "admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
    {"validatingadmissionpolicybindings", "admissionregistration.k8s.io",
     "ValidatingAdmissionPolicyBinding"},
    {"apiservices", "apiregistration.k8s.io", "APIService"},
    {"endpointslices", "discovery.k8s.io", "EndpointSlice"},
    {"priorityclasses", "scheduling.k8s.io", "PriorityClass"},
    {"leases", "coordination.k8s.io", "Lease"},
    {"certificatesigningrequests", "certificates.k8s.io", "CertificateSigningRequest"},
    {"runtimeclasses", "node.k8s.io", "RuntimeClass"},
    {"flowschemas", "flowcontrol.apiserver.k8s.io", "FlowSchema"},
    {"prioritylevelconfigurations", "flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
    {"events", "events.k8s.io", "Event"},
    {"applications", "argoproj.io", "Application"},
    {"applicationsets", "argoproj.io", "ApplicationSet"},
    {"appprojects", "argoproj.io", "AppProject"},
    {"rollouts", "argoproj.io", "Rollout"},
    {"kustomizations", "kustomize.toolkit.fluxcd.io", "Kustomization"},
    {"helmreleases", "helm.toolkit.fluxcd.io", "HelmRelease"},
    {"gitrepositories", "source.toolkit.fluxcd.io", "GitRepository"},
    {"helmrepositories", "source.toolkit.fluxcd.io", "HelmRepository"},
    {"ocirepositories", "source.toolkit.fluxcd.io", "OCIRepository"},
    {"servicemonitors", "monitoring.coreos.com", "ServiceMonitor"},
    {"podmonitors", "monitoring.coreos.com", "PodMonitor"},
    {"prometheusrules", "monitoring.coreos.com", "PrometheusRule"},
    {"alertmanagerconfigs", "monitoring.coreos.com", "AlertmanagerConfig"},
    {"certificates", "cert-manager.io", "Certificate"},
    {"certificaterequests", "cert-manager.io", "CertificateRequest"},
    {"issuers", "cert-manager.io", "Issuer"},
    {"clusterissuers", "cert-manager.io", "ClusterIssuer"},
    {"scaledobjects", "keda.sh", "ScaledObject"},
    {"virtualservices", "networking.istio.io", "VirtualService"},
    {"destinationrules", "networking.istio.io", "DestinationRule"},
    {"gateways", "gateway.networking.k8s.io", "Gateway"},
    {"httproutes", "gateway.networking.k8s.io", "HTTPRoute"},
    {"verticalpodautoscalers", "autoscaling.k8s.io", "VerticalPodAutoscaler"},
}};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Writer names and values in YAML comments and sentences: one line, no control characters.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  return out;
}

// A YAML scalar: plain when every character is unambiguous there, else a JSON string.
std::string yaml_scalar(std::string_view text) {
  std::string lower;
  for (char c : text) lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  static constexpr std::string_view kReserved[] = {"true", "false", "null", "yes", "no",  "on",
                                                   "off",  "y",     "n",    "~",   ".inf",
                                                   "-.inf", "+.inf", ".nan"};
  bool plain = !text.empty() && text.find_first_of("-?:,[]{}#&*!|>'\"%@` ") != 0;
  for (std::string_view reserved : kReserved) plain = plain && lower != reserved;
  for (char c : text) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == '_' || c == '/' || c == '(' || c == ')' || c == '=' ||
                c == '[' || c == ']' || c == '"' || c == '|' || c == ' ';
    if (!safe) plain = false;
  }
  if (plain && (text.find(": ") != std::string_view::npos || text.find(" #") != std::string_view::npos ||
                text.back() == ' ' || text.back() == ':')) {
    plain = false;
  }
  bool numeric = !text.empty() && text.find_first_not_of("0123456789.-+eE") == std::string_view::npos;
  if (plain && !numeric) return std::string(text);
  std::string out;
  append_json_quoted(out, text);
  return out;
}

std::string writer_label(const report::FightWriter& writer) { return one_line(writer.writer); }

const report::FightWriter* tool_writer(const report::FightRow& row, WriterTool tool) {
  for (const report::FightWriter& writer : row.writers) {
    if (writer_tool(writer) == tool) return &writer;
  }
  return nullptr;
}

// The other writers, by letter: "dapr-operator" / "dapr-operator and kubectl-edit".
std::string others(const report::FightRow& row, const report::FightWriter* except) {
  std::string out;
  std::size_t count = 0;
  for (const report::FightWriter& writer : row.writers) {
    if (&writer == except) continue;
    ++count;
  }
  std::size_t seen = 0;
  for (const report::FightWriter& writer : row.writers) {
    if (&writer == except) continue;
    if (seen > 0) out += seen + 1 == count ? " and " : ", ";
    out += writer_label(writer);
    ++seen;
  }
  return out.empty() ? "another writer" : out;
}

std::string kind_line(const report::FightRow& row) {
  std::string line = yaml_scalar(row.object_kind);
  KindGuess guess = kind_for_resource(row.resource.substr(0, row.resource.find_first_of("./")),
                                      row.api_group);
  if (guess.guessed && guess.kind == row.object_kind) line += "  # guessed from the resource name";
  return line;
}

bool namespaced(const report::FightRow& row) {
  return !row.namespace_name.empty() && row.namespace_name[0] != '(';
}

// "group: ...\nkind: ...\nname: ...\n[namespace: ...]" at `indent`, the first line after `lead`.
void target_lines(std::string& out, const report::FightRow& row, std::string_view lead,
                  std::string_view indent, bool omit_core_group) {
  bool first = true;
  auto line = [&](std::string_view key, const std::string& value) {
    out += first ? lead : indent;
    first = false;
    out += key;
    out += ": ";
    out += value;
    out += '\n';
  };
  if (!(omit_core_group && row.api_group.empty())) line("group", yaml_scalar(row.api_group));
  line("kind", kind_line(row));
  line("name", yaml_scalar(row.name));
  if (namespaced(row)) line("namespace", yaml_scalar(row.namespace_name));
}

std::string argocd_hint(const report::FightRow& row, const report::FightWriter& argo) {
  std::string out = "# ArgoCD (" + writer_label(argo) + ") keeps reverting what " +
                    others(row, &argo) + " sets.\n";
  out += "# In the Application (or ApplicationSet template) that deploys this object:\n";
  out += "spec:\n  ignoreDifferences:\n";
  target_lines(out, row, "  - ", "    ", false);
  if (!row.fields.empty()) {
    out += "    jqPathExpressions:\n";
    for (const report::ContestedField& field : row.fields) out += "    - " + yaml_scalar(field.path) + '\n';
  } else {
    out += "    # no request bodies: the contested fields are unknown; ignore those owned by\n";
    out += "    # the other writer's field manager\n";
    out += "    managedFieldsManagers:\n";
    for (const report::FightWriter& writer : row.writers) {
      if (&writer == &argo) continue;
      std::string manager = writer.writer.find(" (") != std::string::npos ? writer.agent : writer.writer;
      out += "    - " + yaml_scalar(manager) + '\n';
    }
  }
  out += "  syncPolicy:\n    syncOptions:\n    - RespectIgnoreDifferences=true\n";
  return out;
}

std::string flux_kustomize_hint(const report::FightRow& row, const report::FightWriter& flux) {
  std::string out = "# Flux (" + writer_label(flux) + ") re-applies what " + others(row, &flux) +
                    " changes.\n";
  std::vector<std::string> pointers;
  std::vector<std::string> unconvertible;
  for (const report::ContestedField& field : row.fields) {
    std::string pointer = jq_path_to_json_pointer(field.path);
    if (!pointer.empty() && one_line(pointer) == pointer) {
      pointers.push_back(pointer);
    } else {
      unconvertible.push_back(one_line(field.path));
    }
  }
  if (!pointers.empty()) {
    out += "# In the Kustomization that applies it, drop the contested fields from the manifest\n";
    out += "# so Flux no longer owns them:\nspec:\n  patches:\n";
    target_lines(out, row, "  - target:\n      ", "      ", true);
    out += "    patch: |\n";
    for (const std::string& pointer : pointers) {
      out += "      - op: remove\n        path: " + pointer + '\n';
    }
    for (const std::string& path : unconvertible) out += "# also remove " + path + '\n';
    out += "# or stop Flux reconciling the object with the annotation\n";
    out += "# kustomize.toolkit.fluxcd.io/reconcile: disabled\n";
    return out;
  }
  for (const std::string& path : unconvertible) out += "# remove " + path + " from the manifest, or\n";
  out += "# stop Flux reconciling the object: annotate it\nmetadata:\n  annotations:\n";
  out += "    kustomize.toolkit.fluxcd.io/reconcile: disabled\n";
  return out;
}

std::string flux_helm_hint(const report::FightRow& row, const report::FightWriter& flux) {
  std::string out = "# Flux (" + writer_label(flux) + ") corrects the drift " + others(row, &flux) +
                    " makes.\n";
  std::vector<std::string> pointers;
  for (const report::ContestedField& field : row.fields) {
    std::string pointer = jq_path_to_json_pointer(field.path);
    if (!pointer.empty()) pointers.push_back(pointer);
  }
  out += "# In the HelmRelease that installs this object:\nspec:\n  driftDetection:\n";
  if (pointers.empty()) {
    out += "    # contested fields unknown: only report drift instead of correcting it\n";
    out += "    mode: warn\n";
    return out;
  }
  out += "    mode: enabled\n    ignore:\n    - paths:\n";
  for (const std::string& pointer : pointers) out += "      - " + yaml_scalar(pointer) + '\n';
  target_lines(out, row, "      target:\n        ", "        ", true);
  out += "# and set the chart values so an upgrade does not set the fields again\n";
  return out;
}

std::string field_summary(const report::FightRow& row) {
  const report::ContestedField& field = row.fields.front();
  std::string out = one_line(field.path) + " (";
  for (std::size_t i = 0; i < field.values.size(); ++i) {
    if (i > 0) out += ", ";
    out += one_line(field.values[i].writer) + " sets " + one_line(field.values[i].value);
  }
  out += ')';
  std::size_t more = row.fields.size() - 1 + row.fields_omitted;
  if (more > 0) out += " and " + std::to_string(more) + (more == 1 ? " more field" : " more fields");
  return out;
}

std::string no_fields_reason(const report::FightRow& row) {
  if (!row.fields_kept) return "field tracking was sampled away for this object (--max-field-entries)";
  if (!row.bodies) {
    return "the audit log has no request bodies for it: log " + one_line(row.resource) +
           " writes at level Request to see the fields, or compare metadata.managedFields";
  }
  return "no field got different values from two writers in the logged bodies";
}

}  // namespace

KindGuess kind_for_resource(std::string_view plural, std::string_view group) {
  for (const KnownKind& known : kKnownKinds) {
    if (known.plural == plural && known.group == group) return {std::string(known.kind), false};
  }
  std::string singular(plural);
  if (ends_with(singular, "ies")) {
    singular.replace(singular.size() - 3, 3, "y");
  } else if (ends_with(singular, "sses") || ends_with(singular, "xes") ||
             ends_with(singular, "ches") || ends_with(singular, "shes") ||
             ends_with(singular, "zes")) {
    singular.resize(singular.size() - 2);
  } else if (ends_with(singular, "s") && !ends_with(singular, "ss")) {
    singular.pop_back();
  }
  if (!singular.empty() && singular[0] >= 'a' && singular[0] <= 'z') {
    singular[0] = static_cast<char>(singular[0] - 'a' + 'A');
  }
  return {singular, true};
}

WriterTool writer_tool(const report::FightWriter& writer) {
  std::string_view manager = writer.writer;
  std::string_view agent = writer.agent;
  if (manager == "argocd-controller" || agent == "argocd-application-controller" ||
      agent == "argocd-server") {
    return WriterTool::kArgoCd;
  }
  if (manager == "kustomize-controller" || agent == "kustomize-controller") return WriterTool::kFluxKustomize;
  if (manager == "helm-controller" || agent == "helm-controller") return WriterTool::kFluxHelm;
  if (manager == "helm" || agent == "helm" || agent == "Helm") return WriterTool::kHelm;
  return WriterTool::kOther;
}

std::string fight_hint(const report::FightRow& row) {
  if (row.kind == "conflicts" && !row.writers.empty()) {
    const report::FightWriter& writer = row.writers.front();
    return writer_label(writer) + " got " + std::to_string(row.conflicts) +
           " 409 Conflicts on this object: it writes from a stale copy (something else changes "
           "the object between its read and its write, or it retries without reading again).";
  }
  if (const auto* argo = tool_writer(row, WriterTool::kArgoCd)) return argocd_hint(row, *argo);
  if (const auto* flux = tool_writer(row, WriterTool::kFluxKustomize)) {
    return flux_kustomize_hint(row, *flux);
  }
  if (const auto* flux = tool_writer(row, WriterTool::kFluxHelm)) return flux_helm_hint(row, *flux);
  if (const auto* helm = tool_writer(row, WriterTool::kHelm)) {
    std::string out = "Helm (" + writer_label(*helm) + ") and " + others(row, helm);
    if (!row.fields.empty()) {
      return out + " keep overwriting " + field_summary(row) +
             ": set the chart value to what the other writer needs, or remove the field from "
             "the chart's templates so helm upgrade stops setting it.";
    }
    return out + " keep rewriting this object; " + no_fields_reason(row) + '.';
  }
  std::string names = others(row, nullptr);
  if (!row.fields.empty()) {
    return names + " keep overwriting " + field_summary(row) +
           ": decide which one owns the field and configure the other to leave it alone.";
  }
  return names + " keep rewriting this object; " + no_fields_reason(row) + '.';
}

// A catalogued writer writing faster than its documented period (docs/normal-writes.md).
std::string faster_than_documented_hint(const report::FightRow& row, std::string_view rate) {
  const analyze::NormalWrite& entry = analyze::normal_writes()[*row.normal_write];
  char factor[32];
  std::snprintf(factor, sizeof(factor), "%.1f", row.normal_write_factor);
  return writer_label(row.writers.front()) + " rewrites this object " + std::string(rate) +
         " times per hour, " + factor + "x the documented rate of " + std::string(entry.label) +
         " (" + std::string(entry.period_text) + ": " + std::string(entry.source) +
         "). Likely cause: " + std::string(entry.when_faster) + ".";
}

std::string hot_loop_hint(const report::FightRow& row) {
  if (row.writers.empty()) return {};
  const report::FightWriter& writer = row.writers.front();
  char rate[32];
  std::snprintf(rate, sizeof(rate), "%.0f", row.per_hour);
  if (row.normal_write && *row.normal_write < analyze::kNormalWriteCount) {
    return faster_than_documented_hint(row, rate);
  }
  if (writer_tool(writer) == WriterTool::kArgoCd) {
    return "ArgoCD (" + writer_label(writer) + ") re-syncs this object " + rate +
           " times per hour: its live state never matches the desired state (a defaulted or "
           "mutated field); find it with `argocd app diff` and add it to ignoreDifferences.";
  }
  std::string out = writer_label(writer) + " rewrites this object " + rate +
                    " times per hour: its reconcile loop never converges (a defaulted field, a "
                    "timestamp or a value it recomputes on every pass); compare two consecutive "
                    "versions of the object.";
  std::string_view plural = std::string_view(row.resource).substr(0, row.resource.find('/'));
  if (!row.bodies && (plural == "configmaps" || plural == "endpoints")) {
    out += " Without request bodies kubeblame cannot tell an old-style leader-election lock (the "
           "control-plane.alpha.kubernetes.io/leader annotation) from a loop: if it is one, these "
           "are renewals.";
  }
  return out;
}

}  // namespace kubeblame::report
