// The fights report end to end on the repository's samples, through the real pipeline and
// decoders: the incident (ArgoCD vs the Dapr operator on subscriptions.dapr.io) and the
// samples/fights scenario with bodies, without bodies and as an AKSAudit export. The same
// JSON for any thread count and chunk size.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kubeblame/analyze/fights/fight_analyzer.h"
#include "kubeblame/pipeline/run.h"
#include "kubeblame/report/build.h"
#include "kubeblame/report/format.h"
#include "kubeblame/report/render_fights.h"

namespace kubeblame::analyze {
namespace {

std::string sample(std::string_view path) { return std::string(KUBEBLAME_SOURCE_DIR) + "/samples/" + std::string(path); }

report::FightsReport fights_of(const std::vector<std::string>& paths, unsigned threads = 1,
                               std::size_t chunk = 1 << 20, std::size_t top = 20) {
  pipeline::PipelineOptions options;
  options.inputs = paths;
  options.threads = threads;
  options.chunk_size = chunk;
  FightOptions fight_options;
  options.plan.analyzers.push_back(fight_analyzer_factory(fight_options));
  pipeline::RunResult result = pipeline::run(options);
  REQUIRE(result.errors.empty());
  report::InputSummary input = report::build_input_summary(result.merged->stats(), paths);
  return report::build_fights(result.merged->get<FightAnalyzer>(), input, top);
}

std::string time_text(const std::optional<model::TimeNs>& time) {
  return time ? report::format_rfc3339(*time) : "";
}

TEST_CASE("incident sample: ArgoCD vs the Dapr operator on subscriptions.dapr.io", "[fights][sample]") {
  std::vector<std::string> paths = {sample("incident/audit-2025-02-25T08.log.gz"),
                                    sample("incident/audit.log")};
  report::FightsReport report = fights_of(paths);
  REQUIRE(report.rows.size() == 1);
  const report::FightRow& row = report.rows[0];
  CHECK(row.kind == "fight");
  CHECK(row.object == "customresourcedefinitions.apiextensions.k8s.io/subscriptions.dapr.io");
  CHECK(row.namespace_name == "(cluster)");
  CHECK(row.api_group == "apiextensions.k8s.io");
  CHECK(row.object_kind == "CustomResourceDefinition");
  CHECK(row.writes == 226);
  CHECK(row.flips == 225);
  CHECK(row.flips_exact);
  CHECK(row.conflicts == 15);
  CHECK(row.per_hour == Approx(225.0 * 3600 / 6799.495));  // 08:52:17 -> 10:45:36.495
  CHECK(time_text(row.first) == "2025-02-25T08:52:17Z");
  CHECK(time_text(row.last) == "2025-02-25T10:45:36.495Z");
  CHECK(row.pattern == "ABABABABABABABABABABABABABABABAB\xE2\x80\xA6");
  REQUIRE(row.writers.size() == 2);
  CHECK(row.writers[0].writer == "argocd-controller");
  CHECK(row.writers[0].user == "system:serviceaccount:argocd:argocd-application-controller");
  CHECK(row.writers[0].agent == "argocd-application-controller");
  CHECK(row.writers[0].writes == 113);
  CHECK(row.writers[0].conflicts == 0);
  CHECK(row.writers[0].verbs == "patch");
  // The operator's writes with ?fieldManager=dapr-operator and without are one writer.
  CHECK(row.writers[1].writer == "dapr-operator");
  CHECK(row.writers[1].user == "system:serviceaccount:dapr-system:dapr-operator");
  CHECK(row.writers[1].writes == 113);
  CHECK(row.writers[1].conflicts == 15);
  CHECK(row.writers[1].verbs == "update,patch");
  CHECK(row.bodies);
  REQUIRE(row.fields.size() == 2);
  CHECK(row.fields[0].path == ".spec.conversion.webhook.clientConfig.caBundle");
  CHECK(row.fields[0].values[0].value == "\"Cg==\"");
  CHECK(row.fields[0].values[1].value.rfind("\"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t", 0) == 0);
  CHECK(row.fields[1].path == ".spec.conversion.webhook.clientConfig.service.namespace");
  REQUIRE(row.fields[1].values.size() == 2);
  CHECK(row.fields[1].values[0].writer == "argocd-controller");
  CHECK(row.fields[1].values[0].value == "\"replaceme\"");
  CHECK(row.fields[1].values[1].writer == "dapr-operator");
  CHECK(row.fields[1].values[1].value == "\"dapr-system\"");
  CHECK(row.hint ==
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
  // Kubelet leases and status heartbeats are left out; the applications.argoproj.io status
  // writes (30 per hour) and argocd-cm's 6 conflicts stay under the thresholds.
  CHECK(report.excluded.lease_writes == 840);
  CHECK(report.excluded.heartbeat_writes == 68);
  CHECK(report.objects_written == 25);

  std::string expected = report::render_fights_json(report);
  for (unsigned threads : {1u, 2u, 3u}) {
    for (std::size_t chunk : {std::size_t{4096}, std::size_t{65536}}) {
      CAPTURE(threads, chunk);
      CHECK(report::render_fights_json(fights_of(paths, threads, chunk)) == expected);
    }
  }
}

void check_scenario_rows(const report::FightsReport& report, bool bodies) {
  REQUIRE(report.rows.size() == 3);
  const report::FightRow& flux = report.rows[0];
  CHECK(flux.kind == "fight");
  CHECK(flux.object == "deployments.apps/shop/web");
  CHECK(flux.writes == 60);
  CHECK(flux.flips == 59);
  CHECK(flux.conflicts == 6);
  CHECK(flux.per_hour == Approx(59.0 * 3600 / 3495.274));
  CHECK(flux.pattern == "ABABABABABABABABABABABABABABABAB\xE2\x80\xA6");
  REQUIRE(flux.writers.size() == 2);
  CHECK(flux.writers[0].writer == "kustomize-controller");
  CHECK(flux.writers[0].writes == 30);
  CHECK(flux.writers[1].writer ==
        "system:serviceaccount:kube-system:horizontal-pod-autoscaler (kube-controller-manager)");
  CHECK(flux.writers[1].writes == 30);
  CHECK(flux.writers[1].conflicts == 6);
  CHECK(flux.bodies == bodies);
  const report::FightRow& webhook = report.rows[1];
  CHECK(webhook.kind == "fight");
  CHECK(webhook.object == "validatingwebhookconfigurations.admissionregistration.k8s.io/policy-webhook");
  CHECK(webhook.writes == 24);
  CHECK(webhook.flips == 23);
  CHECK(webhook.writers[0].writer == "system:serviceaccount:policy-system:policy-operator (policy-operator)");
  CHECK(webhook.writers[1].writer == "cert-manager-cainjector");
  const report::FightRow& loop = report.rows[2];
  CHECK(loop.kind == "hot-loop");
  CHECK(loop.object == "configmaps/shop/app-settings");
  CHECK(loop.writes == 240);
  CHECK(loop.flips_exact);
  CHECK(loop.per_hour == Approx(240.0 * 3600 / 3585));
  if (bodies) {
    REQUIRE(flux.fields.size() == 1);
    CHECK(flux.fields[0].path == ".spec.replicas");
    CHECK(flux.fields[0].values[0].value == "2");
    CHECK(flux.fields[0].values[1].value == "6");
    CHECK(flux.hint.find("    patch: |\n      - op: remove\n        path: /spec/replicas\n") !=
          std::string::npos);
    REQUIRE(webhook.fields.size() == 1);
    CHECK(webhook.fields[0].path ==
          ".webhooks[] | select(.name == \"validate.policy.acme.io\") | .clientConfig.caBundle");
  } else {
    CHECK(flux.fields.empty());
    CHECK(flux.hint.find("kustomize.toolkit.fluxcd.io/reconcile: disabled") != std::string::npos);
    CHECK(webhook.hint.find("no request bodies") != std::string::npos);
  }
  // Decoys: leases, heartbeats, events, the HPA/kubectl handoff on deployments/api.
  for (const report::FightRow& row : report.rows) {
    CHECK(row.object.find("leases") == std::string::npos);
    CHECK(row.object.find("/status") == std::string::npos);
    CHECK(row.object.find("events") == std::string::npos);
    CHECK(row.object != "deployments.apps/shop/api");
  }
  CHECK(report.excluded.lease_writes == 1080);
  CHECK(report.excluded.heartbeat_writes == 138);
  CHECK(report.excluded.event_writes == 120);
}

TEST_CASE("fights sample with bodies: Flux vs HPA first, webhook fight, hot loop; decoys out",
          "[fights][sample]") {
  report::FightsReport report = fights_of({sample("fights/fight-with-bodies.jsonl")});
  check_scenario_rows(report, true);
  CHECK(report.excluded.leader_lock_writes == 180);
  CHECK(report.objects_written == 8);
}

TEST_CASE("fights sample without bodies: the same fights, bodies=false", "[fights][sample]") {
  report::FightsReport report = fights_of({sample("fights/fight-without-bodies.jsonl")}, 2, 8192, 3);
  check_scenario_rows(report, false);
  // Without bodies the old-style leader lock cannot be told from a loop: the 4th row.
  CHECK(report.other_rows == 1);
  CHECK(report.excluded.leader_lock_writes == 0);
}

TEST_CASE("fights sample as AKSAudit az -o json: the same result", "[fights][sample]") {
  report::FightsReport aks = fights_of({sample("fights/fight-aksaudit-az.json")}, 2, 16384);
  check_scenario_rows(aks, true);
  CHECK(aks.rows[0].bodies_too_big == 7);
  report::FightsReport raw = fights_of({sample("fights/fight-with-bodies.jsonl")});
  for (std::size_t i = 0; i < raw.rows.size(); ++i) {
    report::FightRow a = aks.rows[i];
    a.bodies_too_big = raw.rows[i].bodies_too_big;
    report::FightsReport one;
    report::FightsReport two;
    one.rows = {a};
    two.rows = {raw.rows[i]};
    CHECK(report::render_fights_json(one) == report::render_fights_json(two));
  }
}

}  // namespace
}  // namespace kubeblame::analyze
