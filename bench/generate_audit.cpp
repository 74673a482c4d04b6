// kubeblame-gen: writes a deterministic, realistic Kubernetes audit log of a requested size to
// stdout (or -o FILE), for benchmarks. Same seed and size, same bytes; a smaller size with the
// same seed gives a prefix of a larger one (raw audit format).
//
//   kubeblame-gen --size 1G [--format audit|aks-az-json|...] [--seed 42] [-o audit.jsonl]
//   (--help lists the formats)
//
// The traffic mimics a mid-sized cluster: 60 kubelets (lease renewals, node status, pod status,
// watches), kube-controller-manager controllers, the scheduler, CoreDNS, ArgoCD, several
// operators, Prometheus and kubectl users; get/list/watch/create/update/patch/delete over core
// and group resources, discovery and other non-resource URLs (/apis, /openapi/v2, /metrics),
// request URIs with query parameters, a mix of codes (404, 409, 403, 429, 500), kubectl exec and
// port-forward (101 upgrades, long-running), clients with expired credentials (401, logged at
// ResponseStarted only, without a user; some send no user agent), multi-stage events
// (RequestReceived for a share of requests, ResponseStarted for watches and upgrades), and ~5%
// RequestResponse events carrying bodies of a few KB.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
};

struct Resource {
  const char* resource;
  const char* group;
  const char* version;
  bool namespaced;
};

constexpr Resource kResources[] = {
    {"pods", "", "v1", true},
    {"configmaps", "", "v1", true},
    {"secrets", "", "v1", true},
    {"services", "", "v1", true},
    {"endpoints", "", "v1", true},
    {"events", "", "v1", true},
    {"serviceaccounts", "", "v1", true},
    {"nodes", "", "v1", false},
    {"namespaces", "", "v1", false},
    {"deployments", "apps", "v1", true},
    {"replicasets", "apps", "v1", true},
    {"statefulsets", "apps", "v1", true},
    {"daemonsets", "apps", "v1", true},
    {"jobs", "batch", "v1", true},
    {"leases", "coordination.k8s.io", "v1", true},
    {"endpointslices", "discovery.k8s.io", "v1", true},
    {"ingresses", "networking.k8s.io", "v1", true},
    {"customresourcedefinitions", "apiextensions.k8s.io", "v1", false},
    {"applications", "argoproj.io", "v1alpha1", true},
    {"subscriptions", "dapr.io", "v2alpha1", true},
    {"certificates", "cert-manager.io", "v1", true},
    {"servicemonitors", "monitoring.coreos.com", "v1", true},
    {"horizontalpodautoscalers", "autoscaling", "v2", true},
    {"roles", "rbac.authorization.k8s.io", "v1", true},
};
constexpr std::size_t kResourceCount = sizeof(kResources) / sizeof(kResources[0]);

constexpr const char* kNamespaces[] = {
    "default", "kube-system", "argocd", "dapr-system", "monitoring", "cert-manager", "ingress-nginx",
    "payments", "orders", "checkout", "catalog", "search", "identity", "notifications", "billing",
    "analytics", "gateway", "inventory", "shipping", "reviews"};
constexpr std::size_t kNamespaceCount = sizeof(kNamespaces) / sizeof(kNamespaces[0]);

struct Client {
  std::string user;
  std::string agent;
  std::string ip;
  double weight;
  int style;  // 0 kubelet, 1 controller, 2 operator, 3 human, 4 probe, 5 unauthenticated
};

std::vector<Client> make_clients() {
  std::vector<Client> clients;
  for (int n = 0; n < 60; ++n) {
    clients.push_back({fmt::format("system:node:aks-nodepool1-3145{:04}-vmss{:06}", n % 7, n),
                       "kubelet/v1.29.4 (linux/amd64) kubernetes/55019c8",
                       fmt::format("10.224.{}.{}", n / 200, 4 + n % 200), 1.0, 0});
  }
  const char* controllers[] = {"replicaset-controller", "deployment-controller",
                               "endpointslice-controller", "namespace-controller",
                               "generic-garbage-collector", "horizontal-pod-autoscaler",
                               "job-controller", "statefulset-controller", "node-controller",
                               "resourcequota-controller"};
  for (const char* c : controllers) {
    clients.push_back({fmt::format("system:serviceaccount:kube-system:{}", c),
                       fmt::format("kube-controller-manager/v1.29.4 (linux/amd64) kubernetes/55019c8/system:serviceaccount:kube-system:{}", c),
                       "172.31.10.5", 2.0, 1});
  }
  clients.push_back({"system:kube-scheduler", "kube-scheduler/v1.29.4 (linux/amd64) kubernetes/55019c8/scheduler", "172.31.10.5", 3.0, 1});
  clients.push_back({"system:serviceaccount:kube-system:coredns", "coredns/v1.11.1 (linux/amd64) kubernetes/v1.11.1", "10.244.1.7", 2.0, 2});
  clients.push_back({"system:serviceaccount:argocd:argocd-application-controller", "argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format", "10.244.3.21", 8.0, 2});
  clients.push_back({"system:serviceaccount:argocd:argocd-server", "argocd-server/v2.10.4 (linux/amd64) kubernetes/$Format", "10.244.3.22", 2.0, 2});
  clients.push_back({"system:serviceaccount:dapr-system:dapr-operator", "dapr-operator/v0.0.0 (linux/amd64) kubernetes/$Format", "10.244.2.9", 5.0, 2});
  clients.push_back({"system:serviceaccount:cert-manager:cert-manager", "cert-manager-controller/v1.14.4 (linux/amd64) cert-manager/f3b9d3a", "10.244.4.3", 3.0, 2});
  clients.push_back({"system:serviceaccount:monitoring:prometheus-operator", "PrometheusOperator/0.72.0", "10.244.5.11", 3.0, 2});
  clients.push_back({"system:serviceaccount:monitoring:prometheus-k8s", "Prometheus/2.50.1", "10.244.5.12", 4.0, 2});
  clients.push_back({"system:serviceaccount:keda:keda-operator", "keda/v2.13.0 (linux/amd64) kubernetes/$Format", "10.244.6.4", 2.0, 2});
  const char* humans[] = {"alice@contoso.com", "bob@contoso.com", "carol@contoso.com",
                          "dave@contoso.com", "erin@contoso.com", "frank@contoso.com"};
  for (const char* h : humans) {
    clients.push_back({h, "kubectl/v1.30.1 (darwin/arm64) kubernetes/7d4f8e0", "203.0.113.17", 0.4, 3});
  }
  clients.push_back({"system:anonymous", "kube-probe/1.29", "10.224.0.4", 1.5, 4});
  // Expired or missing credentials: authentication fails, so there is no user (and one of them
  // sends no user agent at all).
  clients.push_back({"", "python-requests/2.31.0", "198.51.100.23", 0.3, 5});
  clients.push_back({"", "", "198.51.100.77", 0.15, 5});
  return clients;
}

struct Picker {
  std::vector<double> cumulative;
  explicit Picker(const std::vector<Client>& clients) {
    double total = 0;
    for (const Client& c : clients) cumulative.push_back(total += c.weight);
  }
  std::size_t pick(Rng& rng) const {
    double r = rng.unit() * cumulative.back();
    std::size_t i = 0;
    while (i + 1 < cumulative.size() && cumulative[i] < r) ++i;
    return i;
  }
};

std::string timestamp(std::int64_t micros) {
  std::int64_t secs = micros / 1000000;
  std::int64_t days = secs / 86400;
  // 2025-02-25 is day 20144 since the epoch; the bench never crosses a month boundary by much,
  // so derive the date with a civil conversion anyway.
  std::int64_t z = days + 719468;
  std::int64_t era = z / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t y = yoe + era * 400 + (m <= 2);
  std::int64_t rem = secs % 86400;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", y, m, d, rem / 3600,
                     rem / 60 % 60, rem % 60, micros % 1000000);
}

struct Request {
  std::string verb;
  const Resource* resource = nullptr;
  std::string subresource;
  std::string ns;
  std::string name;
  std::string uri;
  int code = 200;
  std::string reason;
  std::string message;
  std::int64_t latency_us = 1000;
  bool started = false;        // long-running (watch, 101 upgrade): a ResponseStarted event first
  bool unauthorized = false;   // failed authentication: only a ResponseStarted event, no user
  bool body = false;
};

std::string object_name(Rng& rng, const Resource& r) {
  static const char* stems[] = {"web", "api", "worker", "cache", "db", "frontend", "backend",
                                "queue", "auth", "search", "ingest", "report"};
  if (std::strcmp(r.resource, "nodes") == 0) {
    return fmt::format("aks-nodepool1-3145{:04}-vmss{:06}", rng.below(7), rng.below(60));
  }
  if (std::strcmp(r.resource, "customresourcedefinitions") == 0) {
    static const char* crds[] = {"subscriptions.dapr.io", "applications.argoproj.io",
                                 "certificates.cert-manager.io", "servicemonitors.monitoring.coreos.com",
                                 "components.dapr.io", "scaledobjects.keda.sh"};
    return crds[rng.below(6)];
  }
  return fmt::format("{}-{}-{:x}", stems[rng.below(12)], rng.below(40), rng.next() % 0xfffff);
}

Request make_request(Rng& rng, const Client& client) {
  Request q;
  const Resource* r = &kResources[rng.below(kResourceCount)];
  double roll = rng.unit();
  if (client.style == 0) {  // kubelet
    if (roll < 0.35) {
      r = &kResources[14];  // leases
      q.verb = "update";
      q.ns = "kube-node-lease";
      q.name = client.user.substr(12);
    } else if (roll < 0.55) {
      r = &kResources[7];
      q.verb = "patch";
      q.subresource = "status";
      q.name = client.user.substr(12);
    } else if (roll < 0.7) {
      r = &kResources[0];
      q.verb = "patch";
      q.subresource = "status";
    } else if (roll < 0.8) {
      q.verb = "watch";
    } else {
      q.verb = "get";
    }
  } else if (client.style == 4) {
    q.verb = "get";
    q.uri = roll < 0.5 ? "/healthz" : (roll < 0.8 ? "/readyz" : "/livez");
    q.latency_us = 200 + static_cast<std::int64_t>(rng.below(800));
    return q;
  } else if (client.style == 3) {
    if (roll < 0.04) {  // kubectl exec / port-forward: a 101 upgrade that lives for minutes
      bool exec = roll < 0.03;
      q.verb = "create";
      q.resource = &kResources[0];
      q.subresource = exec ? "exec" : "portforward";
      q.ns = kNamespaces[rng.below(kNamespaceCount)];
      q.name = object_name(rng, kResources[0]);
      q.uri = fmt::format("/api/v1/namespaces/{}/pods/{}/{}", q.ns, q.name, q.subresource);
      q.uri += exec ? "?command=sh&container=app&stdin=true&stdout=true&tty=true" : "?ports=8080";
      q.code = 101;
      q.started = true;
      q.latency_us = static_cast<std::int64_t>(20 + rng.below(1800)) * 1000000;
      return q;
    }
    if (roll < 0.16) {  // discovery before a command
      static const char* paths[] = {"/api?timeout=32s", "/apis?timeout=32s", "/openapi/v2?timeout=32s",
                                    "/version?timeout=32s", "/apis/apps/v1?timeout=32s"};
      q.verb = "get";
      q.uri = paths[rng.below(5)];
      q.latency_us = 500 + static_cast<std::int64_t>(rng.unit() * 20000);
      return q;
    }
    static const char* verbs[] = {"get", "list", "get", "list", "patch", "delete", "create"};
    q.verb = verbs[rng.below(7)];
  } else if (client.style == 5) {
    q.verb = roll < 0.6 ? "list" : "get";
  } else if (client.agent.starts_with("Prometheus/") && roll < 0.3) {
    q.verb = "get";
    q.uri = "/metrics";
    q.latency_us = 2000 + static_cast<std::int64_t>(rng.unit() * 60000);
    return q;
  } else if (client.style != 4 && roll < 0.015) {
    q.verb = "get";
    q.uri = roll < 0.008 ? "/apis?timeout=32s" : "/api?timeout=32s";
    q.latency_us = 500 + static_cast<std::int64_t>(rng.unit() * 5000);
    return q;
  } else {
    static const char* verbs[] = {"get", "list", "watch", "update", "patch", "get", "list",
                                  "create", "delete", "get"};
    q.verb = verbs[rng.below(10)];
  }
  q.resource = r;
  if (r->namespaced && q.ns.empty()) {
    bool across = (q.verb == "list" || q.verb == "watch") && rng.unit() < 0.3;
    if (!across) q.ns = kNamespaces[rng.below(kNamespaceCount)];
  }
  bool collection = q.verb == "list" || q.verb == "watch";
  if (!collection && q.name.empty() && q.verb != "create") q.name = object_name(rng, *r);

  std::string prefix = r->group[0] ? fmt::format("/apis/{}/{}", r->group, r->version) : "/api/v1";
  std::string path = prefix;
  if (!q.ns.empty()) path += "/namespaces/" + q.ns;
  path += "/";
  path += r->resource;
  if (!q.name.empty()) path += "/" + q.name;
  if (!q.subresource.empty()) path += "/" + q.subresource;
  if (q.verb == "watch") {
    q.started = true;
    path += fmt::format("?allowWatchBookmarks=true&resourceVersion={}&timeout={}m{}s&timeoutSeconds={}&watch=true",
                        100000 + rng.below(900000), 5 + rng.below(5), rng.below(60), 300 + rng.below(300));
    q.latency_us = static_cast<std::int64_t>(300 + rng.below(300)) * 1000000;
  } else if (q.verb == "list") {
    path += rng.unit() < 0.6 ? "?resourceVersion=0" : "?limit=500";
    if (rng.unit() < 0.3) path += "&labelSelector=app.kubernetes.io%2Fname%3Dweb";
    q.latency_us = 2000 + static_cast<std::int64_t>(rng.unit() * rng.unit() * 3000000);
  } else if (q.verb == "patch" || q.verb == "update" || q.verb == "create") {
    if (client.style == 2 && rng.unit() < 0.5) {
      path += fmt::format("?fieldManager={}", client.agent.substr(0, client.agent.find('/')));
    }
    q.latency_us = 3000 + static_cast<std::int64_t>(rng.unit() * 40000);
    q.body = rng.unit() < 0.12;
  } else {
    q.latency_us = 400 + static_cast<std::int64_t>(rng.unit() * rng.unit() * 30000);
  }
  q.uri = path;
  if (client.style == 5) {
    q.code = 401;
    q.reason = "Unauthorized";
    q.message = "Unauthorized";
    q.unauthorized = true;
    q.started = true;
    q.body = false;
    q.latency_us = 150 + static_cast<std::int64_t>(rng.below(600));
    return q;
  }

  double fail = rng.unit();
  if (fail < 0.03 && (q.verb == "get" || q.verb == "delete")) {
    q.code = 404;
    q.reason = "NotFound";
    q.message = fmt::format("{} \"{}\" not found", r->resource, q.name);
  } else if (fail < 0.045 && (q.verb == "update" || q.verb == "patch")) {
    q.code = 409;
    q.reason = "Conflict";
    q.message = fmt::format("Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again", r->resource, q.name);
  } else if (fail < 0.05) {
    q.code = 403;
    q.reason = "Forbidden";
    q.message = fmt::format("{} is forbidden: User \"{}\" cannot {} resource \"{}\"", r->resource, client.user, q.verb, r->resource);
  } else if (fail < 0.055) {
    q.code = 429;
    q.reason = "TooManyRequests";
    q.message = "Too many requests, please try again later.";
  } else if (fail < 0.06 && std::strcmp(r->resource, "subscriptions") == 0) {
    q.code = 500;
    q.message = "conversion webhook for dapr.io/v2alpha1, Kind=Subscription failed: Post \"https://dapr-webhook.replaceme.svc:443/convert?timeout=30s\": service \"dapr-webhook\" not found";
  } else if (q.verb == "create") {
    q.code = 201;
  }
  return q;
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string make_body(Rng& rng, const Request& q, std::size_t target) {
  std::string body = fmt::format(
      "{{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{{\"name\":\"{}\",\"namespace\":\"{}\","
      "\"labels\":{{\"app.kubernetes.io/managed-by\":\"argocd\",\"app.kubernetes.io/part-of\":\"shop\"}},"
      "\"annotations\":{{\"kubectl.kubernetes.io/last-applied-configuration\":\"",
      q.name, q.ns);
  while (body.size() < target) {
    body += fmt::format("key{}={:x};", rng.below(1000), rng.next());
  }
  body += "\"}},\"data\":{\"replicas\":\"3\",\"mode\":\"active\"}}";
  return body;
}

struct Writer {
  std::FILE* out = stdout;
  std::string buffer;
  std::uint64_t written = 0;
  bool failed = false;
  void flush() {
    if (std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size()) failed = true;
    written += buffer.size();
    buffer.clear();
  }
};

std::string object_ref_json(const Request& q) {
  if (q.resource == nullptr) return {};
  std::string ref = fmt::format("{{\"resource\":\"{}\"", q.resource->resource);
  if (!q.ns.empty()) ref += fmt::format(",\"namespace\":\"{}\"", q.ns);
  if (!q.name.empty()) ref += fmt::format(",\"name\":\"{}\"", q.name);
  if (q.resource->group[0]) ref += fmt::format(",\"apiGroup\":\"{}\"", q.resource->group);
  ref += fmt::format(",\"apiVersion\":\"{}\"", q.resource->version);
  if (!q.subresource.empty()) ref += fmt::format(",\"subresource\":\"{}\"", q.subresource);
  ref += "}";
  return ref;
}

std::string status_json(const Request& q) {
  if (q.code < 400) return fmt::format("{{\"metadata\":{{}},\"code\":{}}}", q.code);
  return fmt::format("{{\"metadata\":{{}},\"status\":\"Failure\",\"message\":\"{}\",\"reason\":\"{}\",\"code\":{}}}",
                     json_escape(q.message), q.reason, q.code);
}

// Every event's annotations, as compact JSON (the raw lines and AKSAudit's Annotations column).
constexpr std::string_view kAnnotationsJson =
    "{\"authorization.k8s.io/decision\":\"allow\",\"authorization.k8s.io/reason\":\"RBAC: allowed "
    "by ClusterRoleBinding \\\"system:controller\\\" of ClusterRole \\\"system:controller\\\" to "
    "ServiceAccount\"}";

std::string user_json(const Client& c) {
  if (c.user.empty()) return "{}";
  return fmt::format("{{\"username\":\"{}\",\"groups\":[\"system:authenticated\"]}}", c.user);
}

void write_audit_event(Writer& w, const Client& c, const Request& q, const std::string& id,
                       const char* stage, std::int64_t received, std::int64_t stage_time,
                       bool with_status, const std::string& body) {
  std::string& b = w.buffer;
  b += fmt::format("{{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"{}\",\"auditID\":\"{}\",\"stage\":\"{}\",\"requestURI\":\"{}\",\"verb\":\"{}\",",
                   body.empty() ? "Metadata" : "RequestResponse", id, stage, q.uri, q.verb);
  if (c.user.empty()) {
    b += fmt::format("\"user\":{{}},\"sourceIPs\":[\"{}\"],", c.ip);
  } else {
    b += fmt::format("\"user\":{{\"username\":\"{}\",\"groups\":[\"system:authenticated\"]}},\"sourceIPs\":[\"{}\"],",
                     c.user, c.ip);
  }
  if (!c.agent.empty()) b += fmt::format("\"userAgent\":\"{}\",", c.agent);
  std::string ref = object_ref_json(q);
  if (!ref.empty()) b += "\"objectRef\":" + ref + ",";
  if (with_status) b += "\"responseStatus\":" + status_json(q) + ",";
  if (!body.empty()) b += "\"requestObject\":" + body + ",\"responseObject\":" + body + ",";
  b += fmt::format("\"requestReceivedTimestamp\":\"{}\",\"stageTimestamp\":\"{}\",", timestamp(received), timestamp(stage_time));
  b += "\"annotations\":";
  b += kAnnotationsJson;
  b += "}\n";
}

std::string az_string(std::string_view json) { return "\"" + json_escape(json) + "\""; }

void write_az_row(Writer& w, const Client& c, const Request& q, const std::string& id,
                  const char* stage, std::int64_t received, std::int64_t stage_time,
                  const std::string& body, bool first) {
  std::string& b = w.buffer;
  if (!first) b += ",\n";
  std::string ref = object_ref_json(q);
  b += "  {\n    \"TableName\": \"PrimaryResult\",\n";
  b += "    \"TenantId\": \"6f8c3a52-8d1e-4f0b-9c55-2b1e0a9d7c31\",\n";
  b += fmt::format("    \"TimeGenerated\": \"{}\",\n", timestamp(stage_time + 2500000));
  b += fmt::format("    \"AuditId\": \"{}\",\n    \"Level\": \"{}\",\n", id, body.empty() ? "Metadata" : "RequestResponse");
  b += "    \"PodName\": \"kube-apiserver-6c9f8b7d5-x2mzq\",\n";
  b += fmt::format("    \"RequestUri\": \"{}\",\n    \"Stage\": \"{}\",\n", q.uri, stage);
  b += fmt::format("    \"UserAgent\": \"{}\",\n    \"Verb\": \"{}\",\n", c.agent, q.verb);
  b += "    \"SourceSystem\": \"Azure\",\n    \"Type\": \"AKSAudit\",\n";
  b += "    \"_ResourceId\": \"/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourcegroups/rg-prod/providers/microsoft.containerservice/managedclusters/aks-prod\",\n";
  b += "    \"Annotations\": " + az_string("{\"authorization.k8s.io/decision\":\"allow\"}") + ",\n";
  b += "    \"ObjectRef\": " + (ref.empty() ? std::string("\"None\"") : az_string(ref)) + ",\n";
  b += "    \"RequestObject\": " + (body.empty() ? std::string("\"None\"") : az_string(body)) + ",\n";
  b += "    \"ResponseObject\": \"None\",\n";
  b += "    \"ResponseStatus\": " + az_string(status_json(q)) + ",\n";
  b += "    \"SourceIps\": " + az_string(fmt::format("[\"{}\"]", c.ip)) + ",\n";
  b += "    \"User\": " +
       az_string(c.user.empty() ? std::string("{}")
                                : fmt::format("{{\"username\":\"{}\",\"groups\":[\"system:authenticated\"]}}", c.user)) +
       ",\n";
  b += fmt::format("    \"RequestReceivedTime\": \"{}\",\n    \"StageReceivedTime\": \"{}\"\n  }}", timestamp(received), timestamp(stage_time));
}

// The raw-event shapes: each audit event line of the audit format, wrapped as an Azure export
// carries it. --size stays the size of the raw lines, so every shape holds the same events.
enum class Wrap { kNone, kEventList, kEventHub, kStoragePt1h };

Wrap wrap_of(std::string_view format) {
  if (format == "eventlist") return Wrap::kEventList;
  if (format == "eventhub") return Wrap::kEventHub;
  if (format == "storage-pt1h") return Wrap::kStoragePt1h;
  return Wrap::kNone;
}

// An Azure diagnostic record (Event Hub `records` element, Storage PT1H line) around one event.
std::string diagnostic_record(std::string_view event, std::int64_t stage_time) {
  return fmt::format(
      "{{\"category\": \"kube-audit\", \"operationName\": "
      "\"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read\", \"properties\": "
      "{{\"log\": \"{}\", \"stream\": \"stdout\", \"pod\": \"kube-apiserver-6c9f8b7d5-x2mzq\"}}, "
      "\"resourceId\": \"/SUBSCRIPTIONS/0B1F6471-1BF0-4DDA-AEC3-111122223333/RESOURCEGROUPS/RG-PROD/"
      "PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD\", \"time\": \"{}\"}}",
      json_escape(event), timestamp(stage_time));
}

// Moves the event lines written since `from` out of the buffer, wrapped; `first` is true until
// the first element of an array shape is out.
void wrap_events(Writer& w, std::size_t from, Wrap wrap, std::int64_t stage_time, bool& first) {
  if (wrap == Wrap::kNone) return;
  std::string lines = w.buffer.substr(from);
  w.buffer.resize(from);
  for (std::size_t at = 0; at < lines.size();) {
    std::size_t end = lines.find('\n', at);
    std::string_view event(lines.data() + at, end - at);
    at = end + 1;
    if (wrap == Wrap::kStoragePt1h) {
      w.buffer += diagnostic_record(event, stage_time) + "\n";
      continue;
    }
    w.buffer += first ? "\n  " : ",\n  ";
    first = false;
    if (wrap == Wrap::kEventList) {
      w.buffer += event;
    } else {
      w.buffer += diagnostic_record(event, stage_time);
    }
  }
}

// The raw events as AKSAudit rows, in the three shapes Log Analytics exports them. AKS's audit
// policy omits the RequestReceived stage, so those events have no row; the other events are the
// raw lines' own values, dynamic columns as their compact JSON text. Rows stay in the order the
// events were drawn (Log Analytics returns rows in no particular order).
enum class Table { kNone, kAz, kRest, kCsv };

Table table_of(std::string_view format) {
  if (format == "aksaudit-az-json") return Table::kAz;
  if (format == "aksaudit-rest") return Table::kRest;
  if (format == "aksaudit-csv") return Table::kCsv;
  return Table::kNone;
}

struct Cell {
  enum Kind { kNull, kText, kTime } kind = kNull;
  std::string text;
  std::int64_t micros = 0;
};

struct Column {
  const char* name;
  const char* type;  // the Log Analytics type: string, datetime, dynamic
};

constexpr Column kAksColumns[] = {
    {"TenantId", "string"},
    {"TimeGenerated", "datetime"},
    {"AuditId", "string"},
    {"Level", "string"},
    {"PodName", "string"},
    {"RequestUri", "string"},
    {"Stage", "string"},
    {"UserAgent", "string"},
    {"Verb", "string"},
    {"SourceSystem", "string"},
    {"Type", "string"},
    {"_ResourceId", "string"},
    {"Annotations", "dynamic"},
    {"ObjectRef", "dynamic"},
    {"RequestObject", "dynamic"},
    {"ResponseObject", "dynamic"},
    {"ResponseStatus", "dynamic"},
    {"SourceIps", "dynamic"},
    {"User", "dynamic"},
    {"RequestReceivedTime", "datetime"},
    {"StageReceivedTime", "datetime"},
};
constexpr std::size_t kAksColumnCount = sizeof(kAksColumns) / sizeof(kAksColumns[0]);

// One event of the raw lines, as write_audit_event takes it.
struct StageEvent {
  const char* stage;
  std::int64_t received;
  std::int64_t stage_time;
  bool with_status;
  const std::string* body;
};

Cell text_cell(std::string text) { return {Cell::kText, std::move(text), 0}; }
Cell time_cell(std::int64_t micros) { return {Cell::kTime, {}, micros}; }
Cell json_cell(std::string json) { return json.empty() ? Cell{} : text_cell(std::move(json)); }

std::vector<Cell> aks_row(const Client& c, const Request& q, const std::string& id,
                          const StageEvent& e) {
  const std::string& body = *e.body;
  return {text_cell("6f8c3a52-8d1e-4f0b-9c55-2b1e0a9d7c31"),
          time_cell(e.stage_time + 2500000),  // ingestion time, as the aks-az-json rows have it
          text_cell(id),
          text_cell(body.empty() ? "Metadata" : "RequestResponse"),
          text_cell("kube-apiserver-6c9f8b7d5-x2mzq"),
          text_cell(q.uri),
          text_cell(e.stage),
          text_cell(c.agent),
          text_cell(q.verb),
          text_cell("Azure"),
          text_cell("AKSAudit"),
          text_cell("/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourcegroups/rg-prod/"
                    "providers/microsoft.containerservice/managedclusters/aks-prod"),
          text_cell(std::string(kAnnotationsJson)),
          json_cell(object_ref_json(q)),
          json_cell(body),
          json_cell(body),
          json_cell(e.with_status ? status_json(q) : std::string()),
          text_cell(fmt::format("[\"{}\"]", c.ip)),
          text_cell(user_json(c)),
          time_cell(e.received),
          time_cell(e.stage_time)};
}

// A JSON string as Python's json.dumps(ensure_ascii=False) writes it.
void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(ch));
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

// The portal's CSV datetime, `2/25/2025, 9:19:25.391 AM`: milliseconds, the rest cut off.
std::string portal_time(std::int64_t micros) {
  std::string iso = timestamp(micros);  // 2025-02-25T08:00:00.004560Z
  int hour = std::stoi(iso.substr(11, 2));
  return fmt::format("{}/{}/{}, {}:{}.{} {}", std::stoi(iso.substr(5, 2)),
                     std::stoi(iso.substr(8, 2)), iso.substr(0, 4), hour % 12 == 0 ? 12 : hour % 12,
                     iso.substr(14, 5), iso.substr(20, 3), hour < 12 ? "AM" : "PM");
}

// `az monitor log-analytics query -o json`: every value through Python's str() (null is
// "None"), the keys of each object sorted (TableName among them), indent 2.
void write_az_object(std::string& b, const std::vector<Cell>& row) {
  static const std::vector<std::size_t> order = [] {
    std::vector<std::size_t> o;  // kAksColumnCount stands for TableName
    for (std::size_t i = 0; i <= kAksColumnCount; ++i) o.push_back(i);
    auto name = [](std::size_t i) {
      return std::string_view(i == kAksColumnCount ? "TableName" : kAksColumns[i].name);
    };
    std::sort(o.begin(), o.end(), [&](std::size_t x, std::size_t y) { return name(x) < name(y); });
    return o;
  }();
  b += "  {";
  for (std::size_t k = 0; k < order.size(); ++k) {
    std::size_t i = order[k];
    b += k == 0 ? "\n    " : ",\n    ";
    append_json_string(b, i == kAksColumnCount ? "TableName" : kAksColumns[i].name);
    b += ": ";
    if (i == kAksColumnCount) {
      b += "\"PrimaryResult\"";
      continue;
    }
    const Cell& cell = row[i];
    append_json_string(b, cell.kind == Cell::kNull   ? std::string("None")
                          : cell.kind == Cell::kTime ? timestamp(cell.micros)
                                                     : cell.text);
  }
  b += "\n  }";
}

// A row of the query REST response's `rows`: compact, null for an empty dynamic.
void write_rest_row(std::string& b, const std::vector<Cell>& row) {
  b.push_back('[');
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) b.push_back(',');
    if (row[i].kind == Cell::kNull) {
      b += "null";
    } else {
      append_json_string(b, row[i].kind == Cell::kTime ? timestamp(row[i].micros) : row[i].text);
    }
  }
  b.push_back(']');
}

// One RFC 4180 cell: quoted (quotes doubled) when it holds a comma, a quote or a line break.
void append_csv_cell(std::string& b, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    b += s;
    return;
  }
  b.push_back('"');
  for (char ch : s) {
    if (ch == '"') b.push_back('"');
    b.push_back(ch);
  }
  b.push_back('"');
}

// A row of the portal's Export to CSV: CRLF, empty cells for null, portal datetimes.
void write_csv_row(std::string& b, const std::vector<Cell>& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) b.push_back(',');
    if (row[i].kind == Cell::kTime) {
      append_csv_cell(b, portal_time(row[i].micros));
    } else {
      append_csv_cell(b, row[i].text);
    }
  }
  b += "\r\n";
}

// What comes before the first row: `[`, the REST table's name and columns, the CSV header (a
// BOM, datetime columns named `Name [UTC]` and quoted as the portal writes them).
std::string table_head(Table table) {
  std::string head;
  if (table == Table::kAz) head = "[";
  if (table == Table::kRest) {
    head = "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[";
    for (std::size_t i = 0; i < kAksColumnCount; ++i) {
      head += fmt::format("{}{{\"name\":\"{}\",\"type\":\"{}\"}}", i > 0 ? "," : "",
                          kAksColumns[i].name, kAksColumns[i].type);
    }
    head += "],\"rows\":[";
  }
  if (table == Table::kCsv) {
    head = "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < kAksColumnCount; ++i) {
      if (i > 0) head.push_back(',');
      bool datetime = std::string_view(kAksColumns[i].type) == "datetime";
      head += datetime ? fmt::format("\"{} [UTC]\"", kAksColumns[i].name) : kAksColumns[i].name;
    }
    head += "\r\n";
  }
  return head;
}

std::string table_tail(Table table, bool empty) {
  if (table == Table::kAz) return empty ? "]\n" : "\n]\n";
  if (table == Table::kRest) return "]}]}";
  return {};
}

// Writes the AKS-visible events of one request (every stage but RequestReceived) as rows.
void write_aks_rows(Writer& w, Table table, const Client& c, const Request& q,
                    const std::string& id, const std::vector<StageEvent>& events, bool& first) {
  for (const StageEvent& e : events) {
    if (std::string_view(e.stage) == "RequestReceived") continue;
    std::vector<Cell> row = aks_row(c, q, id, e);
    if (table == Table::kCsv) {
      write_csv_row(w.buffer, row);
      continue;
    }
    if (table == Table::kAz) {
      w.buffer += first ? "\n" : ",\n";
      write_az_object(w.buffer, row);
    } else {
      if (!first) w.buffer.push_back(',');
      write_rest_row(w.buffer, row);
    }
    first = false;
  }
}

// "1G", "200M", "64K", "12345"; 0 when malformed.
std::uint64_t parse_size(std::string_view text) {
  std::uint64_t value = 0;
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') value = value * 10 + static_cast<std::uint64_t>(text[i++] - '0');
  if (i == 0) return 0;
  std::string_view suffix = text.substr(i);
  if (suffix == "K" || suffix == "k") value <<= 10;
  else if (suffix == "M" || suffix == "m") value <<= 20;
  else if (suffix == "G" || suffix == "g") value <<= 30;
  else if (!suffix.empty()) return 0;
  return value;
}

constexpr const char* kUsage =
    "usage: kubeblame-gen [--size 100M] [--seed 42] [--format FORMAT] [-o FILE]\n"
    "Writes a deterministic synthetic Kubernetes audit log of about --size bytes (suffix K, M, G)\n"
    "to stdout or FILE: raw audit.k8s.io/v1 Event JSON lines (audit), or AKSAudit rows as\n"
    "`az monitor log-analytics query -o json` prints them (aks-az-json: requests drawn for it\n"
    "alone, --size counts its own bytes). Same arguments, same bytes.\n"
    "The events of `--format audit` (--size counts their raw lines) in another shape: eventlist\n"
    "(an audit EventList), eventhub (an Event Hub `records` document), storage-pt1h (Storage\n"
    "PT1H.json, one diagnostic record per line), and as AKSAudit rows, RequestReceived events\n"
    "left out as AKS does: aksaudit-az-json (`az ... -o json`), aksaudit-rest (a query REST\n"
    "response) and aksaudit-csv (the portal's Export to CSV).\n";

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t size = 100ull << 20;
  std::uint64_t seed = 42;
  std::string format = "audit";
  std::string output;
  for (int i = 1; i < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "kubeblame-gen: %s needs a value\n%s", argv[i], kUsage);
      return 2;
    }
    std::string_view value = argv[i + 1];
    if (flag == "--size") {
      size = parse_size(value);
      if (size == 0) {
        std::fprintf(stderr, "kubeblame-gen: bad --size %s\n", argv[i + 1]);
        return 2;
      }
    } else if (flag == "--seed") {
      if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string_view::npos) {
        std::fprintf(stderr, "kubeblame-gen: bad --seed %s\n", argv[i + 1]);
        return 2;
      }
      seed = std::stoull(std::string(value));
    } else if (flag == "--format") {
      format = value;
    } else if (flag == "-o" || flag == "--output") {
      output = value;
    } else {
      std::fprintf(stderr, "kubeblame-gen: unknown option %s\n%s", argv[i], kUsage);
      return 2;
    }
  }
  Wrap wrap = wrap_of(format);
  Table table = table_of(format);
  if (format != "audit" && format != "aks-az-json" && wrap == Wrap::kNone && table == Table::kNone) {
    std::fprintf(stderr, "kubeblame-gen: unknown --format %s\n", format.c_str());
    return 2;
  }
  Writer w;
  if (!output.empty() && output != "-") {
    w.out = std::fopen(output.c_str(), "wb");
    if (w.out == nullptr) {
      std::fprintf(stderr, "kubeblame-gen: cannot write %s: %s\n", output.c_str(), std::strerror(errno));
      return 2;
    }
  }
  Rng rng{seed * 0x9e3779b97f4a7c15ull + 1};
  std::vector<Client> clients = make_clients();
  Picker picker(clients);
  bool az = format == "aks-az-json";
  if (az) w.buffer += "[\n";
  if (wrap == Wrap::kEventList) {
    w.buffer +=
        "{\"kind\": \"EventList\", \"apiVersion\": \"audit.k8s.io/v1\", \"metadata\": {}, \"items\": [";
  }
  if (wrap == Wrap::kEventHub) w.buffer += "{\"records\": [";
  w.buffer += table_head(table);
  const std::string none;
  std::uint64_t raw_bytes = 0;                // the raw lines' bytes, whatever the shape
  std::int64_t now = 1740470400LL * 1000000;  // 2025-02-25T08:00:00Z
  bool first = true;
  std::uint64_t n = 0;
  while ((az ? w.written + w.buffer.size() : raw_bytes) < size) {
    const Client& c = clients[picker.pick(rng)];
    Request q = make_request(rng, c);
    now += 200 + static_cast<std::int64_t>(rng.below(1600));  // ~1,000 requests per second
    std::string id = fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", rng.next() & 0xffffffff,
                                 rng.next() & 0xffff, rng.next() & 0xfff,
                                 0x8000 | (rng.next() & 0x3fff), rng.next() & 0xffffffffffff);
    std::string body = q.body ? make_body(rng, q, 1500 + rng.below(4000)) : std::string();
    std::int64_t done = now + q.latency_us;
    // A failed authentication is logged once, at ResponseStarted; long-running requests log
    // ResponseStarted when the stream opens and ResponseComplete when it ends.
    std::int64_t started = q.unauthorized ? done : now + 1500;
    if (az) {
      if (q.started) write_az_row(w, c, q, id, "ResponseStarted", now, started, "", first), first = false;
      if (!q.unauthorized) write_az_row(w, c, q, id, "ResponseComplete", now, done, body, first);
      first = false;
    } else {
      std::vector<StageEvent> events;
      if (!q.unauthorized && rng.unit() < 0.1)
        events.push_back({"RequestReceived", now, now, false, &none});
      if (q.started) events.push_back({"ResponseStarted", now, started, true, &none});
      if (!q.unauthorized) events.push_back({"ResponseComplete", now, done, true, &body});
      std::size_t from = w.buffer.size();
      for (const StageEvent& e : events) {
        write_audit_event(w, c, q, id, e.stage, e.received, e.stage_time, e.with_status, *e.body);
      }
      raw_bytes += w.buffer.size() - from;
      if (table == Table::kNone) {
        wrap_events(w, from, wrap, done, first);
      } else {
        w.buffer.resize(from);
        write_aks_rows(w, table, c, q, id, events, first);
      }
    }
    if (w.buffer.size() > (1 << 20)) w.flush();
    ++n;
  }
  if (az) w.buffer += "\n]\n";
  if (wrap == Wrap::kEventList || wrap == Wrap::kEventHub) w.buffer += "\n]}\n";
  w.buffer += table_tail(table, first);
  w.flush();
  if (std::fflush(w.out) != 0 || w.failed || (w.out != stdout && std::fclose(w.out) != 0)) {
    std::fprintf(stderr, "kubeblame-gen: write failed: %s\n", std::strerror(errno));
    return 1;
  }
  std::fprintf(stderr, "kubeblame-gen: %llu requests, %llu bytes\n",
               static_cast<unsigned long long>(n), static_cast<unsigned long long>(w.written));
  return 0;
}
