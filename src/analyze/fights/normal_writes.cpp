// The catalog of normal write patterns (docs/normal-writes.md lists the same entries with their
// sources). Only hot-loop candidates are looked up here, never fights: two writers alternating on
// an object are reported whatever the catalog says. Writes left out before detection (leases,
// kubelet status heartbeats, events) are not in this table: the fight analyzer drops them at any
// rate.
#include "kubeblame/analyze/fights/normal_writes.h"

#include "kubeblame/analyze/where_clause.h"

namespace kubeblame::analyze {

namespace {

constexpr std::array<NormalWrite, kNormalWriteCount> kCatalog = {{
    {"hpa-status", "HPA status writes", "horizontalpodautoscalers.autoscaling/status", "", "",
     {"system:serviceaccount:kube-system:horizontal-pod-autoscaler",
      "system:kube-controller-manager", ""},
     {},
     {},
     15,
     "every 15 s",
     "kube-controller-manager --horizontal-pod-autoscaler-sync-period (default 15s): the HPA "
     "controller re-evaluates every HPA once per period and writes its status (current metrics, "
     "replicas) when it changed",
     "something keeps changing the HPA itself (each change triggers an extra sync: look for "
     "writes to horizontalpodautoscalers by a GitOps tool or KEDA), or kube-controller-manager runs "
     "with a lower --horizontal-pod-autoscaler-sync-period"},
    {"cluster-autoscaler-status", "cluster-autoscaler status ConfigMap writes", "configmaps",
     "kube-system", "cluster-autoscaler-status",
     {"system:serviceaccount:*:cluster-autoscaler", "cluster-autoscaler", ""},
     {"cluster-autoscaler", "", ""},
     {},
     10,
     "every 10 s",
     "cluster-autoscaler --scan-interval (default 10s; the scan-interval of an AKS autoscaler "
     "profile): every loop ends by writing the status ConfigMap (--write-status-configmap, "
     "default true; --status-config-map-name, default cluster-autoscaler-status)",
     "a lowered --scan-interval, or two cluster-autoscaler instances writing the same ConfigMap"},
    {"endpointslices", "EndpointSlice writes on pod churn", "endpointslices.discovery.k8s.io", "",
     "",
     {"system:serviceaccount:kube-system:endpointslice-controller",
      "system:serviceaccount:kube-system:endpointslicemirroring-controller", ""},
     {},
     {},
     10,
     "up to every 10 s",
     "no sync period: the EndpointSlice controllers of kube-controller-manager rewrite a "
     "Service's slices when its pods change (--endpointslice-updates-batch-period, default 0, "
     "batches nothing); 10 s is the default readiness probe periodSeconds, the fastest a pod's "
     "readiness normally changes",
     "the pods behind the Service restart or flap readiness faster than their probes run: look "
     "at those pods, not at the controller"},
    {"endpoints", "Endpoints writes on pod churn", "endpoints", "", "",
     {"system:serviceaccount:kube-system:endpoint-controller", "", ""},
     {},
     {},
     10,
     "up to every 10 s",
     "no sync period: the Endpoints controller of kube-controller-manager rewrites a Service's "
     "Endpoints when its pods change (--endpoint-updates-batch-period, default 0, batches "
     "nothing); 10 s is the default readiness probe periodSeconds, the fastest a pod's readiness "
     "normally changes",
     "the pods behind the Service restart or flap readiness faster than their probes run: look "
     "at those pods, not at the controller"},
    {"cronjob-status", "CronJob status writes", "cronjobs.batch/status", "", "",
     {"system:serviceaccount:kube-system:cronjob-controller", "", ""},
     {},
     {},
     10,
     "up to every 10 s",
     "the original CronJob controller of kube-controller-manager synced every CronJob every 10 s "
     "and wrote its status; CronJobControllerV2 (the default since Kubernetes 1.21) writes it "
     "when a run starts or ends, at most about twice a minute (cron schedules have minute "
     "granularity)",
     "something else triggers syncs of the CronJob (the CronJob or its Jobs being rewritten): "
     "look at the other writes to it and to its Jobs"},
    {"job-status", "Job status writes", "jobs.batch/status", "", "",
     {"system:serviceaccount:kube-system:job-controller", "", ""},
     {},
     {},
     1,
     "up to every second",
     "the Job controller of kube-controller-manager batches a Job's pod events into one sync "
     "per syncJobBatchPeriod (1 s, pkg/controller/job/job_controller.go) and writes the Job's "
     "status (active, ready, succeeded, failed pods) when it changed",
     "the Job's pods are created and fail faster than the controller's batch period: look at "
     "the Job's pods and its backoffLimit"},
    {"vpa-status", "VPA status writes", "verticalpodautoscalers.autoscaling.k8s.io/status", "", "",
     {"system:serviceaccount:*:vpa-recommender", "", ""},
     {},
     {},
     60,
     "every minute",
     "VPA recommender --recommender-interval (default 1m): every loop recomputes the "
     "recommendations and patches the status of each VPA whose recommendation changed",
     "a lowered --recommender-interval, or two recommenders with the same --recommender-name "
     "writing the same VPA"},
    {"vpa-checkpoints", "VPA checkpoint writes",
     "verticalpodautoscalercheckpoints.autoscaling.k8s.io", "", "",
     {"system:serviceaccount:*:vpa-recommender", "", ""},
     {},
     {},
     60,
     "every minute",
     "VPA recommender --recommender-interval (default 1m): every loop stores the usage "
     "histograms of the containers it tracks as VerticalPodAutoscalerCheckpoint objects",
     "a lowered --recommender-interval, or two recommenders writing the same checkpoints"},
}};

bool any_match(const NormalWritePatterns& patterns, std::string_view text) {
  for (std::string_view pattern : patterns) {
    if (!pattern.empty() && !text.empty() && glob_match(pattern, text)) return true;
  }
  return false;
}

bool writer_matches(const NormalWrite& entry, std::string_view user, std::string_view agent,
                    std::string_view manager) {
  return any_match(entry.users, user) || any_match(entry.agents, agent) ||
         any_match(entry.managers, manager);
}

}  // namespace

std::span<const NormalWrite, kNormalWriteCount> normal_writes() { return kCatalog; }

double normal_writes_per_hour(const NormalWrite& entry) { return 3600.0 / entry.period_seconds; }

std::size_t match_normal_write(std::string_view resource, std::string_view namespace_name,
                               std::string_view name, std::string_view user,
                               std::string_view agent, std::string_view manager) {
  for (std::size_t i = 0; i < kCatalog.size(); ++i) {
    const NormalWrite& entry = kCatalog[i];
    if (entry.resource != resource) continue;
    if (!entry.namespace_pattern.empty() && !glob_match(entry.namespace_pattern, namespace_name)) {
      continue;
    }
    if (!entry.name_pattern.empty() && !glob_match(entry.name_pattern, name)) continue;
    if (writer_matches(entry, user, agent, manager)) return i;
  }
  return kCatalog.size();
}

}  // namespace kubeblame::analyze
