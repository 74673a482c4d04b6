#!/usr/bin/env python3
"""Regenerates samples/controlplane/; run it from the repository root:

    python3 samples/controlplane/generate.py

Fifty minutes of control-plane logs of a small AKS cluster across New Year (2024-12-31 23:35 to
2025-01-01 00:25 UTC, so klog's missing year must be taken from each record's own time), written
in every shape kubeblame reads log lines from:

  akscontrolplane-az.json         AKSControlPlane rows as `az monitor log-analytics query -o json`
                                  prints them (keys sorted, every value a string)
  akscontrolplane-rest.json       the same rows as a Log Analytics query REST response
  akscontrolplane-portal.csv      the same rows as the portal's "Export to CSV"
  storage-kube-apiserver-PT1H.json  diagnostic-settings storage records, properties.log = the line
  kube-apiserver.log              the kube-apiserver container's log file, CRI-prefixed klog
                                  (as in /var/log/containers), kube-apiserver lines only

The kube-apiserver lines are the same in all five files (same text, same instants), so error
signatures drawn from them must come out identical; the Azure forms also hold lines of
kube-controller-manager, kube-scheduler and cluster-autoscaler, which a kube-apiserver container
log cannot. Counts are documented in samples/README.md (written by samples/generate.py, which
calls summary() here).

Python 3 standard library only, fixed seed, no wall clock.
"""

import csv
import datetime
import io
import json
import os
import random

ROOT = os.path.dirname(os.path.abspath(__file__))
UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

TENANT = "3f1c9a4e-8d2b-4b6a-9e7f-2c5d8a1b0e64"
SUBSCRIPTION = "8c2b5e1d-4f3a-4c9e-b7d6-1a2b3c4d5e6f"
RESOURCE_ID = ("/subscriptions/%s/resourcegroups/rg-aks-prod/providers/"
               "microsoft.containerservice/managedclusters/aks-prod" % SUBSCRIPTION)
OPERATION = "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read"

PODS = {
    "kube-apiserver": "kube-apiserver-6f9c7b8d5-4kq2x",
    "kube-controller-manager": "kube-controller-manager-5d8c9b7f6-m2xkq",
    "kube-scheduler": "kube-scheduler-7c6d5b4f9-wq8zt",
    "cluster-autoscaler": "cluster-autoscaler-6b8d7c5f4-j4n7p",
}
CONTAINER_ID = "8f1e0c2a7b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d"

START_US = int((datetime.datetime(2024, 12, 31, 23, 35, tzinfo=UTC) - EPOCH).total_seconds()) \
    * 1_000_000
END_US = START_US + 50 * 60 * 1_000_000
MINUTE = 60 * 1_000_000
SECOND = 1_000_000

WEBHOOK_POST = ('Post "https://dapr-webhook.replaceme.svc:443/convert?timeout=30s": '
                'service "dapr-webhook" not found')
DAPR_CRDS = [("subscriptions", "Subscription"), ("components", "Component"),
             ("configurations", "Configuration")]
KYVERNO = ('failed calling webhook "validate.kyverno.svc-fail": failed to call webhook: Post '
           '"https://kyverno-svc.kyverno.svc:443/validate/fail?timeout=10s": context deadline '
           'exceeded')
METRICS_URL = "https://10.0.171.44:443/apis/metrics.k8s.io/v1beta1"
STALE_METRICS = "metrics.k8s.io/v1beta1: stale GroupVersion discovery: metrics.k8s.io/v1beta1"


class Line:
    """One log line: its instant (µs), component, shape, klog letter and the error family."""

    def __init__(self, us, component, text, shape="klog", level="I", family=None):
        self.us, self.component, self.text = us, component, text
        self.shape, self.level, self.family = shape, level, family


def to_datetime(us):
    return EPOCH + datetime.timedelta(microseconds=us)


def klog_header(level, us, source):
    moment = to_datetime(us)
    return "%s%s %7d %s] " % (level, moment.strftime("%m%d %H:%M:%S.%f"), 1, source)


def klog(us, component, level, source, message, family=None):
    return Line(us, component, klog_header(level, us, source) + message, "klog", level, family)


def iso_micro(us):
    return to_datetime(us).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_milli(ms):
    return to_datetime(ms * 1000).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def iso_nano(ns):
    return to_datetime(ns // 1000).strftime("%Y-%m-%dT%H:%M:%S.") + "%09dZ" % (ns % 10 ** 9)


def portal_time(ms):
    moment = to_datetime(ms * 1000)
    hour12 = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return "%d/%d/%d, %d:%02d:%02d.%03d %s" % (moment.month, moment.day, moment.year, hour12,
                                                 moment.minute, moment.second, ms % 1000, half)


def spread(rng, count, first, last):
    """`count` instants between first and last, roughly even, jittered, microsecond precision."""
    step = (last - first) // count
    return [first + i * step + rng.randint(0, step - 1) for i in range(count)]


def uid(rng):
    return "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16),
                                           rng.getrandbits(12), 0x8000 | rng.getrandbits(14),
                                           rng.getrandbits(48))


# ---------------------------------------------------------------------------------------------
# kube-apiserver

def conversion_flood(rng):
    """ArgoCD reset the Dapr CRDs' conversion webhook to the chart's `replaceme` namespace at
    23:48; every cacher of a dapr.io CRD fails its ListAndWatch and reinitializes until 00:14."""
    lines = []
    flood_start = START_US + 13 * MINUTE
    flood_end = START_US + 39 * MINUTE
    for plural, kind in DAPR_CRDS:
        for us in spread(rng, 16, flood_start, flood_end):
            failure = ("failed to list dapr.io/v1alpha1, Kind=%s: conversion webhook for "
                       "dapr.io/v2alpha1, Kind=%s failed: %s" % (kind, kind, WEBHOOK_POST))
            lines.append(klog(us, "kube-apiserver", "W", "reflector.go:547",
                              "storage/cacher.go:/dapr.io/%s: %s" % (plural, failure),
                              "conversion-reflector"))
            lines.append(klog(us + rng.randint(40, 400), "kube-apiserver", "E", "cacher.go:470",
                              "cacher (%s.dapr.io): unexpected ListAndWatch error: %s; "
                              "reinitializing..." % (plural, failure), "conversion-cacher"))
    return lines


def expired_tokens(rng):
    """A CronJob's pods keep a projected token long past its expiry."""
    return [klog(us, "kube-apiserver", "E", "authentication.go:73",
                 '"Unable to authenticate the request" err="[invalid bearer token, service '
                 'account token has expired]"', "expired-token")
            for us in spread(rng, 24, START_US + 2 * MINUTE, END_US - 6 * MINUTE)]


def etcd_compaction(rng):
    """Watches that fall behind etcd's compaction; logged as a warning since Kubernetes 1.22."""
    return [klog(us, "kube-apiserver", "W", "watcher.go:255",
                 "watch chan error: etcdserver: mvcc: required revision has been compacted",
                 "etcd-compacted")
            for us in spread(rng, 10, START_US + 3 * MINUTE, END_US - 4 * MINUTE)]


def failing_webhook(rng):
    """Kyverno's validating webhook (failurePolicy Fail) times out after 10 s."""
    lines = []
    for us in spread(rng, 7, START_US + 20 * MINUTE, START_US + 31 * MINUTE):
        lines.append(klog(us, "kube-apiserver", "W", "dispatcher.go:217",
                          "Failed calling webhook, failing closed validate.kyverno.svc-fail: " +
                          KYVERNO, "webhook-failing-closed"))
        lines.append(klog(us + rng.randint(50, 300), "kube-apiserver", "E", "dispatcher.go:225",
                          KYVERNO, "webhook-failed"))
    return lines


def handler_timeouts(rng):
    """Requests that hit the 60 s handler timeout while etcd was slow: five lines each."""
    lines = []
    nodes = ["aks-nodepool1-12345678-vmss000000", "aks-nodepool1-12345678-vmss000001",
             "aks-nodepool1-12345678-vmss000002", "aks-nodepool1-12345678-vmss000000"]
    for us, node in zip(spread(rng, 4, START_US + 24 * MINUTE, START_US + 28 * MINUTE), nodes):
        uri = "/api/v1/namespaces/batch/pods?labelSelector=job-name%%3Dreport-%d" % (
            28934 + rng.randint(0, 9))
        elapsed = "%d.%06dms" % (rng.randint(2, 9), rng.randint(0, 999999))
        lines += [
            klog(us, "kube-apiserver", "E", "writers.go:122",
                 "apiserver was unable to write a JSON response: http: Handler timeout",
                 "handler-timeout-write"),
            klog(us + 37, "kube-apiserver", "E", "status.go:71",
                 'apiserver received an error that is not an metav1.Status: '
                 '&errors.errorString{s:"http: Handler timeout"}: http: Handler timeout',
                 "handler-timeout-status"),
            klog(us + 3605, "kube-apiserver", "E", "writers.go:135",
                 "apiserver was unable to write a fallback JSON response: http: Handler timeout",
                 "handler-timeout-fallback"),
            klog(us + 4188, "kube-apiserver", "E", "timeout.go:142",
                 'post-timeout activity - time-elapsed: %s, GET "/api/v1/nodes/%s" result: <nil>'
                 % (elapsed, node), "post-timeout"),
            klog(us + 4390, "kube-apiserver", "E", "wrap.go:54",
                 'timeout or abort while handling: method=GET URI="%s" audit-ID="%s"'
                 % (uri, uid(rng)), "timeout-or-abort"),
        ]
    return lines


def metrics_unavailable(rng):
    """metrics-server is unreachable: the aggregated APIService fails its availability check."""
    return [klog(us, "kube-apiserver", "E", "available_controller.go:460",
                 'v1beta1.metrics.k8s.io failed with: failing or missing response from %s: '
                 'Get "%s": context deadline exceeded (Client.Timeout exceeded while awaiting '
                 'headers)' % (METRICS_URL, METRICS_URL), "apiservice-unavailable")
            for us in spread(rng, 9, START_US + 5 * MINUTE, START_US + 17 * MINUTE)]


def etcd_client_json(rng):
    """The etcd client (zap) logs JSON lines, not klog."""
    lines = []
    for us in spread(rng, 4, START_US + 24 * MINUTE, START_US + 28 * MINUTE):
        record = {"level": "warn", "ts": iso_micro(us), "logger": "etcd-client",
                  "caller": "v3@v3.5.10/retry_interceptor.go:62",
                  "msg": "retrying of unary invoker failed",
                  "target": "etcd-endpoints://0xc00197e000/etcd-0.etcd.kube-system.svc:2379",
                  "attempt": 0,
                  "error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded"}
        lines.append(Line(us, "kube-apiserver", json.dumps(record, separators=(",", ":")),
                          "json", "W", "etcd-client-retry"))
    return lines


def other_warnings(rng):
    lines = [klog(us, "kube-apiserver", "W", "handler_proxy.go:99",
                  "no RequestInfo found in the context", "no-request-info")
             for us in spread(rng, 3, START_US + 6 * MINUTE, START_US + 16 * MINUTE)]
    lines += [klog(us, "kube-apiserver", "W", "lease.go:265",
                   'Resetting endpoints for master service "kubernetes" to [10.224.0.4 '
                   '10.224.0.5]', "reset-endpoints")
              for us in spread(rng, 2, START_US + 30 * MINUTE, START_US + 44 * MINUTE)]
    return lines


def traces(rng):
    """Slow requests: a trace header (klog, info) and its continuation lines."""
    lines = []
    requests = [("List", "pods", "cluster", "/api/v1/pods", "argocd-application-controller"),
                ("List", "subscriptions", "cluster", "/apis/dapr.io/v1alpha1/subscriptions",
                 "dapr-operator"),
                ("Get", "leases", "namespace",
                 "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler",
                 "kube-scheduler"),
                ("List", "events", "namespace", "/api/v1/namespaces/batch/events",
                 "kubectl"),
                ("Update", "configmaps", "namespace", "/api/v1/namespaces/argocd/configmaps/argocd-cm",
                 "argocd-application-controller")]
    for us, (verb, resource, scope, url, agent) in zip(
            spread(rng, len(requests), START_US + 4 * MINUTE, START_US + 42 * MINUTE), requests):
        trace_id = rng.randint(100000000, 2147483647)
        total_ms = rng.randint(1100, 5400)
        started = us - total_ms * 1000
        start_text = to_datetime(started).strftime("%d-%b-%Y %H:%M:%S.") + "%03d" % (
            started // 1000 % 1000)
        lines.append(klog(us, "kube-apiserver", "I", "trace.go:236",
                          'Trace[%d]: "%s" accept:application/json, */*,audit-id:%s,'
                          'client:10.224.0.%d,protocol:HTTP/2.0,resource:%s,scope:%s,url:%s,'
                          'user-agent:%s/v0.0.0 (linux/amd64) kubernetes/$Format,verb:%s '
                          '(%s) (total time: %dms):'
                          % (trace_id, verb, uid(rng), rng.randint(5, 60), resource, scope, url,
                             agent, verb.upper(), start_text, total_ms)))
        done = to_datetime(us).strftime("%H:%M:%S.") + "%03d" % (us // 1000 % 1000)
        lines.append(Line(us + 1, "kube-apiserver",
                          'Trace[%d]: ---"Writing http response done" count:%d %dms (%s)'
                          % (trace_id, rng.randint(10, 2000), total_ms - 3, done),
                          "continuation", ""))
        lines.append(Line(us + 2, "kube-apiserver",
                          "Trace[%d]: [%d.%03ds] [%d.%03ds] END"
                          % (trace_id, total_ms // 1000, total_ms % 1000, total_ms // 1000,
                             total_ms % 1000), "continuation", ""))
    return lines


def info_lines(rng):
    lines = []
    items = ["v1beta1.metrics.k8s.io", "k8s_internal_local_delegation_chain_0000000002"]
    for i, us in enumerate(spread(rng, 48, START_US, END_US - SECOND)):
        lines.append(klog(us, "kube-apiserver", "I", "controller.go:128",
                          "OpenAPI AggregationController: action for item %s: Nothing (removed "
                          "from the queue)." % items[i % 2]))
    levels = ["workload-low", "workload-high", "global-default", "leader-election"]
    for i, us in enumerate(spread(rng, 36, START_US + 30 * SECOND, END_US - 30 * SECOND)):
        seats = rng.randint(1, 40)
        lines.append(klog(us, "kube-apiserver", "I", "apf_controller.go:493",
                          '"Update CurrentCL" plName="%s" seatDemandHighWatermark=%d '
                          'seatDemandAvg=%.3f seatDemandStdev=%.3f seatDemandSmoothed=%.3f '
                          'fairFrac=2.2796 currentCL=%d concurrencyDenominator=%d backstop=false'
                          % (levels[i % 4], seats, seats * 0.31, seats * 0.12, seats * 0.45,
                             seats + 20, seats + 20)))
    for resource, us in zip(["jobs.batch", "cronjobs.batch", "leases.coordination.k8s.io",
                             "endpoints", "subscriptions.dapr.io"],
                            spread(rng, 5, START_US + 2 * MINUTE, START_US + 40 * MINUTE)):
        lines.append(klog(us, "kube-apiserver", "I", "controller.go:624",
                          "quota admission added evaluator for: " + resource))
    for i, us in enumerate(spread(rng, 6, START_US + 3 * MINUTE, START_US + 43 * MINUTE)):
        lines.append(klog(us, "kube-apiserver", "I", "alloc.go:330",
                          '"allocated clusterIPs" service="batch/report-%d" '
                          'clusterIPs={"IPv4":"10.0.%d.%d"}'
                          % (28934 + i, rng.randint(1, 250), rng.randint(1, 250))))
    for us in spread(rng, 4, START_US + MINUTE, START_US + 44 * MINUTE):
        lines.append(klog(us, "kube-apiserver", "I", "cidrallocator.go:277",
                          "updated ClusterIP allocator for Service CIDR 10.0.0.0/16"))
    for version, us in zip(["v1alpha1", "v2alpha1", "v1alpha1"],
                           spread(rng, 3, START_US + 12 * MINUTE, START_US + 15 * MINUTE)):
        lines.append(klog(us, "kube-apiserver", "I", "handler.go:275",
                          "Adding GroupVersion dapr.io %s to ResourceManager" % version))
    # The first and last lines of the window are plain info lines.
    lines.append(klog(START_US + 100_000, "kube-apiserver", "I", "controller.go:128",
                      "OpenAPI AggregationController: action for item v1beta1.metrics.k8s.io: "
                      "Nothing (removed from the queue)."))
    lines.append(klog(END_US - 250_000, "kube-apiserver", "I", "controller.go:128",
                      "OpenAPI AggregationController: action for item "
                      "k8s_internal_local_delegation_chain_0000000002: Nothing (removed from "
                      "the queue)."))
    return lines


def other_text(rng):
    """Go's standard logger, not klog: no header, no level."""
    lines = []
    for us in spread(rng, 4, START_US + 8 * MINUTE, START_US + 40 * MINUTE):
        moment = to_datetime(us).strftime("%Y/%m/%d %H:%M:%S")
        lines.append(Line(us, "kube-apiserver",
                          "%s http: TLS handshake error from 10.224.0.%d:%d: EOF"
                          % (moment, rng.randint(5, 60), rng.randint(32768, 60999)),
                          "other", ""))
    return lines


# ---------------------------------------------------------------------------------------------
# Other control-plane components (only in the Azure forms).

def controller_manager(rng):
    c = "kube-controller-manager"
    lines = []
    for us in spread(rng, 5, START_US + 6 * MINUTE, START_US + 17 * MINUTE):
        lines.append(klog(us, c, "E", "resource_quota_controller.go:446",
                          "unable to retrieve the complete list of server APIs: " + STALE_METRICS,
                          "kcm-stale-discovery"))
        lines.append(klog(us + 812, c, "W", "garbagecollector.go:818",
                          "failed to discover some groups: map[metrics.k8s.io/v1beta1:stale "
                          "GroupVersion discovery: metrics.k8s.io/v1beta1]", "kcm-gc-discovery"))
    for i, us in enumerate(spread(rng, 7, START_US + 2 * MINUTE, START_US + 44 * MINUTE)):
        job = "report-%d" % (28934 + i)
        lines.append(klog(us, c, "I", "event.go:389",
                          '"Event occurred" object="batch/report" fieldPath="" kind="CronJob" '
                          'apiVersion="batch/v1" type="Normal" reason="SuccessfulCreate" '
                          'message="Created job %s"' % job))
        lines.append(klog(us + 20_417, c, "I", "event.go:389",
                          '"Event occurred" object="batch/%s" fieldPath="" kind="Job" '
                          'apiVersion="batch/v1" type="Normal" reason="SuccessfulCreate" '
                          'message="Created pod: %s-%05x"' % (job, job, rng.getrandbits(20))))
    return lines


def scheduler(rng):
    c = "kube-scheduler"
    lines = []
    no_fit = ("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
              "3 No preemption victims found for incoming pod.")
    for i, us in enumerate(spread(rng, 4, START_US + 9 * MINUTE, START_US + 21 * MINUTE)):
        pod = "batch/report-%d-%05x" % (28934 + i, rng.getrandbits(20))
        lines.append(klog(us, c, "E", "schedule_one.go:1004",
                          '"Error scheduling pod; retrying" err="%s" pod="%s"' % (no_fit, pod),
                          "scheduler-no-fit"))
        lines.append(klog(us + 95, c, "I", "schedule_one.go:1060",
                          '"Unable to schedule pod; no fit; waiting" pod="%s" err="%s"'
                          % (pod, no_fit)))
    for us in spread(rng, 6, START_US + 22 * MINUTE, START_US + 44 * MINUTE):
        lines.append(klog(us, c, "I", "schedule_one.go:252",
                          '"Successfully bound pod to node" pod="batch/report-%d-%05x" '
                          'node="aks-nodepool1-12345678-vmss00000%d" evaluatedNodes=4 '
                          'feasibleNodes=1' % (28934 + rng.randint(0, 6), rng.getrandbits(20),
                                               rng.randint(0, 3))))
    return lines


def autoscaler(rng):
    c = "cluster-autoscaler"
    group = "aks-nodepool1-12345678-vmss"
    lines = []
    for us in spread(rng, 8, START_US + 9 * MINUTE, START_US + 44 * MINUTE):
        lines.append(klog(us, c, "I", "filter_out_schedulable.go:66",
                          "Filtering out schedulables"))
    at = START_US + 21 * MINUTE + 4 * SECOND
    lines.append(klog(at, c, "I", "orchestrator.go:565", "Final scale-up plan: [{%s 3->4 (max: 5)}]"
                      % group))
    lines.append(klog(at + 1_052, c, "I", "executor.go:147",
                      "Scale-up: setting group %s size to 4" % group))
    lines.append(klog(at + 7_021_553, c, "W", "clusterstate.go:427",
                      "Failed to find readiness information for %s" % group,
                      "autoscaler-readiness"))
    lines.append(klog(at + 7_021_901, c, "W", "clusterstate.go:427",
                      "Failed to find readiness information for %s" % group,
                      "autoscaler-readiness"))
    return lines


def build():
    """Every line, in time order."""
    rng = random.Random(20241231)
    apiserver = (conversion_flood(rng) + expired_tokens(rng) + etcd_compaction(rng) +
                 failing_webhook(rng) + handler_timeouts(rng) + metrics_unavailable(rng) +
                 etcd_client_json(rng) + other_warnings(rng) + traces(rng) + info_lines(rng) +
                 other_text(rng))
    others = controller_manager(rng) + scheduler(rng) + autoscaler(rng)
    lines = sorted(apiserver + others, key=lambda line: (line.us, line.component, line.text))
    assert len({line.us for line in lines}) == len(lines), "instants must be distinct"
    klog_lines = [line for line in lines if line.shape == "klog"]
    assert lines[0] is klog_lines[0] and lines[-1] is klog_lines[-1]
    # Lines without a time of their own take the record's (ingestion) time: keep them well
    # inside the window so every form reports the same first and last instants.
    for line in lines:
        if line.shape in ("continuation", "other"):
            assert START_US + MINUTE < line.us < END_US - 5 * MINUTE
    return lines, rng


# ---------------------------------------------------------------------------------------------
# Writers

LEVEL_COLUMN = {"I": "INFO", "W": "WARNING", "E": "ERROR", "F": "FATAL", "": "INFO"}
COLUMNS = [("TenantId", "string"), ("TimeGenerated", "datetime"), ("Category", "string"),
           ("Level", "string"), ("Message", "string"), ("PodName", "string"),
           ("Stream", "string"), ("SourceSystem", "string"), ("Type", "string"),
           ("_ResourceId", "string")]


def write(name, text):
    with open(os.path.join(ROOT, name), "w", encoding="utf-8", newline="") as out:
        out.write(text)


def rows_of(lines, rng):
    """AKSControlPlane rows; TimeGenerated (ingestion time, ms) lags the line by 15-95 s."""
    rows = []
    for line in lines:
        generated_ms = line.us // 1000 + rng.randint(15000, 95000)
        rows.append({"TenantId": TENANT, "TimeGenerated": generated_ms,
                     "Category": line.component, "Level": LEVEL_COLUMN[line.level],
                     "Message": line.text, "PodName": PODS[line.component], "Stream": "stderr",
                     "SourceSystem": "Azure", "Type": "AKSControlPlane",
                     "_ResourceId": RESOURCE_ID})
    return rows


def rest_value(name, value):
    return iso_milli(value) if name == "TimeGenerated" else value


def write_az(rows, rng):
    objects = []
    for row in rows:
        item = {"TableName": "PrimaryResult"}
        for name, _ in COLUMNS:
            item[name] = str(rest_value(name, row[name]))
        objects.append(item)
    blocks = [objects[i:i + 23] for i in range(0, len(objects), 23)]
    rng.shuffle(blocks)
    ordered = [item for block in blocks for item in block]
    write("akscontrolplane-az.json", json.dumps(ordered, indent=2, sort_keys=True,
                                                ensure_ascii=False, separators=(",", ": ")) + "\n")


def write_rest(rows):
    table = {"name": "PrimaryResult",
             "columns": [{"name": name, "type": kind} for name, kind in COLUMNS],
             "rows": [[rest_value(name, row[name]) for name, _ in COLUMNS]
                      for row in sorted(rows, key=lambda r: r["TimeGenerated"])]}
    write("akscontrolplane-rest.json", json.dumps({"tables": [table]}, indent=1,
                                                  ensure_ascii=False) + "\n")


def write_portal_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(['TimeGenerated [UTC]' if name == "TimeGenerated" else name
                     for name, _ in COLUMNS])
    for row in sorted(rows, key=lambda r: r["TimeGenerated"], reverse=True):
        writer.writerow([portal_time(row[name]) if name == "TimeGenerated" else row[name]
                         for name, _ in COLUMNS])
    text = buffer.getvalue()
    first, rest = text.split("\r\n", 1)
    first = ",".join('"%s"' % h if " " in h else h for h in first.split(","))
    write("akscontrolplane-portal.csv", "\ufeff" + first + "\r\n" + rest)


def write_storage(lines, rng):
    """Diagnostic-settings records as the storage account archives them, one per line."""
    out = []
    for line in lines:
        properties = {"log": line.text + "\n", "stream": "stderr", "pod": PODS[line.component],
                      "containerID": CONTAINER_ID}
        record_ns = line.us * 1000 + rng.randint(200_000, 2_000_000)
        out.append('{ "category": "%s", "operationName": "%s", "properties": %s, '
                   '"resourceId": "%s", "time": "%s"}'
                   % (line.component, OPERATION,
                      json.dumps(properties, ensure_ascii=False, separators=(",", ":")),
                      RESOURCE_ID.upper(), iso_nano(record_ns)))
    write("storage-kube-apiserver-PT1H.json", "".join(record + "\n" for record in out))


def write_container_log(lines, rng):
    """/var/log/containers/kube-apiserver-…log: the CRI runtime's prefix on every line."""
    out = []
    for line in lines:
        if line.component != "kube-apiserver":
            continue
        written_ns = line.us * 1000 + rng.randint(20_000, 900_000)
        out.append("%s stderr F %s\n" % (iso_nano(written_ns), line.text))
    write("kube-apiserver.log", "".join(out))


def summary():
    """Counts for samples/README.md, from the same model the files are written from."""
    lines, _ = build()
    apiserver = [line for line in lines if line.component == "kube-apiserver"]
    families = {}
    for line in lines:
        if line.family:
            key = (line.family, line.component, line.level)
            families[key] = families.get(key, 0) + 1
    shapes = {}
    for line in apiserver:
        shapes[line.shape] = shapes.get(line.shape, 0) + 1
    components = {}
    for line in lines:
        components[line.component] = components.get(line.component, 0) + 1
    levels = {}
    for line in apiserver:
        if line.shape == "klog":
            levels[line.level] = levels.get(line.level, 0) + 1
    return {"lines": len(lines), "apiserver": len(apiserver), "families": families,
            "shapes": shapes, "components": components, "levels": levels,
            "first": iso_micro(lines[0].us), "last": iso_micro(lines[-1].us)}


def main():
    lines, rng = build()
    rows = rows_of(lines, rng)
    write_az(rows, rng)
    write_rest(rows)
    write_portal_csv(rows)
    write_storage(lines, rng)
    write_container_log(lines, rng)
    s = summary()
    print("controlplane: %d lines (%d kube-apiserver), %s" % (s["lines"], s["apiserver"],
                                                             s["components"]))


if __name__ == "__main__":
    main()
