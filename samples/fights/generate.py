#!/usr/bin/env python3
"""Writes the `kubeblame fights` samples (deterministic: fixed seed, Python 3 stdlib only).

One hour (2025-03-10 12:00-13:00 UTC) of a two-node cluster's write traffic, audited three ways:

  fight-with-bodies.jsonl     raw audit JSON lines, writes at level RequestResponse/Request
  fight-without-bodies.jsonl  the same requests at level Metadata (no requestObject)
  fight-aksaudit-az.json      the same requests as AKSAudit rows from
                              `az monitor log-analytics query -o json` (every value a string,
                              dynamic columns as JSON text, rows in no particular order, some
                              RequestObject cells "skipped-too-big-size-object")

What is in it, and what `kubeblame fights` must make of it, is in README.md next to this file.
Run from anywhere: python3 samples/fights/generate.py
"""

import datetime
import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(20250310)
START = datetime.datetime(2025, 3, 10, 12, 0, 0, tzinfo=datetime.timezone.utc)
APISERVER_POD = "kube-apiserver-7c9f6d5b8-q2lzx"
TENANT = "6d0b4c2a-91e3-4f7b-a8d5-3e2c1b9f7a60"
RESOURCE_ID = ("/subscriptions/0f3c2b1a-5e6d-4c7b-9a8f-1e2d3c4b5a69/resourceGroups/rg-shop/"
               "providers/Microsoft.ContainerService/managedClusters/aks-shop")
NODES = ["aks-system-31415926-vmss000000", "aks-system-31415926-vmss000001"]

# Who writes (user, user agent, source IP).
FLUX = ("system:serviceaccount:flux-system:kustomize-controller",
        "kustomize-controller/v1.2.2 (linux/amd64) kubernetes/$Format", "10.244.0.41")
HPA = ("system:serviceaccount:kube-system:horizontal-pod-autoscaler",
       "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/system:serviceaccount:kube-system:horizontal-pod-autoscaler",
       "10.224.0.4")
POLICY = ("system:serviceaccount:policy-system:policy-operator",
          "policy-operator/v0.9.4 (linux/amd64) kubernetes/$Format", "10.244.1.17")
CAINJECTOR = ("system:serviceaccount:cert-manager:cert-manager-cainjector",
              "cainjector/v1.14.4 (linux/amd64) kubernetes/$Format", "10.244.0.52")
SYNCER = ("system:serviceaccount:tools:config-syncer",
          "config-syncer/v0.3.1 (linux/amd64) kubernetes/$Format", "10.244.1.33")
AUTOSCALER = ("system:serviceaccount:kube-system:cluster-autoscaler",
              "cluster-autoscaler/v1.29.0 (linux/amd64) kubernetes/$Format", "10.224.0.4")
KCM = ("system:kube-controller-manager",
       "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/leader-election", "10.224.0.4")
SCHEDULER = ("system:kube-scheduler",
             "kube-scheduler/v1.29.2 (linux/amd64) kubernetes/4b8e819/leader-election", "10.224.0.4")
ALICE = ("alice@acme.example", "kubectl/v1.29.1 (linux/amd64) kubernetes/bc401b9", "203.0.113.24")
RS_CONTROLLER = ("system:serviceaccount:kube-system:replicaset-controller",
                 "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/system:serviceaccount:kube-system:replicaset-controller",
                 "10.224.0.4")
JOB_CONTROLLER = ("system:serviceaccount:kube-system:job-controller",
                  "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/system:serviceaccount:kube-system:job-controller",
                  "10.224.0.4")


def kubelet(node):
    return ("system:node:" + node, "kubelet/v1.29.2 (linux/amd64) kubernetes/4b8e819", "10.224.0.5")


def at(seconds, micros=0):
    return START + datetime.timedelta(seconds=seconds, microseconds=micros)


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def go_json(value):
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def new_uid():
    return str(uuid.UUID(int=RNG.getrandbits(128), version=4))


CA_OPERATOR = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJwb2xpY3ktb3BlcmF0b3Itc2VsZi1zaWduZWQK"
CA_CERT_MANAGER = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJjZXJ0LW1hbmFnZXItaXNzdWVkLWNhCg=="

resource_versions = [48_201_000]


def next_rv():
    resource_versions[0] += RNG.randint(3, 40)
    return str(resource_versions[0])


class Request:
    """One API request; becomes one audit event (stage ResponseComplete)."""

    def __init__(self, when, who, verb, uri, ref, code, level="Metadata", body=None,
                 reason=None, latency_ms=None):
        self.when = when
        self.who = who
        self.verb = verb
        self.uri = uri
        self.ref = ref
        self.code = code
        self.level = level
        self.body = body
        self.reason = reason
        self.latency_ms = latency_ms if latency_ms is not None else RNG.randint(3, 40)
        self.audit_id = new_uid()
        self.tag = None  # set for the events whose body the AKS export drops as too big

    def event(self, with_bodies=True):
        user, agent, ip = self.who
        level = self.level if with_bodies else "Metadata"
        status = {"metadata": {}, "code": self.code}
        if self.code >= 400:
            status.update({"status": "Failure", "reason": self.reason or "Conflict",
                           "message": self.message()})
        ev = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level,
              "auditID": self.audit_id, "stage": "ResponseComplete", "requestURI": self.uri,
              "verb": self.verb,
              "user": {"username": user, "groups": groups_of(user)},
              "sourceIPs": [ip], "userAgent": agent, "objectRef": self.ref,
              "responseStatus": status}
        if level != "Metadata" and self.body is not None:
            ev["requestObject"] = self.body
        ev["requestReceivedTimestamp"] = stamp(self.when)
        ev["stageTimestamp"] = stamp(self.when + datetime.timedelta(milliseconds=self.latency_ms))
        ev["annotations"] = {"authorization.k8s.io/decision": "allow",
                             "authorization.k8s.io/reason": ""}
        return ev

    def message(self):
        kind = self.ref.get("resource", "") + "." + self.ref.get("apiGroup", "")
        if self.reason == "AlreadyExists":
            return '%s "%s" already exists' % (kind.rstrip("."), self.ref.get("name", ""))
        return ('Operation cannot be fulfilled on %s "%s": the object has been modified; please '
                'apply your changes to the latest version and try again'
                % (kind.rstrip("."), self.ref.get("name", "")))


def groups_of(user):
    if user.startswith("system:serviceaccount:"):
        ns = user.split(":")[2]
        return ["system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"]
    if user.startswith("system:node:"):
        return ["system:nodes", "system:authenticated"]
    if user.startswith("system:"):
        return ["system:authenticated"]
    return ["oidc:sre", "system:authenticated"]


def ref(resource, name, namespace=None, group=None, version="v1", subresource=None):
    out = {"resource": resource}
    if namespace:
        out["namespace"] = namespace
    out["name"] = name
    if group:
        out["apiGroup"] = group
    out["apiVersion"] = version
    if subresource:
        out["subresource"] = subresource
    return out


def web_manifest():
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"labels": {"app.kubernetes.io/name": "web",
                                    "kustomize.toolkit.fluxcd.io/name": "shop",
                                    "kustomize.toolkit.fluxcd.io/namespace": "flux-system"},
                         "name": "web", "namespace": "shop"},
            "spec": {"replicas": 2, "revisionHistoryLimit": 5,
                     "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{
                                      "name": "web", "image": "ghcr.io/acme/web:1.8.2",
                                      "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                                      "resources": {"requests": {"cpu": "250m", "memory": "256Mi"},
                                                    "limits": {"memory": "512Mi"}}}]}}}}


def scale(name, replicas, current):
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {"name": name, "namespace": "shop", "uid": WEB_UID,
                         "resourceVersion": next_rv(), "creationTimestamp": "2025-01-14T09:12:44Z"},
            "spec": {"replicas": replicas}, "status": {"replicas": current, "selector": "app=" + name}}


WEB_UID = new_uid()


def webhook_object(ca):
    return {"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": "policy-webhook", "uid": "7d3f0a3e-5b1c-4f2e-9c6d-8a7b6c5d4e3f",
                         "resourceVersion": next_rv(), "generation": 412,
                         "labels": {"app.kubernetes.io/name": "policy-operator"},
                         "annotations": {"cert-manager.io/inject-ca-from": "policy-system/policy-webhook-cert"}},
            "webhooks": [{"name": "validate.policy.acme.io", "admissionReviewVersions": ["v1"],
                          "clientConfig": {"service": {"name": "policy-webhook", "namespace": "policy-system",
                                                       "path": "/validate", "port": 443},
                                           "caBundle": ca},
                          "failurePolicy": "Ignore", "sideEffects": "None", "timeoutSeconds": 5,
                          "rules": [{"apiGroups": ["apps"], "apiVersions": ["v1"],
                                     "operations": ["CREATE", "UPDATE"], "resources": ["deployments"]}]}]}


def config_object(i):
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "app-settings", "namespace": "shop", "resourceVersion": next_rv(),
                         "annotations": {"config-syncer.acme.io/source": "vault://kv/shop/app",
                                         "config-syncer.acme.io/synced-at": stamp(at(5 + 15 * i))}},
            "data": {"LOG_LEVEL": "info", "FEATURE_CHECKOUT_V2": "true", "CACHE_TTL": "300"}}


def leader_lock_object(i):
    record = {"holderIdentity": "cluster-autoscaler-6b7d9f-xk2p4", "leaseDurationSeconds": 60,
              "acquireTime": "2025-03-10T08:00:11Z", "renewTime": stamp(at(7 + 20 * i))[:19] + "Z",
              "leaderTransitions": 3}
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cluster-autoscaler-status-lock", "namespace": "kube-system",
                         "resourceVersion": next_rv(),
                         "annotations": {"control-plane.alpha.kubernetes.io/leader": json.dumps(record, separators=(",", ":"))}}}


def build():
    requests = []
    add = requests.append

    # Fight 1: Flux applies replicas: 2 every 2 minutes, the HPA scales back to 6 15 s later.
    for k in range(30):
        t = 30 + 120 * k
        flux = Request(at(t, 114_000), FLUX, "patch",
                       "/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kustomize-controller&force=true",
                       ref("deployments", "web", "shop", "apps"), 200, "RequestResponse", web_manifest())
        flux.tag = "too-big" if k % 4 == 3 else None
        add(flux)
        if k % 5 == 2:
            add(Request(at(t + 14, 402_000), HPA, "update",
                        "/apis/apps/v1/namespaces/shop/deployments/web/scale",
                        ref("deployments", "web", "shop", "apps", subresource="scale"), 409,
                        "RequestResponse", scale("web", 6, 2)))
        add(Request(at(t + 15, 388_000), HPA, "update",
                    "/apis/apps/v1/namespaces/shop/deployments/web/scale",
                    ref("deployments", "web", "shop", "apps", subresource="scale"), 200,
                    "RequestResponse", scale("web", 6, 2)))

    # Fight 2: the policy operator rewrites its webhook with its own CA every 5 minutes,
    # cert-manager's cainjector injects the issuer's CA back 3 s later.
    for k in range(12):
        t = 120 + 300 * k
        add(Request(at(t, 51_000), POLICY, "update",
                    "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/policy-webhook",
                    ref("validatingwebhookconfigurations", "policy-webhook", None,
                        "admissionregistration.k8s.io"), 200, "RequestResponse", webhook_object(CA_OPERATOR)))
        add(Request(at(t + 3, 277_000), CAINJECTOR, "patch",
                    "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/policy-webhook?fieldManager=cert-manager-cainjector",
                    ref("validatingwebhookconfigurations", "policy-webhook", None,
                        "admissionregistration.k8s.io"), 200, "RequestResponse",
                    {"webhooks": [{"name": "validate.policy.acme.io",
                                   "clientConfig": {"caBundle": CA_CERT_MANAGER}}]}))

    # Hot loop: config-syncer rewrites one configmap every 15 s, changing only a timestamp.
    for i in range(240):
        add(Request(at(5 + 15 * i, 640_000), SYNCER, "update",
                    "/api/v1/namespaces/shop/configmaps/app-settings",
                    ref("configmaps", "app-settings", "shop"), 200, "RequestResponse", config_object(i)))

    # Decoy: an old-style leader-election lock (a configmap annotation) renewed every 20 s.
    for i in range(180):
        add(Request(at(7 + 20 * i, 230_000), AUTOSCALER, "update",
                    "/api/v1/namespaces/kube-system/configmaps/cluster-autoscaler-status-lock",
                    ref("configmaps", "cluster-autoscaler-status-lock", "kube-system"), 200,
                    "Request", leader_lock_object(i)))

    # Decoy: a rare handoff. The HPA scales api now and then, alice runs `kubectl scale` once.
    for minute in (5, 15, 25, 40, 50):
        add(Request(at(60 * minute, 902_000), HPA, "update",
                    "/apis/apps/v1/namespaces/shop/deployments/api/scale",
                    ref("deployments", "api", "shop", "apps", subresource="scale"), 200, "RequestResponse",
                    {"kind": "Scale", "apiVersion": "autoscaling/v1",
                     "metadata": {"name": "api", "namespace": "shop", "resourceVersion": next_rv()},
                     "spec": {"replicas": 3 + minute % 4}}))
    add(Request(at(1800, 417_000), ALICE, "patch",
                "/apis/apps/v1/namespaces/shop/deployments/api/scale?fieldManager=kubectl-scale",
                ref("deployments", "api", "shop", "apps", subresource="scale"), 200, "Request",
                {"spec": {"replicas": 8}}))

    # Decoy: leader-election leases renewed every 20 s by their holders, node leases every 10 s
    # by their kubelets.
    for i in range(360):
        t = 10 * i
        if i % 2 == 0:
            add(Request(at(t + 1, 205_000), KCM, "update",
                        "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=5s",
                        ref("leases", "kube-controller-manager", "kube-system", "coordination.k8s.io"), 200))
        else:
            add(Request(at(t + 3, 711_000), SCHEDULER, "update",
                        "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler?timeout=5s",
                        ref("leases", "kube-scheduler", "kube-system", "coordination.k8s.io"), 200))
        for n, node in enumerate(NODES):
            add(Request(at(t + 5 + n, 118_000 + 1000 * n), kubelet(node), "update",
                        "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + node + "?timeout=10s",
                        ref("leases", node, "kube-node-lease", "coordination.k8s.io"), 200))

    # Decoy: kubelet status heartbeats (node status every minute, pod status now and then).
    for m in range(60):
        for n, node in enumerate(NODES):
            add(Request(at(60 * m + 20 + n, 333_000), kubelet(node), "patch",
                        "/api/v1/nodes/" + node + "/status?timeout=10s",
                        ref("nodes", node, subresource="status"), 200, "Request",
                        {"status": {"conditions": [{"type": "Ready", "status": "True",
                                                    "lastHeartbeatTime": stamp(at(60 * m + 20))[:19] + "Z"}]}}))
    pods = ["web-7d9c5b8f4-2kx8p", "web-7d9c5b8f4-9zq4m", "api-5f6b7c8d9-tm3wn"]
    for m in range(0, 60, 10):
        for p, pod in enumerate(pods):
            add(Request(at(60 * m + 41 + p, 12_000), kubelet(NODES[p % 2]), "patch",
                        "/api/v1/namespaces/shop/pods/" + pod + "/status",
                        ref("pods", pod, "shop", subresource="status"), 200, "Request",
                        {"status": {"conditions": [{"type": "Ready", "status": "True"}]}}))

    # Decoy: events (created, then patched with a count), core and events.k8s.io.
    for i in range(40):
        name = "web-7d9c5b8f4-2kx8p.%x" % (0x17f3a2b4c5d60000 + i)
        add(Request(at(90 * i + 11, 520_000), kubelet(NODES[i % 2]), "create",
                    "/api/v1/namespaces/shop/events", ref("events", name, "shop"), 201, "Request",
                    {"kind": "Event", "apiVersion": "v1", "metadata": {"name": name}, "reason": "Pulled"}))
        add(Request(at(90 * i + 71, 520_000), kubelet(NODES[i % 2]), "patch",
                    "/api/v1/namespaces/shop/events/" + name, ref("events", name, "shop"), 200, "Request",
                    {"count": 2}))
        add(Request(at(90 * i + 13, 101_000), SCHEDULER, "create",
                    "/apis/events.k8s.io/v1/namespaces/shop/events",
                    ref("events", name + "s", "shop", "events.k8s.io"), 201, "Request",
                    {"kind": "Event", "apiVersion": "events.k8s.io/v1", "reason": "Scheduled"}))

    # Background: a rollout's pods created once, a job's AlreadyExists retries, a few reads.
    for i, pod in enumerate(["web-7d9c5b8f4-2kx8p", "web-7d9c5b8f4-9zq4m", "web-7d9c5b8f4-h7v2c"]):
        add(Request(at(600 + i, 250_000), RS_CONTROLLER, "create", "/api/v1/namespaces/shop/pods",
                    ref("pods", pod, "shop"), 201, "Request",
                    {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": pod, "namespace": "shop"}}))
    for i in range(3):
        add(Request(at(1500 + 30 * i, 8_000), JOB_CONTROLLER, "create", "/apis/batch/v1/namespaces/shop/jobs",
                    ref("jobs", "nightly-report", "shop", "batch"), 409, "Request",
                    {"kind": "Job", "apiVersion": "batch/v1", "metadata": {"name": "nightly-report"}},
                    reason="AlreadyExists"))
    for i in range(30):
        add(Request(at(117 * i + 9, 4_000), ALICE if i % 3 == 0 else FLUX, "get",
                    "/apis/apps/v1/namespaces/shop/deployments/web", ref("deployments", "web", "shop", "apps"), 200))

    requests.sort(key=lambda r: (r.when + datetime.timedelta(milliseconds=r.latency_ms), r.audit_id))
    return requests


def kusto_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def iso_milli(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def aks_row(req):
    ev = req.event()
    stage = req.when + datetime.timedelta(milliseconds=req.latency_ms)
    generated = stage + datetime.timedelta(milliseconds=RNG.randint(15000, 95000))
    body = ev.get("requestObject")
    if body is None:
        request_object = "None"
    elif req.tag == "too-big":
        request_object = "skipped-too-big-size-object"
    else:
        request_object = kusto_json(body)
    row = {"TableName": "PrimaryResult", "TenantId": TENANT, "TimeGenerated": iso_milli(generated),
           "AuditId": ev["auditID"], "Level": ev["level"], "PodName": APISERVER_POD,
           "RequestUri": ev["requestURI"], "Stage": ev["stage"], "UserAgent": ev["userAgent"],
           "Verb": ev["verb"], "SourceSystem": "Azure", "Type": "AKSAudit", "_ResourceId": RESOURCE_ID,
           "Annotations": kusto_json(ev["annotations"]), "ObjectRef": kusto_json(ev["objectRef"]),
           "RequestObject": request_object, "ResponseObject": "None",
           "ResponseStatus": kusto_json(ev["responseStatus"]),
           "SourceIps": kusto_json(ev["sourceIPs"]), "User": kusto_json(ev["user"]),
           "RequestReceivedTime": iso_milli(req.when), "StageReceivedTime": iso_milli(stage)}
    return row


def main():
    requests = build()
    with open(os.path.join(HERE, "fight-with-bodies.jsonl"), "w", encoding="utf-8") as out:
        for req in requests:
            out.write(go_json(req.event()) + "\n")
    with open(os.path.join(HERE, "fight-without-bodies.jsonl"), "w", encoding="utf-8") as out:
        for req in requests:
            out.write(go_json(req.event(with_bodies=False)) + "\n")
    # The AKS export: Kusto returns rows in no particular order (blocks of extents interleave).
    rows = [aks_row(req) for req in requests]
    blocks = [rows[i:i + 23] for i in range(0, len(rows), 23)]
    RNG.shuffle(blocks)
    ordered = [row for block in blocks for row in block]
    with open(os.path.join(HERE, "fight-aksaudit-az.json"), "w", encoding="utf-8") as out:
        out.write(json.dumps(ordered, indent=2, sort_keys=True, ensure_ascii=False,
                             separators=(",", ": ")) + "\n")


if __name__ == "__main__":
    main()
