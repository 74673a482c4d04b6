// DimensionValues: the dimension rules of docs/counting.md, read off hand-built events.
#include "kubeblame/analyze/dimension.h"

#include <string>

#include "kubeblame/analyze/errors/signature.h"

#include <catch2/catch.hpp>

namespace kubeblame::analyze {
namespace {

struct Values {
  explicit Values(const model::AuditEvent& event) { values.reset(event); }
  std::string get(Dimension d) { return std::string(values.get(d)); }
  DimensionValues values;
};

model::AuditEvent resource_event(std::string_view verb, std::string_view resource,
                                 std::string_view ns, std::string_view name,
                                 std::string_view group = "", std::string_view sub = "") {
  model::AuditEvent e;
  e.verb = verb;
  e.has_object_ref = true;
  e.object_ref.resource = resource;
  e.object_ref.namespace_name = ns;
  e.object_ref.name = name;
  e.object_ref.api_group = group;
  e.object_ref.subresource = sub;
  return e;
}

TEST_CASE("agent is the user agent's product", "[analyze][dimension]") {
  struct Case {
    std::string_view user_agent, agent;
  };
  const Case cases[] = {
      {"argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format",
       "argocd-application-controller"},
      {"kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:generic-garbage-collector",
       "kube-controller-manager"},
      {"kubectl", "kubectl"},
      {"Go-http-client /1.1", "Go-http-client"},
      {"v2.6.0", "v2.6.0"},
      {"/leading-slash", "(none)"},
      {"", "(none)"},
  };
  for (const Case& c : cases) {
    model::AuditEvent e;
    e.user_agent = c.user_agent;
    Values v(e);
    INFO(c.user_agent);
    CHECK(v.get(Dimension::kAgent) == c.agent);
    CHECK(v.get(Dimension::kUserAgent) == (c.user_agent.empty() ? "(none)" : c.user_agent));
  }
}

TEST_CASE("user, impersonated user, verb, code, source IP", "[analyze][dimension]") {
  model::AuditEvent e;
  Values empty(e);
  for (Dimension d : {Dimension::kUser, Dimension::kImpersonatedUser, Dimension::kVerb,
                      Dimension::kCode, Dimension::kSourceIp}) {
    CHECK(empty.get(d) == "(none)");
  }
  e.username = "system:serviceaccount:argocd:argocd-application-controller";
  e.impersonated_user = "bob";
  e.verb = "patch";
  e.code = 409;
  e.source_ip = "10.0.0.7";
  Values v(e);
  CHECK(v.get(Dimension::kUser) == "system:serviceaccount:argocd:argocd-application-controller");
  CHECK(v.get(Dimension::kImpersonatedUser) == "bob");
  CHECK(v.get(Dimension::kVerb) == "patch");
  CHECK(v.get(Dimension::kCode) == "409");
  CHECK(v.get(Dimension::kSourceIp) == "10.0.0.7");
}

TEST_CASE("resource is kubectl style; non-resource URLs are their path", "[analyze][dimension]") {
  CHECK(Values(resource_event("get", "pods", "a", "p")).get(Dimension::kResource) == "pods");
  CHECK(Values(resource_event("patch", "pods", "a", "p", "", "status")).get(Dimension::kResource) ==
        "pods/status");
  CHECK(Values(resource_event("update", "deployments", "a", "d", "apps", "scale"))
            .get(Dimension::kResource) == "deployments.apps/scale");
  CHECK(Values(resource_event("patch", "customresourcedefinitions", "", "subscriptions.dapr.io",
                              "apiextensions.k8s.io"))
            .get(Dimension::kResource) == "customresourcedefinitions.apiextensions.k8s.io");
  model::AuditEvent health;
  health.verb = "get";
  health.request_uri = "/healthz?verbose=1";
  CHECK(Values(health).get(Dimension::kResource) == "/healthz");
  health.request_uri = "/apis";
  CHECK(Values(health).get(Dimension::kResource) == "/apis");
  health.request_uri = "";
  CHECK(Values(health).get(Dimension::kResource) == "(none)");
  model::AuditEvent partial = resource_event("get", "", "", "");
  partial.request_uri = "/openapi/v2?timeout=32s";
  CHECK(Values(partial).get(Dimension::kResource) == "/openapi/v2");
}

TEST_CASE("namespace and name: (cluster), (all), (none)", "[analyze][dimension]") {
  struct Case {
    model::AuditEvent event;
    std::string ns, name, object;
  };
  model::AuditEvent non_resource;
  non_resource.verb = "get";
  non_resource.request_uri = "/healthz";
  const Case cases[] = {
      {resource_event("get", "deployments", "prod", "web", "apps"), "prod", "web",
       "deployments.apps/prod/web"},
      {resource_event("list", "pods", "", ""), "(all)", "(all)", "pods/(all)/(all)"},
      {resource_event("watch", "configmaps", "", ""), "(all)", "(all)", "configmaps/(all)/(all)"},
      {resource_event("list", "pods", "kube-system", ""), "kube-system", "(all)",
       "pods/kube-system/(all)"},
      {resource_event("get", "nodes", "", "node-1"), "(cluster)", "node-1", "nodes/node-1"},
      {resource_event("list", "nodes", "", ""), "(cluster)", "(all)", "nodes/(all)"},
      {resource_event("patch", "customresourcedefinitions", "", "subscriptions.dapr.io",
                      "apiextensions.k8s.io"),
       "(cluster)", "subscriptions.dapr.io",
       "customresourcedefinitions.apiextensions.k8s.io/subscriptions.dapr.io"},
      {resource_event("list", "clusterroles", "", "", "rbac.authorization.k8s.io"), "(cluster)",
       "(all)", "clusterroles.rbac.authorization.k8s.io/(all)"},
      // a namespaced-looking resource fetched by name without a namespace: cluster scoped
      {resource_event("get", "widgets", "", "w1", "example.com"), "(cluster)", "w1",
       "widgets.example.com/w1"},
      {resource_event("create", "pods", "a", ""), "a", "(none)", "pods/a/(none)"},
      {non_resource, "(none)", "(none)", "/healthz"},
  };
  for (const Case& c : cases) {
    Values v(c.event);
    INFO(c.object);
    CHECK(v.get(Dimension::kNamespace) == c.ns);
    CHECK(v.get(Dimension::kName) == c.name);
    CHECK(v.get(Dimension::kObject) == c.object);
  }
}

TEST_CASE("DimensionValues::reset recomputes for the next event", "[analyze][dimension]") {
  model::AuditEvent a = resource_event("update", "deployments", "x", "d", "apps", "scale");
  a.code = 200;
  model::AuditEvent b = resource_event("get", "secrets", "y", "s");
  b.code = 404;
  DimensionValues values;
  values.reset(a);
  CHECK(values.get(Dimension::kResource) == "deployments.apps/scale");
  CHECK(values.get(Dimension::kObject) == "deployments.apps/scale/x/d");
  CHECK(values.get(Dimension::kCode) == "200");
  values.reset(b);
  CHECK(values.get(Dimension::kResource) == "secrets");
  CHECK(values.get(Dimension::kObject) == "secrets/y/s");
  CHECK(values.get(Dimension::kCode) == "404");
}

TEST_CASE("dimension names round-trip", "[analyze][dimension]") {
  for (std::size_t i = 0; i < kDimensionCount; ++i) {
    auto d = static_cast<Dimension>(i);
    CHECK(parse_dimension(dimension_name(d)) == d);
  }
  CHECK_FALSE(parse_dimension("Agent").has_value());
  CHECK_FALSE(parse_dimension("").has_value());
  CHECK(dimension_list() ==
        "agent, user_agent, user, impersonated_user, verb, resource, namespace, name, object, "
        "code, source_ip, error, webhook, priority_level, flow_schema");
  CHECK(is_cluster_scoped("namespaces", ""));
  CHECK_FALSE(is_cluster_scoped("namespaces", "example.com"));
  CHECK_FALSE(is_cluster_scoped("pods", ""));
}

}  // namespace
}  // namespace kubeblame::analyze

namespace kubeblame::analyze {
namespace {

TEST_CASE("error is the audit signature, (ok) below 400", "[analyze][dimension]") {
  model::AuditEvent ok;
  ok.code = 200;
  CHECK(Values(ok).get(Dimension::kError) == "(ok)");
  model::AuditEvent redirect;
  redirect.code = 399;
  CHECK(Values(redirect).get(Dimension::kError) == "(ok)");

  model::AuditEvent conflict;
  conflict.code = 409;
  conflict.reason = "Conflict";
  conflict.message =
      "Operation cannot be fulfilled on configmaps \"argocd-cm\": the object has been modified; "
      "please apply your changes to the latest version and try again";
  model::AuditEvent other_conflict = conflict;
  other_conflict.message =
      "Operation cannot be fulfilled on leases.coordination.k8s.io \"kube-scheduler\": the object "
      "has been modified; please apply your changes to the latest version and try again";
  std::string signature = Values(conflict).get(Dimension::kError);
  CHECK(signature == audit_signature(409, "Conflict", conflict.message));
  CHECK(signature.rfind("409 Conflict: ", 0) == 0);
  CHECK(signature.find("argocd-cm") == std::string::npos);
  // One failure mode, one value, whatever the object.
  CHECK(Values(other_conflict).get(Dimension::kError) == signature);

  model::AuditEvent forbidden = conflict;
  forbidden.code = 403;
  forbidden.reason = "Forbidden";
  forbidden.message = "pods is forbidden: User \"bob\" cannot list resource \"pods\"";
  CHECK(Values(forbidden).get(Dimension::kError) != signature);
}

}  // namespace
}  // namespace kubeblame::analyze
