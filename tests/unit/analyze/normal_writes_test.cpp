// The normal-writes catalog: a controller writing the object it owns at its documented period is
// left out and counted per entry; the same writer much faster is still a hot loop whose hint
// names the period; other writers, kubelet heartbeats and fights are untouched by the catalog;
// and every entry is documented in docs/normal-writes.md.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kubeblame/analyze/fights/normal_writes.h"
#include "kubeblame/analyze/where_clause.h"
#include "kubeblame/report/render_fights.h"
#include "fight_feeder.h"

namespace kubeblame::analyze {
namespace {

constexpr std::string_view kHpaUser = "system:serviceaccount:kube-system:horizontal-pod-autoscaler";
constexpr std::string_view kHpaAgent =
    "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/"
    "system:serviceaccount:kube-system:horizontal-pod-autoscaler";

std::size_t entry_index(std::string_view id) {
  for (std::size_t i = 0; i < kNormalWriteCount; ++i) {
    if (normal_writes()[i].id == id) return i;
  }
  FAIL("no catalog entry " << id);
  return kNormalWriteCount;
}

// `count` writes of one object, `step` apart, by `user` with `agent`.
std::vector<Write> steady(Write w, int count, model::TimeNs step) {
  std::vector<Write> writes;
  for (int i = 0; i < count; ++i) {
    w.time = kT0 + i * step;
    writes.push_back(w);
  }
  return writes;
}

Write hpa_status() {
  Write w;
  w.verb = "update";
  w.resource = "horizontalpodautoscalers";
  w.group = "autoscaling";
  w.subresource = "status";
  w.name = "web";
  w.user = std::string(kHpaUser);
  w.agent = std::string(kHpaAgent);
  return w;
}

Write endpoint_slice() {
  Write w;
  w.verb = "update";
  w.resource = "endpointslices";
  w.group = "discovery.k8s.io";
  w.name = "web-x7k2p";
  w.user = "system:serviceaccount:kube-system:endpointslice-controller";
  w.agent = "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/"
            "system:serviceaccount:kube-system:endpointslice-controller";
  return w;
}

std::uint64_t total_normal_writes(const report::FightsReport& report) {
  std::uint64_t total = 0;
  for (const NormalWriteCount& count : report.excluded.normal_writes) total += count.writes;
  return total;
}

TEST_CASE("HPA status every 15 s for an hour is left out and counted", "[fights][normal]") {
  report::FightsReport report = run(steady(hpa_status(), 240, 15 * kS));
  CHECK(report.rows.empty());
  CHECK(report.objects_written == 1);
  CHECK(report.writes == 240);
  const NormalWriteCount& count = report.excluded.normal_writes[entry_index("hpa-status")];
  CHECK(count.writes == 240);
  CHECK(count.objects == 1);
  CHECK(total_normal_writes(report) == 240);
  CHECK(report::fights_excluded_line(report) ==
        "left out as normal traffic: 240 HPA status writes (every 15 s, 1 object)");
  std::string json = report::render_fights_json(report);
  CHECK(json.find("\"leader_lock_writes\":0,\"normal_writes\":{\"hpa-status\":{\"writes\":240,"
                  "\"objects\":1},\"cluster-autoscaler-status\":{\"writes\":0,\"objects\":0},") !=
        std::string::npos);

  // Up to 1.5 times the documented rate is still normal: every 11 s is 1.37 times.
  report = run(steady(hpa_status(), 328, 11 * kS));
  CHECK(report.rows.empty());
  CHECK(report.excluded.normal_writes[entry_index("hpa-status")].writes == 328);
  // Every 9 s is 1.67 times: reported.
  report = run(steady(hpa_status(), 400, 9 * kS));
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].normal_write_factor == Approx(400.0 * 3600 / 3591 / 240));

  // The same status written by someone else is not the HPA controller's sync: a hot loop.
  Write other = hpa_status();
  other.user = "system:serviceaccount:tools:hpa-mirror";
  other.agent = "hpa-mirror/v0.1";
  report = run(steady(other, 240, 15 * kS));
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].kind == "hot-loop");
  CHECK(report.rows[0].object == "horizontalpodautoscalers.autoscaling/status/shop/web");
  CHECK_FALSE(report.rows[0].normal_write);
  CHECK(report.rows[0].hint.find("its reconcile loop never converges") != std::string::npos);
  CHECK(total_normal_writes(report) == 0);
}

TEST_CASE("the HPA controller writing status every 2 s is a hot loop naming its 15 s period",
          "[fights][normal]") {
  report::FightsReport report = run(steady(hpa_status(), 1800, 2 * kS));
  REQUIRE(report.rows.size() == 1);
  const report::FightRow& row = report.rows[0];
  CHECK(row.kind == "hot-loop");
  CHECK(row.writes == 1800);
  CHECK(row.per_hour == Approx(1800.0 * 3600 / 3598));
  REQUIRE(row.normal_write);
  CHECK(*row.normal_write == entry_index("hpa-status"));
  CHECK(row.normal_write_factor == Approx(1800.0 * 3600 / 3598 / 240));
  CHECK(row.hint.find(
            "system:serviceaccount:kube-system:horizontal-pod-autoscaler (kube-controller-manager) "
            "rewrites this object 1801 times per hour, 7.5x the documented rate of HPA status "
            "writes (every 15 s: kube-controller-manager --horizontal-pod-autoscaler-sync-period "
            "(default 15s)") == 0);
  CHECK(row.hint.find("Likely cause: something keeps changing the HPA itself") != std::string::npos);
  CHECK(total_normal_writes(report) == 0);
  CHECK(report::fights_excluded_line(report).empty());
  std::string json = report::render_fights_json(report);
  CHECK(json.find("\"normal_write\":{\"entry\":\"hpa-status\",\"period_s\":15,"
                  "\"times_faster\":7.504}") != std::string::npos);
}

TEST_CASE("kubelet node status heartbeats stay left out before detection", "[fights][normal]") {
  Write node;
  node.verb = "patch";
  node.resource = "nodes";
  node.subresource = "status";
  node.ns.clear();
  node.name = "aks-system-31415926-vmss000000";
  node.user = "system:node:aks-system-31415926-vmss000000";
  node.agent = "kubelet/v1.29.2 (linux/amd64) kubernetes/4b8e819";
  // nodeStatusUpdateFrequency 10 s for an hour: counted once, as heartbeats, not in the catalog.
  report::FightsReport report = run(steady(node, 360, 10 * kS));
  CHECK(report.rows.empty());
  CHECK(report.objects_written == 0);
  CHECK(report.excluded.heartbeat_writes == 360);
  CHECK(total_normal_writes(report) == 0);
  CHECK(report::fights_excluded_line(report) == "left out as normal traffic: 360 kubelet status heartbeats");
  // A controller writing node status at the kubelet's period owns no catalog entry: a hot loop.
  node.user = "system:serviceaccount:kube-system:node-labeller";
  node.agent = "node-labeller/v2";
  report = run(steady(node, 360, 10 * kS));
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].kind == "hot-loop");
  CHECK_FALSE(report.rows[0].normal_write);
  CHECK(report.excluded.heartbeat_writes == 0);
}

TEST_CASE("EndpointSlice updates on pod churn", "[fights][normal]") {
  // Pods behind the Service change every 20 s: normal churn, left out.
  report::FightsReport report = run(steady(endpoint_slice(), 180, 20 * kS));
  CHECK(report.rows.empty());
  const NormalWriteCount& count = report.excluded.normal_writes[entry_index("endpointslices")];
  CHECK(count.writes == 180);
  CHECK(count.objects == 1);
  CHECK(report::fights_excluded_line(report) ==
        "left out as normal traffic: 180 EndpointSlice writes on pod churn (up to every 10 s, 1 "
        "object)");
  // Two slices of one Service, both churning: two objects in one count.
  std::vector<Write> writes = steady(endpoint_slice(), 180, 20 * kS);
  Write second = endpoint_slice();
  second.name = "web-q9m4c";
  for (Write& w : steady(second, 120, 30 * kS)) writes.push_back(w);
  report = run(writes);
  CHECK(report.rows.empty());
  CHECK(report.excluded.normal_writes[entry_index("endpointslices")].writes == 300);
  CHECK(report.excluded.normal_writes[entry_index("endpointslices")].objects == 2);
  // Every 3 s, 3.3 times one change per readiness probe period: reported, pointing at the pods.
  report = run(steady(endpoint_slice(), 1200, 3 * kS));
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].object == "endpointslices.discovery.k8s.io/shop/web-x7k2p");
  CHECK(report.rows[0].hint.find("3.3x the documented rate of EndpointSlice writes on pod churn "
                                 "(up to every 10 s:") != std::string::npos);
  CHECK(report.rows[0].hint.find("look at those pods, not at the controller.") != std::string::npos);
  // A mesh operator rewriting the slice every 20 s is not the EndpointSlice controller.
  Write mesh = endpoint_slice();
  mesh.user = "system:serviceaccount:mesh-system:mesh-operator";
  mesh.agent = "mesh-operator/v1.4";
  report = run(steady(mesh, 180, 20 * kS));
  REQUIRE(report.rows.size() == 1);
  CHECK_FALSE(report.rows[0].normal_write);
}

TEST_CASE("fights are never left out by the catalog", "[fights][normal]") {
  // ArgoCD applies replicas: 2 to an HPA-owned Deployment every minute, the HPA scales it back
  // through deployments/scale 15 s later.
  std::vector<Write> writes;
  for (int i = 0; i < 60; ++i) {
    Write argo = by("argocd-application-controller", kT0 + i * 60 * kS);
    argo.resource = "deployments";
    argo.group = "apps";
    argo.name = "web";
    argo.manager = "argocd-controller";
    writes.push_back(argo);
    Write hpa = hpa_status();
    hpa.resource = "deployments";
    hpa.group = "apps";
    hpa.subresource = "scale";
    hpa.time = argo.time + 15 * kS;
    writes.push_back(hpa);
  }
  report::FightsReport report = run(writes);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].kind == "fight");
  CHECK(report.rows[0].object == "deployments.apps/shop/web");
  CHECK(report.rows[0].flips == 119);
  CHECK(total_normal_writes(report) == 0);
  // KEDA and the HPA controller both writing the HPA's status, taking turns every 15 s: the
  // HPA controller's own pattern, but two writers alternating is a fight.
  writes = steady(hpa_status(), 240, 15 * kS);
  for (std::size_t i = 1; i < writes.size(); i += 2) {
    writes[i].user = "system:serviceaccount:keda:keda-operator";
    writes[i].agent = "keda/v2.13";
  }
  report = run(writes);
  REQUIRE(report.rows.size() == 1);
  CHECK(report.rows[0].kind == "fight");
  CHECK(report.rows[0].object == "horizontalpodautoscalers.autoscaling/status/shop/web");
  CHECK_FALSE(report.rows[0].normal_write);
  CHECK(total_normal_writes(report) == 0);
}

TEST_CASE("catalog entries match their resource, namespace, name and writer", "[fights][normal]") {
  auto match = [](std::string_view resource, std::string_view ns, std::string_view name,
                  std::string_view user, std::string_view agent = "", std::string_view manager = "") {
    std::size_t index = match_normal_write(resource, ns, name, user, agent, manager);
    return index == kNormalWriteCount ? std::string_view("none") : normal_writes()[index].id;
  };
  CHECK(match("horizontalpodautoscalers.autoscaling/status", "shop", "web", kHpaUser) == "hpa-status");
  CHECK(match("horizontalpodautoscalers.autoscaling/status", "shop", "web",
              "system:kube-controller-manager") == "hpa-status");
  CHECK(match("horizontalpodautoscalers.autoscaling", "shop", "web", kHpaUser) == "none");
  CHECK(match("configmaps", "kube-system", "cluster-autoscaler-status",
              "system:serviceaccount:kube-system:cluster-autoscaler") == "cluster-autoscaler-status");
  CHECK(match("configmaps", "kube-system", "cluster-autoscaler-status", "aks-managed",
              "cluster-autoscaler") == "cluster-autoscaler-status");
  CHECK(match("configmaps", "kube-system", "cluster-autoscaler-status-lock",
              "system:serviceaccount:kube-system:cluster-autoscaler") == "none");
  CHECK(match("configmaps", "shop", "cluster-autoscaler-status",
              "system:serviceaccount:kube-system:cluster-autoscaler") == "none");
  CHECK(match("endpoints", "shop", "web", "system:serviceaccount:kube-system:endpoint-controller") ==
        "endpoints");
  CHECK(match("cronjobs.batch/status", "shop", "nightly",
              "system:serviceaccount:kube-system:cronjob-controller") == "cronjob-status");
  CHECK(match("jobs.batch/status", "shop", "nightly-28467",
              "system:serviceaccount:kube-system:job-controller") == "job-status");
  CHECK(match("jobs.batch/status", "shop", "nightly-28467",
              "system:serviceaccount:kube-system:cronjob-controller") == "none");
  CHECK(match("verticalpodautoscalers.autoscaling.k8s.io/status", "shop", "web",
              "system:serviceaccount:kube-system:vpa-recommender") == "vpa-status");
  CHECK(match("verticalpodautoscalercheckpoints.autoscaling.k8s.io", "shop", "web-web",
              "system:serviceaccount:vpa:vpa-recommender") == "vpa-checkpoints");

  // Patterns are globs: the service account's namespace may vary, the name may not.
  CHECK(match("verticalpodautoscalers.autoscaling.k8s.io/status", "shop", "web",
              "system:serviceaccount:kube-system:vpa-recommender-2") == "none");
}

TEST_CASE("every catalog entry is complete and documented", "[fights][normal]") {
  std::ifstream in(std::string(KUBEBLAME_SOURCE_DIR) + "/docs/normal-writes.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  std::set<std::string_view> ids;
  for (const NormalWrite& entry : normal_writes()) {
    INFO(entry.id);
    CHECK(ids.insert(entry.id).second);
    CHECK_FALSE(entry.label.empty());
    CHECK_FALSE(entry.resource.empty());
    CHECK(entry.period_seconds > 0);
    CHECK_FALSE(entry.period_text.empty());
    CHECK_FALSE(entry.source.empty());
    CHECK_FALSE(entry.when_faster.empty());
    CHECK(doc.find("`" + std::string(entry.id) + "`") != std::string::npos);
    CHECK(doc.find("`" + std::string(entry.resource) + "`") != std::string::npos);
    for (const NormalWritePatterns* patterns : {&entry.users, &entry.agents, &entry.managers}) {
      for (std::string_view pattern : *patterns) CHECK(glob_is_valid(pattern));
    }
    CHECK(glob_is_valid(entry.namespace_pattern));
    CHECK(glob_is_valid(entry.name_pattern));
  }
}

}  // namespace
}  // namespace kubeblame::analyze
