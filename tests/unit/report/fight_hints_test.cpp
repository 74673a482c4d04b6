// Remediation hints: exact YAML for ArgoCD, Flux kustomize-controller and helm-controller,
// sentences otherwise, Kind lookup and guessing, and YAML that stays valid with hostile names.
#include "kubeblame/report/fight_hints.h"

#include <catch2/catch.hpp>

namespace kubeblame::report {
namespace {

report::FightRow crd_row() {
  report::FightRow row;
  row.kind = "fight";
  row.resource = "customresourcedefinitions.apiextensions.k8s.io";
  row.namespace_name = "(cluster)";
  row.name = "subscriptions.dapr.io";
  row.api_group = "apiextensions.k8s.io";
  row.object_kind = "CustomResourceDefinition";
  row.bodies = true;
  row.writers = {
      {"argocd-controller", "system:serviceaccount:argocd:argocd-application-controller",
       "argocd-application-controller", 113, 0, "patch", 'A'},
      {"dapr-operator", "system:serviceaccount:dapr-system:dapr-operator", "dapr-operator", 113, 15,
       "update,patch", 'B'},
  };
  row.fields = {
      {".spec.conversion.webhook.clientConfig.caBundle",
       {{"argocd-controller", "\"Cg==\"", 'A'}, {"dapr-operator", "\"LS0t\"", 'B'}}},
      {".spec.conversion.webhook.clientConfig.service.namespace",
       {{"argocd-controller", "\"replaceme\"", 'A'}, {"dapr-operator", "\"dapr-system\"", 'B'}}},
  };
  return row;
}

TEST_CASE("ArgoCD hint: ignoreDifferences with jqPathExpressions", "[fights]") {
  CHECK(fight_hint(crd_row()) ==
        "# ArgoCD (argocd-controller) keeps reverting what dapr-operator sets.\n"
        "# In the Application (or ApplicationSet template) that deploys this object:\n"
        "spec:\n"
        "  ignoreDifferences:\n"
        "  - group: apiextensions.k8s.io\n"
        "    kind: CustomResourceDefinition\n"
        "    name: subscriptions.dapr.io\n"
        "    jqPathExpressions:\n"
        "    - .spec.conversion.webhook.clientConfig.caBundle\n"
        "    - .spec.conversion.webhook.clientConfig.service.namespace\n"
        "  syncPolicy:\n"
        "    syncOptions:\n"
        "    - RespectIgnoreDifferences=true\n");
}

TEST_CASE("ArgoCD hint: core group, namespace, guessed kind, no bodies", "[fights]") {
  report::FightRow row = crd_row();
  row.resource = "widgets.acme.io";
  row.api_group = "acme.io";
  row.object_kind = "Widget";
  row.namespace_name = "shop";
  row.name = "w1";
  row.fields.clear();
  row.bodies = false;
  row.writers[1] = {"system:serviceaccount:shop:widget-operator (widget-operator)",
                    "system:serviceaccount:shop:widget-operator", "widget-operator", 4, 0, "update", 'B'};
  CHECK(fight_hint(row) ==
        "# ArgoCD (argocd-controller) keeps reverting what "
        "system:serviceaccount:shop:widget-operator (widget-operator) sets.\n"
        "# In the Application (or ApplicationSet template) that deploys this object:\n"
        "spec:\n"
        "  ignoreDifferences:\n"
        "  - group: acme.io\n"
        "    kind: Widget  # guessed from the resource name\n"
        "    name: w1\n"
        "    namespace: shop\n"
        "    # no request bodies: the contested fields are unknown; ignore those owned by\n"
        "    # the other writer's field manager\n"
        "    managedFieldsManagers:\n"
        "    - widget-operator\n"
        "  syncPolicy:\n"
        "    syncOptions:\n"
        "    - RespectIgnoreDifferences=true\n");
  row.resource = "configmaps";
  row.api_group = "";
  row.object_kind = "ConfigMap";
  CHECK(fight_hint(row).find("  - group: \"\"\n    kind: ConfigMap\n") != std::string::npos);
}

TEST_CASE("hostile names stay valid YAML scalars", "[fights]") {
  report::FightRow row = crd_row();
  row.name = "a: b #c\nd";
  row.writers[1].writer = "evil\nspec: {}";
  row.fields[0].path = R"(.metadata.annotations["x: y"])";
  row.fields.resize(1);
  std::string hint = fight_hint(row);
  CHECK(hint.find("    name: \"a: b #c\\nd\"\n") != std::string::npos);
  CHECK(hint.find("what evil?spec: {} sets.\n") != std::string::npos);
  CHECK(hint.find("    - \".metadata.annotations[\\\"x: y\\\"]\"\n") != std::string::npos);
  row.name = "true";
  CHECK(fight_hint(row).find("    name: \"true\"\n") != std::string::npos);
  row.name = "0123";
  CHECK(fight_hint(row).find("    name: \"0123\"\n") != std::string::npos);
}

TEST_CASE("Flux kustomize-controller and helm-controller hints", "[fights]") {
  report::FightRow row;
  row.kind = "fight";
  row.resource = "deployments.apps";
  row.namespace_name = "shop";
  row.name = "web";
  row.api_group = "apps";
  row.object_kind = "Deployment";
  row.bodies = true;
  row.writers = {{"kustomize-controller", "system:serviceaccount:flux-system:kustomize-controller",
                  "kustomize-controller", 30, 0, "patch", 'A'},
                 {"hpa (kube-controller-manager)", "hpa", "kube-controller-manager", 30, 6, "update", 'B'}};
  row.fields = {{".spec.replicas", {{"kustomize-controller", "2", 'A'}, {"hpa", "6", 'B'}}},
                {R"(.spec.template.spec.containers[] | select(.name == "web") | .image)",
                 {{"kustomize-controller", "\"a\"", 'A'}, {"hpa", "\"b\"", 'B'}}}};
  CHECK(fight_hint(row) ==
        "# Flux (kustomize-controller) re-applies what hpa (kube-controller-manager) changes.\n"
        "# In the Kustomization that applies it, drop the contested fields from the manifest\n"
        "# so Flux no longer owns them:\n"
        "spec:\n"
        "  patches:\n"
        "  - target:\n"
        "      group: apps\n"
        "      kind: Deployment\n"
        "      name: web\n"
        "      namespace: shop\n"
        "    patch: |\n"
        "      - op: remove\n"
        "        path: /spec/replicas\n"
        "# also remove .spec.template.spec.containers[] | select(.name == \"web\") | .image\n"
        "# or stop Flux reconciling the object with the annotation\n"
        "# kustomize.toolkit.fluxcd.io/reconcile: disabled\n");
  row.writers[0] = {"helm-controller", "system:serviceaccount:flux-system:helm-controller",
                    "helm-controller", 30, 0, "patch", 'A'};
  row.fields.resize(1);
  CHECK(fight_hint(row) ==
        "# Flux (helm-controller) corrects the drift hpa (kube-controller-manager) makes.\n"
        "# In the HelmRelease that installs this object:\n"
        "spec:\n"
        "  driftDetection:\n"
        "    mode: enabled\n"
        "    ignore:\n"
        "    - paths:\n"
        "      - /spec/replicas\n"
        "      target:\n"
        "        group: apps\n"
        "        kind: Deployment\n"
        "        name: web\n"
        "        namespace: shop\n"
        "# and set the chart values so an upgrade does not set the fields again\n");
}

TEST_CASE("Helm and other writers get one sentence", "[fights]") {
  report::FightRow row = crd_row();
  row.writers[0] = {"helm", "ci-bot", "Helm", 5, 0, "patch", 'A'};
  CHECK(fight_hint(row) ==
        "Helm (helm) and dapr-operator keep overwriting .spec.conversion.webhook.clientConfig.caBundle "
        "(argocd-controller sets \"Cg==\", dapr-operator sets \"LS0t\") and 1 more field: set the "
        "chart value to what the other writer needs, or remove the field from the chart's "
        "templates so helm upgrade stops setting it.");
  row.writers[0] = {"op-a", "a", "a", 5, 0, "patch", 'A'};
  row.fields.resize(1);
  CHECK(fight_hint(row) ==
        "op-a and dapr-operator keep overwriting .spec.conversion.webhook.clientConfig.caBundle "
        "(argocd-controller sets \"Cg==\", dapr-operator sets \"LS0t\"): decide which one owns the "
        "field and configure the other to leave it alone.");
  row.fields.clear();
  row.bodies = false;
  CHECK(fight_hint(row) ==
        "op-a and dapr-operator keep rewriting this object; the audit log has no request bodies "
        "for it: log customresourcedefinitions.apiextensions.k8s.io writes at level Request to see "
        "the fields, or compare metadata.managedFields.");
}

TEST_CASE("kinds: well-known table and singularized guesses", "[fights]") {
  CHECK(kind_for_resource("customresourcedefinitions", "apiextensions.k8s.io").kind ==
        "CustomResourceDefinition");
  CHECK_FALSE(kind_for_resource("customresourcedefinitions", "apiextensions.k8s.io").guessed);
  CHECK(kind_for_resource("deployments", "apps").kind == "Deployment");
  CHECK(kind_for_resource("configmaps", "").kind == "ConfigMap");
  CHECK(kind_for_resource("ingresses", "networking.k8s.io").kind == "Ingress");
  CHECK(kind_for_resource("apiservices", "apiregistration.k8s.io").kind == "APIService");
  KindGuess guess = kind_for_resource("subscriptions", "dapr.io");
  CHECK(guess.kind == "Subscription");
  CHECK(guess.guessed);
  CHECK(kind_for_resource("policies", "acme.io").kind == "Policy");
  CHECK(kind_for_resource("gatewayclasses", "acme.io").kind == "Gatewayclass");
  CHECK(kind_for_resource("boxes", "acme.io").kind == "Box");
  CHECK(kind_for_resource("patches", "acme.io").kind == "Patch");
  CHECK(kind_for_resource("status", "acme.io").kind == "Statu");  // the guess is only a guess
  CHECK(kind_for_resource("", "acme.io").kind.empty());
}

TEST_CASE("writer tools", "[fights]") {
  CHECK(writer_tool({"argocd-controller", "u", "x", 1, 0, "", 'A'}) == WriterTool::kArgoCd);
  CHECK(writer_tool({"u (argocd-application-controller)", "u", "argocd-application-controller", 1, 0, "", 'A'}) ==
        WriterTool::kArgoCd);
  CHECK(writer_tool({"kustomize-controller", "u", "x", 1, 0, "", 'A'}) == WriterTool::kFluxKustomize);
  CHECK(writer_tool({"helm-controller", "u", "x", 1, 0, "", 'A'}) == WriterTool::kFluxHelm);
  CHECK(writer_tool({"u (Helm)", "u", "Helm", 1, 0, "", 'A'}) == WriterTool::kHelm);
  CHECK(writer_tool({"kubectl-edit", "u", "kubectl", 1, 0, "", 'A'}) == WriterTool::kOther);
}

TEST_CASE("hot-loop and conflict hints", "[fights]") {
  report::FightRow row;
  row.kind = "hot-loop";
  row.resource = "configmaps";
  row.per_hour = 240.6;
  row.bodies = true;
  row.writers = {{"syncer (syncer)", "syncer", "syncer", 240, 0, "update", 'A'}};
  CHECK(hot_loop_hint(row) ==
        "syncer (syncer) rewrites this object 241 times per hour: its reconcile loop never "
        "converges (a defaulted field, a timestamp or a value it recomputes on every pass); "
        "compare two consecutive versions of the object.");
  row.bodies = false;
  CHECK(hot_loop_hint(row).find("old-style leader-election lock") != std::string::npos);
  row.writers[0].agent = "argocd-application-controller";
  CHECK(hot_loop_hint(row).find("ArgoCD (syncer (syncer)) re-syncs this object 241 times per hour") == 0);
  row.kind = "conflicts";
  row.conflicts = 12;
  CHECK(fight_hint(row).find("syncer (syncer) got 12 409 Conflicts on this object") == 0);
}

}  // namespace
}  // namespace kubeblame::report
