#!/usr/bin/env python3
"""Regenerates every file under samples/; run it from the repository root:

    python3 samples/generate.py

What it writes:
  samples/formats/    the same ~150 API requests (a 15-minute slice of a small AKS cluster) in every
                      input format kubeblame reads: raw audit JSON lines, a JSON array, EventList
                      batches, AKSAudit rows as `az monitor log-analytics query -o json` prints
                      them, as a Log Analytics REST response and as a portal CSV export, legacy
                      AzureDiagnostics rows, a storage-account PT1H.json archive and Event Hub
                      batches. `kubeblame top` must give identical rows for every one of them.
  samples/incident/   the incident from SPEC.md: ArgoCD and the Dapr operator fighting over
                      subscriptions.dapr.io for two hours, with the conversion-webhook error flood
                      it causes, on top of normal cluster traffic; plus a gzipped rotated file
                      holding the twenty minutes before.
  samples/damaged/    raw audit lines with known defects, for the line-accounting tests.

The outputs are committed; CI never runs this script. It uses the Python 3 standard library only
and is deterministic: fixed seeds, no wall clock, gzip with mtime=0. Every timestamp is a whole
millisecond, because the portal CSV export only keeps milliseconds and the numbers (latency =
stageTimestamp - requestReceivedTimestamp) must be identical in every form.
"""

import base64
import csv
import datetime
import gzip
import io
import json
import os
import random
import uuid
from dataclasses import dataclass, field
from typing import Any, Optional

ROOT = os.path.dirname(os.path.abspath(__file__))

UTC = datetime.timezone.utc
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)

# Cluster identity, shared by every Azure-shaped form.
SUBSCRIPTION = "8c2b5e1d-4f3a-4c9e-b7d6-1a2b3c4d5e6f"
WORKSPACE_TENANT = "3f1c9a4e-8d2b-4b6a-9e7f-2c5d8a1b0e64"
RESOURCE_ID = ("/subscriptions/%s/resourcegroups/rg-aks-prod/providers/"
               "microsoft.containerservice/managedclusters/aks-prod" % SUBSCRIPTION)
RESOURCE_ID_UPPER = RESOURCE_ID.upper()
APISERVER_PODS = ["kube-apiserver-6f9c7b8d5-4kq2x", "kube-apiserver-6f9c7b8d5-r7tmz"]
APISERVER_CONTAINERS = {
    APISERVER_PODS[0]: "8f1e0c2a7b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d",
    APISERVER_PODS[1]: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809",
}
OPERATION = "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read"

K8S_UA = "(linux/amd64) kubernetes/55019c8"
KUBELET_UA = "kubelet/v1.29.4 " + K8S_UA
KCM_UA = "kube-controller-manager/v1.29.4 " + K8S_UA
SCHEDULER_UA = "kube-scheduler/v1.29.4 " + K8S_UA + "/scheduler"
KUBECTL_UA = "kubectl/v1.30.1 (darwin/arm64) kubernetes/7d4f8e0"
UNVERSIONED = "/v0.0.0 (linux/amd64) kubernetes/$Format"

WEBHOOK_ERROR = ('conversion webhook for dapr.io/v2alpha1, Kind=Subscription failed: Post '
                 '"https://dapr-webhook.replaceme.svc:443/convert?timeout=30s": '
                 'service "dapr-webhook" not found')


# ---------------------------------------------------------------------------------------------
# Time: every instant is an int of milliseconds since the epoch.

def ms_at(year, month, day, hour, minute, second=0):
    moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return int((moment - EPOCH).total_seconds()) * 1000


def to_datetime(ms):
    return EPOCH + datetime.timedelta(milliseconds=ms)


def iso_micro(ms):
    """kube-apiserver's form: microseconds, here always ending in 000."""
    return to_datetime(ms).strftime("%Y-%m-%dT%H:%M:%S.") + "%03d000Z" % (ms % 1000)


def iso_milli(ms):
    """Log Analytics REST datetime form."""
    return to_datetime(ms).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def iso_nano(ms):
    """Diagnostic-settings record `time` form (nanosecond digits, whole milliseconds here)."""
    return to_datetime(ms).strftime("%Y-%m-%dT%H:%M:%S.") + "%03d000000Z" % (ms % 1000)


def portal_time(ms):
    """Azure portal CSV form: 2/25/2025, 9:19:25.391 AM."""
    moment = to_datetime(ms)
    hour12 = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return "%d/%d/%d, %d:%02d:%02d.%03d %s" % (moment.month, moment.day, moment.year, hour12,
                                                 moment.minute, moment.second, ms % 1000, half)


def klog_time(ms):
    moment = to_datetime(ms)
    return moment.strftime("%m%d %H:%M:%S.") + "%03d000" % (ms % 1000)


def go_duration(nanos):
    """Go's time.Duration.String() for the apiserver.latency.k8s.io annotations."""
    def trim(value, unit, digits):
        text = ("%d.%0" + str(digits) + "d") % (value // 10 ** digits, value % 10 ** digits)
        return text.rstrip("0").rstrip(".") + unit
    if nanos < 1000:
        return "%dns" % nanos
    if nanos < 1000 ** 2:
        return trim(nanos, "\u00b5s", 3)
    if nanos < 1000 ** 3:
        return trim(nanos, "ms", 6)
    return trim(nanos, "s", 9)


# ---------------------------------------------------------------------------------------------
# JSON writers: each producer escapes differently.

def go_json(value):
    """encoding/json as kube-apiserver uses it: compact, UTF-8, HTML characters escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def kusto_json(value):
    """A dynamic value as Log Analytics renders it: compact JSON text."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
# The request model: one API request, which becomes one or more audit events (stages).

@dataclass
class Actor:
    user: dict
    user_agent: Optional[str]
    source_ips: list
    authz_reason: str = ""


@dataclass
class Request:
    received: int
    duration: int
    actor: Actor
    verb: str
    uri: str
    object_ref: Optional[dict]
    code: int = 200
    status: Optional[dict] = None   # message/reason/details for error codes
    level: str = "Metadata"
    request_object: Any = None
    response_object: Any = None
    impersonated: Optional[dict] = None
    long_running: bool = False      # watch, exec: a ResponseStarted event before ResponseComplete
    failed_auth: bool = False       # a single ResponseStarted event with code 401
    received_event: bool = False    # also emit the RequestReceived stage
    extra_annotations: dict = field(default_factory=dict)
    audit_id: str = ""
    apiserver_pod: str = ""


def new_uuid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def object_ref(resource, namespace=None, name=None, group=None, version="v1",
               subresource=None):
    """objectRef in the field order of audit.k8s.io/v1 ObjectReference."""
    ref = {"resource": resource}
    if namespace:
        ref["namespace"] = namespace
    if name:
        ref["name"] = name
    if group:
        ref["apiGroup"] = group
    ref["apiVersion"] = version
    if subresource:
        ref["subresource"] = subresource
    return ref


def path_of(ref):
    parts = ["/api/v1" if "apiGroup" not in ref else "/apis/%s/%s" % (ref["apiGroup"],
                                                                      ref["apiVersion"])]
    if "namespace" in ref:
        parts.append("namespaces/" + ref["namespace"])
    parts.append(ref["resource"])
    if "name" in ref:
        parts.append(ref["name"])
    if "subresource" in ref:
        parts.append(ref["subresource"])
    return "/".join(parts)


def watch_query(rng, resource_version, bookmarks=True):
    seconds = rng.randint(300, 599)
    query = "allowWatchBookmarks=true&" if bookmarks else ""
    return "%sresourceVersion=%d&timeout=%dm%ds&timeoutSeconds=%d&watch=true" % (
        query, resource_version, seconds // 60, seconds % 60, seconds), seconds


def status_body(message, reason=None, details=None):
    body = {"status": "Failure", "message": message}
    if reason:
        body["reason"] = reason
    if details:
        body["details"] = details
    return body


def conflict_status(resource, name, group=None):
    kind = resource if not group else "%s.%s" % (resource, group)
    details = {"name": name, "kind": resource}
    if group:
        details["group"] = group
    return status_body('Operation cannot be fulfilled on %s "%s": the object has been '
                       'modified; please apply your changes to the latest version and try '
                       'again' % (kind, name), "Conflict", details)


def latency_annotations(rng, duration_ms):
    """Written by kube-apiserver only on ResponseComplete and only above 500 ms."""
    total = duration_ms * 1000000
    etcd = int(total * rng.uniform(0.55, 0.85))
    serialize = int(total * rng.uniform(0.05, 0.2))
    return {
        "apiserver.latency.k8s.io/apf-queue-wait": go_duration(rng.randint(9000, 90000)),
        "apiserver.latency.k8s.io/etcd": go_duration(etcd),
        "apiserver.latency.k8s.io/response-write": go_duration(rng.randint(800, 9000)),
        "apiserver.latency.k8s.io/serialize-response-object": go_duration(serialize),
        "apiserver.latency.k8s.io/total": go_duration(total),
        "apiserver.latency.k8s.io/transform-response-object": go_duration(
            rng.randint(2000, 60000)),
    }


def response_status(code, status):
    body = {"metadata": {}}
    if status:
        body.update(status)
    body["code"] = code
    return body


def build_event(req, stage, stage_ms, code):
    """One audit.k8s.io/v1 Event in kube-apiserver's key order."""
    ev = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": req.level,
          "auditID": req.audit_id, "stage": stage, "requestURI": req.uri, "verb": req.verb,
          "user": {} if req.failed_auth else req.actor.user}
    if req.impersonated:
        ev["impersonatedUser"] = req.impersonated
    ev["sourceIPs"] = req.actor.source_ips
    if req.actor.user_agent is not None:
        ev["userAgent"] = req.actor.user_agent
    if req.object_ref:
        ev["objectRef"] = req.object_ref
    if stage != "RequestReceived":
        ev["responseStatus"] = response_status(code, req.status)
    if stage == "ResponseComplete" and req.level in ("Request", "RequestResponse"):
        if req.request_object is not None:
            ev["requestObject"] = req.request_object
        if req.level == "RequestResponse" and req.response_object is not None:
            ev["responseObject"] = req.response_object
    ev["requestReceivedTimestamp"] = iso_micro(req.received)
    ev["stageTimestamp"] = iso_micro(stage_ms)
    if stage != "RequestReceived" and not req.failed_auth:
        annotations = {"authorization.k8s.io/decision": "forbid" if req.code == 403 else "allow",
                       "authorization.k8s.io/reason": "" if req.code == 403
                       else req.actor.authz_reason}
        annotations.update(req.extra_annotations)
        ev["annotations"] = dict(sorted(annotations.items()))  # Go writes maps sorted
    return ev


def events_of(req, rng):
    """(stage time, event) pairs for one request, in the order the stages happen."""
    out = []
    if req.received_event:
        out.append((req.received, build_event(req, "RequestReceived", req.received, req.code)))
    if req.failed_auth:
        out.append((req.received + req.duration,
                    build_event(req, "ResponseStarted", req.received + req.duration, 401)))
        return out
    if req.long_running:
        started = req.received + min(req.duration, rng.randint(1, 6))
        out.append((started, build_event(req, "ResponseStarted", started, req.code)))
    end = req.received + req.duration
    if req.duration > 500 and not req.long_running:
        req.extra_annotations.update(latency_annotations(rng, req.duration))
    out.append((end, build_event(req, "ResponseComplete", end, req.code)))
    return out


def finalize(requests, rng):
    """Assigns audit IDs and API-server replicas, then returns all events in stage-time order."""
    requests.sort(key=lambda r: r.received)
    timed = []
    for index, req in enumerate(requests):
        req.audit_id = new_uuid(rng)
        req.apiserver_pod = APISERVER_PODS[rng.random() < 0.5]
        for order, (moment, ev) in enumerate(events_of(req, rng)):
            timed.append((moment, index, order, req, ev))
    timed.sort(key=lambda item: (item[0], item[1], item[2]))
    return [(req, ev) for _, _, _, req, ev in timed]


# ---------------------------------------------------------------------------------------------
# The cluster's clients.

def service_account(rng, namespace, name, pod=None):
    user = {"username": "system:serviceaccount:%s:%s" % (namespace, name),
            "uid": new_uuid(rng),
            "groups": ["system:serviceaccounts", "system:serviceaccounts:" + namespace,
                       "system:authenticated"]}
    if pod:
        user["extra"] = {"authentication.kubernetes.io/pod-name": [pod],
                         "authentication.kubernetes.io/pod-uid": [new_uuid(rng)]}
    return user


def rbac_reason(binding, role, subject):
    return 'RBAC: allowed by ClusterRoleBinding "%s" of ClusterRole "%s" to %s' % (
        binding, role, subject)


class Cluster:
    """The identities of one small AKS cluster: nodes, controllers, add-ons and people."""

    def __init__(self, rng, node_count):
        self.nodes = ["aks-nodepool1-12345678-vmss%06d" % i for i in range(node_count)]
        self.kubelets = [Actor({"username": "system:node:" + node,
                                "groups": ["system:nodes", "system:authenticated"]},
                               KUBELET_UA, ["10.224.0.%d" % (4 + i)])
                         for i, node in enumerate(self.nodes)]
        self.controllers = {}
        for controller in ("replicaset-controller", "deployment-controller",
                           "endpointslice-controller", "generic-garbage-collector",
                           "horizontal-pod-autoscaler", "resourcequota-controller"):
            self.controllers[controller] = Actor(
                service_account(rng, "kube-system", controller),
                "%s/system:serviceaccount:kube-system:%s" % (KCM_UA, controller),
                ["172.31.5.31"],
                rbac_reason("system:controller:" + controller, "system:controller:" + controller,
                            'ServiceAccount "%s/kube-system"' % controller))
        self.scheduler = Actor({"username": "system:kube-scheduler", "uid": "",
                                "groups": ["system:authenticated"]},
                               SCHEDULER_UA, ["172.31.5.32"],
                               rbac_reason("system:kube-scheduler", "system:kube-scheduler",
                                           'User "system:kube-scheduler"'))
        coredns_reason = rbac_reason("system:coredns", "system:coredns",
                                     'ServiceAccount "coredns/kube-system"')
        self.coredns = [Actor(service_account(rng, "kube-system", "coredns", pod),
                              "coredns" + UNVERSIONED, [ip], coredns_reason)
                        for pod, ip in (("coredns-789789675-5xqzv", "10.244.0.7"),
                                        ("coredns-789789675-hw8dn", "10.244.1.4"))]
        self.argocd = Actor(
            service_account(rng, "argocd", "argocd-application-controller",
                            "argocd-application-controller-0"),
            "argocd-application-controller" + UNVERSIONED, ["10.244.1.23"],
            rbac_reason("argocd-application-controller", "argocd-application-controller",
                        'ServiceAccount "argocd-application-controller/argocd"'))
        self.dapr = Actor(
            service_account(rng, "dapr-system", "dapr-operator", "dapr-operator-6d9f8c7b5-k2xlp"),
            "dapr-operator" + UNVERSIONED, ["10.244.0.31"],
            rbac_reason("dapr-operator-admin", "dapr-operator-admin",
                        'ServiceAccount "dapr-operator/dapr-system"'))
        self.probe = Actor({"username": "system:anonymous", "groups": ["system:unauthenticated"]},
                           "kube-probe/1.29", ["10.224.0.4"],
                           rbac_reason("system:public-info-viewer", "system:public-info-viewer",
                                       'Group "system:unauthenticated"'))
        admins = "5f6c2b7e-0d4a-4c8e-9b1f-3a7d2e6c9b40"
        self.alice = Actor(self.aad_user(rng, "alice@contoso.com", [admins]), KUBECTL_UA,
                           ["203.0.113.25"],
                           rbac_reason("aks-cluster-admin-binding-aad", "cluster-admin",
                                       'Group "%s"' % admins))
        self.bob = Actor(self.aad_user(rng, "bob@contoso.com",
                                       ["c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"]),
                         KUBECTL_UA.replace("darwin/arm64", "linux/amd64"), ["198.51.100.14"])
        self.carol = Actor(self.aad_user(rng, "carol@contoso.com", [admins]),
                           "kubectl/v1.29.2 (windows/amd64) kubernetes/4b8e819",
                           ["10.10.4.21", "203.0.113.77"],
                           rbac_reason("aks-cluster-admin-binding-aad", "cluster-admin",
                                       'Group "%s"' % admins))

    @staticmethod
    def aad_user(rng, name, groups):
        return {"username": name, "groups": groups + ["system:authenticated"],
                "extra": {"oid": [new_uuid(rng)]}}


# ---------------------------------------------------------------------------------------------
# Request helpers: one call per kind of request a client sends.

class Traffic:
    def __init__(self, rng, cluster):
        self.rng = rng
        self.cluster = cluster
        self.requests = []
        self.resource_version = 48211000

    def rv(self):
        self.resource_version += self.rng.randint(3, 40)
        return self.resource_version

    def add(self, received, duration, actor, verb, ref, query="", path=None, **kwargs):
        uri = (path or path_of(ref)) + ("?" + query if query else "")
        req = Request(received, duration, actor, verb, uri, ref, **kwargs)
        self.requests.append(req)
        return req

    def fast(self, low=1, high=12):
        return self.rng.randint(low, high)

    # kubelet -------------------------------------------------------------------------------
    def lease_renewal(self, t, node_index):
        node = self.cluster.nodes[node_index]
        self.add(t, self.fast(2, 9), self.cluster.kubelets[node_index], "update",
                 object_ref("leases", "kube-node-lease", node, "coordination.k8s.io"),
                 "timeout=10s")

    def node_get(self, t, node_index):
        node = self.cluster.nodes[node_index]
        self.add(t, self.fast(1, 4), self.cluster.kubelets[node_index], "get",
                 object_ref("nodes", name=node), "resourceVersion=0&timeout=10s")

    def node_status(self, t, node_index):
        node = self.cluster.nodes[node_index]
        self.add(t, self.fast(4, 16), self.cluster.kubelets[node_index], "patch",
                 object_ref("nodes", name=node, subresource="status"), "timeout=10s")

    def pod_status(self, t, node_index, namespace, pod):
        self.add(t, self.fast(3, 14), self.cluster.kubelets[node_index], "patch",
                 object_ref("pods", namespace, pod, subresource="status"))

    def watch(self, t, actor, ref, bookmarks=True, **kwargs):
        query, seconds = watch_query(self.rng, self.rv(), bookmarks)
        return self.add(t, seconds * 1000 + self.rng.randint(2, 900), actor, "watch", ref,
                        query, long_running=True, **kwargs)

    def list(self, t, actor, ref, duration, query="limit=500&resourceVersion=0", **kwargs):
        return self.add(t, duration, actor, "list", ref, query, **kwargs)

    def nonresource(self, t, actor, path, duration, code=200, **kwargs):
        return self.add(t, duration, actor, "get", None, path=path, code=code, **kwargs)


# ---------------------------------------------------------------------------------------------
# samples/formats: a 15-minute slice of the cluster, ~150 requests.

def dapr_crd(namespace, ca_bundle, resource_version, generation):
    """The Dapr subscriptions CRD, trimmed to the parts that matter (schemas elided)."""
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {
            "name": "subscriptions.dapr.io", "uid": "0b6f4c1e-2f7a-4d3b-9c8e-5a1d7e3f9b20",
            "resourceVersion": str(resource_version), "generation": generation,
            "labels": {"argocd.argoproj.io/instance": "dapr"}},
        "spec": {
            "group": "dapr.io",
            "names": {"kind": "Subscription", "listKind": "SubscriptionList",
                      "plural": "subscriptions", "singular": "subscription"},
            "scope": "Namespaced",
            "conversion": {"strategy": "Webhook", "webhook": {
                "clientConfig": {"service": {"namespace": namespace, "name": "dapr-webhook",
                                             "path": "/convert", "port": 443},
                                 "caBundle": ca_bundle},
                "conversionReviewVersions": ["v1", "v2alpha1"]}},
            "versions": [
                {"name": "v1alpha1", "served": True, "storage": False,
                 "schema": {"openAPIV3Schema": {"type": "object",
                                                "x-kubernetes-preserve-unknown-fields": True}}},
                {"name": "v2alpha1", "served": True, "storage": True,
                 "schema": {"openAPIV3Schema": {"type": "object",
                                                "x-kubernetes-preserve-unknown-fields": True}}}]},
    }


def dapr_ca_bundle(rng):
    # Not a real certificate: a PEM-looking blob so the value is long and realistic in shape.
    body = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(32))).decode()
    pem = "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n"
    return base64.b64encode(pem.encode()).decode()


CHART_CA_BUNDLE = "Cg=="  # the Dapr chart's placeholder, next to namespace: replaceme


def argocd_crd_patch():
    return {"spec": {"conversion": {"webhook": {"clientConfig": {
        "caBundle": CHART_CA_BUNDLE, "service": {"namespace": "replaceme"}}}}}}


def dapr_json_patch(ca_bundle):
    return [{"op": "replace", "path": "/spec/conversion/webhook/clientConfig/service/namespace",
             "value": "dapr-system"},
            {"op": "replace", "path": "/spec/conversion/webhook/clientConfig/caBundle",
             "value": ca_bundle}]


def formats_requests(rng):
    cluster = Cluster(rng, 3)
    tr = Traffic(rng, cluster)
    c = cluster
    start = ms_at(2025, 2, 25, 9, 10)
    span = 15 * 60 * 1000

    def at(seconds):
        return start + int(seconds * 1000) + rng.randint(0, 999)

    # kubelets: lease renewals (sampled), node GETs, node and pod status patches, two watches.
    for node in range(3):
        for k in range(15):
            tr.lease_renewal(at(node * 7 + k * 60), node)
        for k in range(2):
            tr.node_get(at(node * 11 + 200 + k * 400), node)
        for k in range(3):
            tr.node_status(at(node * 13 + 60 + k * 300), node)
        tr.watch(at(node * 5 + 20), c.kubelets[node], object_ref("configmaps", "default"))
        tr.requests[-1].uri = tr.requests[-1].uri.replace(
            "?", "?fieldSelector=metadata.name%3Dkube-root-ca.crt&", 1)
    for k, (node, pod) in enumerate([(0, "web-6d8f9b7c4-x7k2p"), (1, "web-6d8f9b7c4-q9d4m"),
                                      (2, "api-7c9d5f8b6-2vbnl"), (0, "api-7c9d5f8b6-m5tqk")]):
        tr.pod_status(at(150 + k * 170), node, "default", pod)

    # kube-controller-manager controllers.
    rs, dep, eps = (c.controllers["replicaset-controller"], c.controllers["deployment-controller"],
                    c.controllers["endpointslice-controller"])
    for k, pod in enumerate(["web-6d8f9b7c4-z8r5w", "api-7c9d5f8b6-j3xkc"]):
        t = at(305 + k * 240)
        tr.add(t, tr.fast(9, 30), rs, "create", object_ref("pods", "default"),
               extra_annotations={"pod-security.kubernetes.io/enforce-policy":
                                  "privileged:latest"}, code=201)
        tr.add(t + 40, tr.fast(4, 12), rs, "update",
               object_ref("replicasets", "default", pod.rsplit("-", 1)[0], "apps",
                          subresource="status"))
        tr.add(t + 300, tr.fast(4, 12), dep, "update",
               object_ref("deployments", "default", pod.split("-")[0], "apps",
                          subresource="status"))
        # The scheduler binds the new pod.
        tr.add(t + 120, tr.fast(6, 20), c.scheduler, "create",
               object_ref("pods", "default", pod, subresource="binding"), code=201)
    for k, name in enumerate(["web-5xk2p", "api-9qh7d", "kubernetes", "web-5xk2p"]):
        tr.add(at(310 + k * 150), tr.fast(3, 11), eps, "update",
               object_ref("endpointslices", "default", name, "discovery.k8s.io"))
    hpa = c.controllers["horizontal-pod-autoscaler"]
    for k in range(2):
        tr.add(at(45 + k * 450), tr.fast(2, 6), hpa, "get",
               object_ref("deployments", "default", "web", "apps", subresource="scale"))
    tr.list(at(500), c.controllers["generic-garbage-collector"],
            object_ref("subscriptions", group="dapr.io", version="v1alpha1"), tr.fast(12, 30),
            query="limit=500&resourceVersion=0", code=500, status=status_body(WEBHOOK_ERROR))
    tr.list(at(620), c.controllers["resourcequota-controller"],
            object_ref("resourcequotas"), tr.fast(2, 8), query="limit=500&resourceVersion=0")

    # coredns: a resourceVersion=0 list then watches, from both replicas.
    for k, dns in enumerate(c.coredns):
        tr.list(at(10 + k * 3), dns, object_ref("endpointslices", group="discovery.k8s.io"),
                tr.fast(3, 15))
        tr.watch(at(12 + k * 3), dns, object_ref("endpointslices", group="discovery.k8s.io"))
        tr.watch(at(30 + k * 5), dns, object_ref("services"))
    tr.watch(at(40), c.coredns[0], object_ref("namespaces"))

    # ArgoCD: cluster-wide lists (one slow), a watch, app status patches, the CRD fight's first
    # rounds, a configmap conflict, a throttled list, the webhook failure.
    a = c.argocd
    tr.list(at(25), a, object_ref("deployments", group="apps"), 1237, query="limit=500")
    tr.list(at(27), a, object_ref("pods"), 2318, query="limit=500")
    tr.list(at(29), a, object_ref("configmaps"), tr.fast(20, 45), query="limit=500")
    tr.watch(at(35), a, object_ref("deployments", group="apps"))
    tr.list(at(31), a, object_ref("subscriptions", group="dapr.io", version="v1alpha1"),
            tr.fast(8, 25), query="limit=500", code=500, status=status_body(WEBHOOK_ERROR))
    tr.list(at(33), a, object_ref("customresourcedefinitions", group="apiextensions.k8s.io"),
            tr.fast(40, 120), query="limit=500")
    for k in range(5):
        tr.add(at(90 + k * 160), tr.fast(5, 18), a, "patch",
               object_ref("applications", "argocd", ["dapr", "guestbook"][k % 2], "argoproj.io",
                          "v1alpha1"))
    tr.add(at(210), tr.fast(4, 12), a, "get", object_ref("configmaps", "argocd", "argocd-cm"))
    tr.add(at(211), tr.fast(5, 14), a, "update", object_ref("configmaps", "argocd", "argocd-cm"),
           code=409, status=conflict_status("configmaps", "argocd-cm"))
    tr.add(at(212), tr.fast(5, 14), a, "update", object_ref("configmaps", "argocd", "argocd-cm"))
    tr.list(at(400), a, object_ref("replicasets", group="apps"), tr.fast(1, 3),
            query="limit=500", code=429)
    tr.nonresource(at(600), a, "/version", tr.fast(1, 3))
    ca = dapr_ca_bundle(rng)
    crd = object_ref("customresourcedefinitions", name="subscriptions.dapr.io",
                     group="apiextensions.k8s.io")
    generation = 41
    for k in range(2):
        generation += 1
        tr.add(at(140 + k * 360), tr.fast(12, 35), a, "patch", crd,
               "fieldManager=argocd-controller", level="RequestResponse",
               request_object=argocd_crd_patch(),
               response_object=dapr_crd("replaceme", CHART_CA_BUNDLE, tr.rv(), generation))

    # Dapr operator: leader-election lease, CRD writes (one conflict), lists that hit the webhook.
    d = c.dapr
    for k in range(5):
        tr.add(at(15 + k * 170), tr.fast(3, 9), d, "update",
               object_ref("leases", "dapr-system", "operator.dapr.io", "coordination.k8s.io"))
    for k in range(2):
        generation += 1
        t = at(170 + k * 360)
        tr.add(t, tr.fast(2, 6), d, "get", crd)
        if k == 0:
            tr.add(t + 30, tr.fast(6, 15), d, "update", crd, code=409,
                   status=conflict_status("customresourcedefinitions", "subscriptions.dapr.io",
                                          "apiextensions.k8s.io"))
            tr.add(t + 1100, tr.fast(2, 6), d, "get", crd)
            # The update carries the object as read (old resourceVersion and generation).
            sent = dapr_crd("dapr-system", ca, tr.resource_version, generation - 1)
            body = dapr_crd("dapr-system", ca, tr.rv(), generation)
            tr.add(t + 1140, tr.fast(12, 35), d, "update", crd, level="RequestResponse",
                   request_object=sent, response_object=body)
        else:
            tr.add(t + 30, tr.fast(12, 35), d, "patch", crd, "fieldManager=dapr-operator",
                   level="RequestResponse", request_object=dapr_json_patch(ca),
                   response_object=dapr_crd("dapr-system", ca, tr.rv(), generation))
    for k in range(2):
        tr.list(at(160 + k * 360), d, object_ref("subscriptions", group="dapr.io",
                                                 version="v1alpha1"),
                tr.fast(8, 25), query="limit=500&resourceVersion=0", code=500,
                status=status_body(WEBHOOK_ERROR))
        tr.add(at(250 + k * 300), tr.fast(2, 7), d, "get",
               object_ref("components", "default", "statestore", "dapr.io", "v1alpha1"))
    tr.watch(at(60), d, object_ref("configurations", group="dapr.io", version="v1alpha1"))

    # People: alice (discovery, gets, a 404, scale, exec, a create, a delete, a PDB-blocked
    # eviction), bob (forbidden), carol impersonating a deployer (an invalid then a good create).
    al = c.alice
    base = 480
    tr.nonresource(at(base), al, "/api", tr.fast(1, 3))
    tr.nonresource(at(base + 0.2), al, "/apis", tr.fast(1, 4))
    tr.nonresource(at(base + 0.5), al, "/openapi/v2", 412)
    tr.add(at(base + 1), tr.fast(4, 15), al, "list", object_ref("pods", "default"), "limit=500")
    tr.add(at(base + 8), tr.fast(2, 6), al, "get",
           object_ref("pods", "default", "web-6d8f9b7c4-x7k2p"))
    tr.add(at(base + 15), tr.fast(2, 6), al, "get", object_ref("pods", "default", "web-7"),
           code=404, status=status_body('pods "web-7" not found', "NotFound",
                                        {"name": "web-7", "kind": "pods"}))
    tr.add(at(base + 30), tr.fast(5, 15), al, "patch",
           object_ref("deployments", "default", "web", "apps", subresource="scale"),
           level="Request", request_object={"spec": {"replicas": 4}})
    tr.add(at(base + 45), 183000, al, "create",
           object_ref("pods", "default", "web-6d8f9b7c4-x7k2p", subresource="exec"),
           "command=sh&container=web&stdin=true&stdout=true&tty=true", code=101,
           long_running=True)
    tr.add(at(base + 250), tr.fast(30, 90), al, "list",
           object_ref("customresourcedefinitions", group="apiextensions.k8s.io"), "limit=500")
    tr.add(at(base + 260), tr.fast(2, 6), al, "get", crd)
    tr.add(at(base + 280), tr.fast(6, 18), al, "create", object_ref("configmaps", "default"),
           "fieldManager=kubectl-client-side-apply&fieldValidation=Strict", code=201)
    tr.add(at(base + 300), tr.fast(8, 25), al, "delete",
           object_ref("pods", "default", "api-7c9d5f8b6-m5tqk"))
    tr.add(at(base + 320), tr.fast(4, 10), al, "create",
           object_ref("pods", "default", "web-6d8f9b7c4-q9d4m", subresource="eviction"), code=429,
           status=status_body("Cannot evict pod as it would violate the pod's disruption "
                              "budget.", "TooManyRequests",
                              {"causes": [{"reason": "DisruptionBudget",
                                           "message": "The disruption budget web-pdb needs 2 "
                                                      "healthy pods and has 2 currently"}]}))
    tr.add(at(700), tr.fast(2, 8), c.bob, "list", object_ref("secrets", "payments"), "limit=500",
           code=403, status=status_body(
               'secrets is forbidden: User "bob@contoso.com" cannot list resource "secrets" in '
               'API group "" in the namespace "payments"', "Forbidden", {"kind": "secrets"}))
    tr.add(at(702), tr.fast(2, 8), c.bob, "get", object_ref("namespaces", name="payments"))
    deployer = {"username": "system:serviceaccount:dev:deployer",
                "groups": ["system:serviceaccounts", "system:serviceaccounts:dev",
                           "system:authenticated"]}
    invalid = ('Deployment.apps "api" is invalid: spec.template.metadata.labels: Invalid value: '
               'map[string]string{"app":"api-v2"}: `selector` does not match template `labels`')
    tr.add(at(760), tr.fast(6, 18), c.carol, "create",
           object_ref("deployments", "dev", group="apps"),
           "fieldManager=kubectl-create&fieldValidation=Strict", code=422,
           status=status_body(invalid, "Invalid", {
               "name": "api", "group": "apps", "kind": "Deployment",
               "causes": [{"reason": "FieldValueInvalid",
                           "message": "Invalid value: map[string]string{\"app\":\"api-v2\"}: "
                                      "`selector` does not match template `labels`",
                           "field": "spec.template.metadata.labels"}]}),
           impersonated=deployer)
    tr.add(at(790), tr.fast(6, 18), c.carol, "create",
           object_ref("deployments", "dev", group="apps"),
           "fieldManager=kubectl-create&fieldValidation=Strict", code=201, impersonated=deployer)
    tr.add(at(795), tr.fast(2, 6), c.carol, "get", object_ref("deployments", "dev", "api", "apps"),
           impersonated=deployer)

    # Health probes, a failed authentication, and a client that sends no User-Agent.
    for k in range(3):
        tr.nonresource(at(100 + k * 300), c.probe, "/healthz", tr.fast(1, 2))
        tr.nonresource(at(101 + k * 300), c.probe, "/readyz", tr.fast(1, 3))
    tr.add(at(555), 1, Actor({}, "curl/8.4.0", ["198.51.100.99"]), "list",
           object_ref("secrets", "kube-system"), failed_auth=True, code=401,
           status={"message": "Authentication failed, attempted: bearer"})
    tr.nonresource(at(640), Actor(service_account(rng, "ops", "uptime-check"), None,
                                  ["10.244.2.9"],
                                  rbac_reason("system:public-info-viewer",
                                              "system:public-info-viewer",
                                              'Group "system:authenticated"')),
                   "/version", tr.fast(1, 2))

    # A few requests also logged at RequestReceived (the policy here keeps that stage for them).
    for req in rng.sample(tr.requests, 5):
        if not req.failed_auth:
            req.received_event = True
    assert all(start <= r.received and r.received + r.duration < start + span
               for r in tr.requests)
    return finalize(tr.requests, rng)


# ---------------------------------------------------------------------------------------------
# Writers, one per format. `events` is a list of (Request, event dict) in stage-time order.

def write(path, data):
    full = os.path.join(ROOT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as out:
        out.write(data.encode() if isinstance(data, str) else data)


def raw_lines(events):
    return "".join(go_json(ev) + "\n" for _, ev in events)


def write_audit_jsonl(events):
    write("formats/audit.jsonl", raw_lines(events))


def write_audit_array(events):
    write("formats/audit-array.json",
          json.dumps([ev for _, ev in events], indent=2, ensure_ascii=False) + "\n")


def write_eventlist(events):
    # The webhook backend's batches; items carry no kind/apiVersion of their own (only the
    # list is typed when the backend encodes a batch).
    lines = []
    half = (len(events) + 1) // 2
    for batch in (events[:half], events[half:]):
        items = [{k: v for k, v in ev.items() if k not in ("kind", "apiVersion")}
                 for _, ev in batch]
        lines.append(go_json({"kind": "EventList", "apiVersion": "audit.k8s.io/v1",
                              "metadata": {}, "items": items}))
    write("formats/audit-eventlist.json", "\n".join(lines) + "\n")


AKS_COLUMNS = [  # (name, Log Analytics type) in the AKSAudit schema order used here
    ("TenantId", "string"), ("TimeGenerated", "datetime"), ("AuditId", "string"),
    ("Level", "string"), ("PodName", "string"), ("RequestUri", "string"), ("Stage", "string"),
    ("UserAgent", "string"), ("Verb", "string"), ("SourceSystem", "string"), ("Type", "string"),
    ("_ResourceId", "string"), ("Annotations", "dynamic"), ("ObjectRef", "dynamic"),
    ("RequestObject", "dynamic"), ("ResponseObject", "dynamic"), ("ResponseStatus", "dynamic"),
    ("SourceIps", "dynamic"), ("User", "dynamic"), ("RequestReceivedTime", "datetime"),
    ("StageReceivedTime", "datetime"),
]


def azure_events(events):
    """AKS's audit policy omits the RequestReceived stage: those events never reach Azure."""
    return [(req, ev) for req, ev in events if ev["stage"] != "RequestReceived"]


def ingestion_lags(events, rng):
    """TimeGenerated is ingestion time: the stage time plus a lag of tens of seconds."""
    return [rng.randint(15000, 95000) for _ in events]


def aks_row(req, ev, lag):
    """One AKSAudit row as typed values: str, int ms for datetimes, None; dynamics as text."""
    def dynamic(key):
        return kusto_json(ev[key]) if key in ev else None
    stage_ms = parse_micro(ev["stageTimestamp"])
    return {
        "TenantId": WORKSPACE_TENANT, "TimeGenerated": ("time", stage_ms + lag),
        "AuditId": ev["auditID"], "Level": ev["level"], "PodName": req.apiserver_pod,
        "RequestUri": ev["requestURI"], "Stage": ev["stage"], "UserAgent": ev.get("userAgent", ""),
        "Verb": ev["verb"], "SourceSystem": "Azure", "Type": "AKSAudit",
        "_ResourceId": RESOURCE_ID, "Annotations": dynamic("annotations"),
        "ObjectRef": dynamic("objectRef"), "RequestObject": dynamic("requestObject"),
        "ResponseObject": dynamic("responseObject"), "ResponseStatus": dynamic("responseStatus"),
        "SourceIps": dynamic("sourceIPs"), "User": dynamic("user"),
        "RequestReceivedTime": ("time", parse_micro(ev["requestReceivedTimestamp"])),
        "StageReceivedTime": ("time", stage_ms),
    }


def parse_micro(text):
    moment = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return int((moment - EPOCH) / datetime.timedelta(milliseconds=1))


def rest_value(value):
    return iso_milli(value[1]) if isinstance(value, tuple) else value


def write_aks_az(rows, rng):
    # `az monitor log-analytics query -o json`: every REST value through Python str(), keys
    # sorted by knack's JSON output, indent 2, non-ASCII kept. Kusto returns rows in no
    # particular order; shuffle whole blocks the way extents interleave.
    objects = []
    for row in rows:
        item = {"TableName": "PrimaryResult"}
        for name, _ in AKS_COLUMNS:
            item[name] = str(rest_value(row[name]))
        objects.append(item)
    blocks = [objects[i:i + 17] for i in range(0, len(objects), 17)]
    rng.shuffle(blocks)
    ordered = [item for block in blocks for item in block]
    write("formats/aksaudit-az.json",
          json.dumps(ordered, indent=2, sort_keys=True, ensure_ascii=False,
                     separators=(",", ": ")) + "\n")


def write_aks_rest(rows):
    table = {"name": "PrimaryResult",
             "columns": [{"name": name, "type": kind} for name, kind in AKS_COLUMNS],
             "rows": [[rest_value(row[name]) for name, _ in AKS_COLUMNS]
                      for row in sorted(rows, key=lambda r: r["TimeGenerated"][1])]}
    write("formats/aksaudit-rest.json", json.dumps({"tables": [table]}, indent=1,
                                                   ensure_ascii=False) + "\n")


def write_aks_portal_csv(rows):
    # Portal "Export to CSV": BOM, CRLF, datetime headers with " [UTC]", US 12-hour datetimes,
    # RFC 4180 quoting. Sorted newest first, as the portal query `| sort by TimeGenerated desc`.
    def header(name, kind):
        return name + " [UTC]" if kind == "datetime" else name

    def cell(value):
        if value is None:
            return ""
        return portal_time(value[1]) if isinstance(value, tuple) else value

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([header(name, kind) for name, kind in AKS_COLUMNS])
    for row in sorted(rows, key=lambda r: r["TimeGenerated"][1], reverse=True):
        writer.writerow([cell(row[name]) for name, _ in AKS_COLUMNS])
    # csv leaves "TimeGenerated [UTC]" bare; the portal quotes header cells with spaces.
    text = buffer.getvalue()
    first, rest = text.split("\r\n", 1)
    first = ",".join('"%s"' % h if " " in h else h for h in first.split(","))
    write("formats/aksaudit-portal.csv", "\ufeff" + first + "\r\n" + rest)


def klog_rows(start, slow_list=None):
    """kube-apiserver stderr lines that land next to the audit rows in AzureDiagnostics.
    `slow_list` is the ArgoCD deployments LIST that the trace line describes."""
    audit_id, received = (slow_list.audit_id, slow_list.received) if slow_list else ("", start)
    trace_start = to_datetime(received).strftime("%d-%b-%Y %H:%M:%S.") + "%03d" % (
        received % 1000)
    svc = 'Post "https://dapr-webhook.replaceme.svc:443/convert?timeout=30s": service ' \
          '"dapr-webhook" not found'
    lines = [
        (31, "W%s       1 reflector.go:539] storage/cacher.go:/dapr.io/subscriptions: failed to "
             "list dapr.io/v2alpha1, Kind=Subscription: conversion webhook for dapr.io/v2alpha1, "
             "Kind=Subscription failed: " + svc),
        (31, "E%s       1 cacher.go:475] cacher (subscriptions.dapr.io): unexpected ListAndWatch "
             "error: failed to list dapr.io/v2alpha1, Kind=Subscription: conversion webhook for "
             "dapr.io/v2alpha1, Kind=Subscription failed: " + svc + "; reinitializing..."),
        (160, "E%s       1 status.go:71] apiserver received an error that is not an "
              "metav1.Status: &errors.errorString{s:\"conversion webhook for dapr.io/v2alpha1, "
              "Kind=Subscription failed: Post \\\"https://dapr-webhook.replaceme.svc:443/convert"
              "?timeout=30s\\\": service \\\"dapr-webhook\\\" not found\"}: conversion webhook "
              "for dapr.io/v2alpha1, Kind=Subscription failed: " + svc),
        (None, "I%s      18 trace.go:236] Trace[1340934723]: \"List\" accept:application/json, */*,"
             "audit-id:" + audit_id + ",client:10.244.1.23,protocol:HTTP/2.0,resource:deployments,"
             "scope:cluster,url:/apis/apps/v1/deployments,user-agent:argocd-application-"
             "controller/v0.0.0 (linux/amd64) kubernetes/$Format,verb:LIST (" + trace_start +
             ") (total time: 1237ms):"),
        (555, "E%s       1 authentication.go:73] \"Unable to authenticate the request\" "
              "err=\"[invalid bearer token, service account token has expired]\""),
    ]
    rows = []
    for i, (seconds, text) in enumerate(lines):
        # The trace is written when the traced request ends; the rest near their requests.
        moment = received + 1238 if seconds is None else start + seconds * 1000 + 900 + i
        rows.append((moment, text % klog_time(moment)))
    return rows


def write_azure_diagnostics(events, lags, rng):
    """Legacy AzureDiagnostics rows (az -o json): audit events as JSON text in log_s."""
    def row(time_generated, category, pod, stream, log):
        values = {"TableName": "PrimaryResult", "TenantId": WORKSPACE_TENANT,
                  "TimeGenerated": iso_milli(time_generated), "ResourceId": RESOURCE_ID_UPPER,
                  "Category": category, "ResourceGroup": "RG-AKS-PROD",
                  "SubscriptionId": SUBSCRIPTION, "ResourceProvider": "MICROSOFT.CONTAINERSERVICE",
                  "Resource": "AKS-PROD", "ResourceType": "MANAGEDCLUSTERS",
                  "OperationName": OPERATION, "log_s": log, "pod_s": pod, "stream_s": stream,
                  "containerID_s": APISERVER_CONTAINERS[pod], "Level": "", "Message": "",
                  "SourceSystem": "Azure", "Type": "AzureDiagnostics",
                  "_ResourceId": RESOURCE_ID}
        return {k: str(v) for k, v in values.items()}
    timed = [(parse_micro(ev["stageTimestamp"]) + lag,
              row(parse_micro(ev["stageTimestamp"]) + lag, "kube-audit", req.apiserver_pod,
                  "stdout", go_json(ev)))
             for (req, ev), lag in zip(events, lags)]
    start = parse_micro(events[0][1]["requestReceivedTimestamp"]) // 60000 * 60000
    slow_list = next(req for req, _ in events if req.duration == 1237)
    for moment, text in klog_rows(start, slow_list):
        lag = rng.randint(15000, 95000)
        timed.append((moment + lag, row(moment + lag, "kube-apiserver", APISERVER_PODS[0],
                                        "stderr", text)))
    timed.sort(key=lambda item: item[0])
    write("formats/azurediagnostics-az.json",
          json.dumps([r for _, r in timed], indent=2, sort_keys=True, ensure_ascii=False,
                     separators=(",", ": ")) + "\n")


def storage_records(events, rng):
    """Diagnostic-settings records; a few carry properties.log as an object, not text."""
    records = []
    as_object = set(rng.sample(range(len(events)), 6))
    for index, (req, ev) in enumerate(events):
        stage_ms = parse_micro(ev["stageTimestamp"])
        log = ev if index in as_object else go_json(ev) + "\n"
        properties = {"log": log, "stream": "stdout", "pod": req.apiserver_pod,
                      "containerID": APISERVER_CONTAINERS[req.apiserver_pod]}
        # Azure writes these with spaces after the top-level colons, the payload compact.
        records.append('{ "category": "kube-audit", "operationName": "%s", "properties": %s, '
                       '"resourceId": "%s", "time": "%s"}'
                       % (OPERATION, json.dumps(properties, ensure_ascii=False,
                                                separators=(",", ":")),
                          RESOURCE_ID_UPPER, iso_nano(stage_ms + rng.randint(40, 900))))
    return records


def write_storage(records):
    write("formats/storage-PT1H.json", "".join(r + "\n" for r in records))


def write_eventhub(records):
    lines = ['{"records": [%s]}' % ", ".join(records[i:i + 20])
             for i in range(0, len(records), 20)]
    write("formats/eventhub-records.json", "".join(line + "\n" for line in lines))


def generate_formats():
    rng = random.Random(20250225)
    events = formats_requests(rng)
    write_audit_jsonl(events)
    write_audit_array(events)
    write_eventlist(events)
    azure = azure_events(events)
    lags = ingestion_lags(azure, rng)
    rows = [aks_row(req, ev, lag) for (req, ev), lag in zip(azure, lags)]
    write_aks_az(rows, rng)
    write_aks_rest(rows)
    write_aks_portal_csv(rows)
    write_azure_diagnostics(azure, lags, rng)
    records = storage_records(azure, rng)
    write_storage(records)
    write_eventhub(records)
    requests = {id(req) for req, _ in events}
    return {"requests": len(requests), "events": len(events), "azure_events": len(azure),
            "klog_rows": len(klog_rows(0)), "storage_records": len(records)}


# ---------------------------------------------------------------------------------------------
# samples/incident: two hours of the ArgoCD / Dapr operator fight and its error flood.

def incident_requests(rng, start, end, fight_start, fight_end):
    cluster = Cluster(rng, 1)  # a one-node system pool keeps the file small
    tr = Traffic(rng, cluster)
    c = cluster
    crd = object_ref("customresourcedefinitions", name="subscriptions.dapr.io",
                     group="apiextensions.k8s.io")
    subs = object_ref("subscriptions", group="dapr.io", version="v1alpha1")
    ca = dapr_ca_bundle(rng)
    last = end - 1000

    # kubelets: lease renewal every 10 s by the holder; node status every 5 minutes; pod status.
    for node in range(len(c.nodes)):
        t = start + node * 3300 + rng.randint(0, 400)
        while t < last:
            tr.lease_renewal(t, node)
            t += 10000 + rng.randint(-40, 40)
        t = start + 60000 + node * 90000
        while t < last:
            tr.node_status(t + rng.randint(0, 900), node)
            t += 300000
    for k in range(40):
        tr.pod_status(start + rng.randint(0, end - start - 2000), k % len(c.nodes),
                      rng.choice(["default", "payments", "dapr-system"]),
                      rng.choice(["web-6d8f9b7c4-x7k2p", "api-7c9d5f8b6-2vbnl",
                                  "checkout-5b7d9c6f4-8wq2d", "dapr-sidecar-injector-7f9c-tx4k"]))

    # Long-running watches, re-opened when they time out (coredns, kubelets, ArgoCD, operator).
    watchers = [(c.coredns[0], object_ref("endpointslices", group="discovery.k8s.io")),
                (c.coredns[1], object_ref("endpointslices", group="discovery.k8s.io")),
                (c.coredns[0], object_ref("services")),
                (c.argocd, object_ref("deployments", group="apps")),
                (c.argocd, object_ref("customresourcedefinitions",
                                      group="apiextensions.k8s.io")),
                (c.dapr, object_ref("configurations", group="dapr.io",
                                                        version="v1alpha1"))]
    for actor, ref in watchers:
        t = start + rng.randint(0, 300000)
        while True:
            req = tr.watch(t, actor, dict(ref))
            if req.received + req.duration >= last:
                tr.requests.pop()
                break
            t = req.received + req.duration + rng.randint(5, 60)

    # Controllers: scattered rollouts and endpoint updates; health probes.
    rs, dep, eps = (c.controllers["replicaset-controller"], c.controllers["deployment-controller"],
                    c.controllers["endpointslice-controller"])
    for k in range(12):
        t = start + rng.randint(0, end - start - 60000)
        app = rng.choice(["web", "api", "checkout"])
        tr.add(t, tr.fast(9, 30), rs, "create", object_ref("pods", "payments"), code=201,
               extra_annotations={"pod-security.kubernetes.io/enforce-policy":
                                  "privileged:latest"})
        tr.add(t + 60, tr.fast(6, 20), c.scheduler, "create",
               object_ref("pods", "payments", "%s-%05x" % (app, rng.getrandbits(20)),
                          subresource="binding"), code=201)
        tr.add(t + 90, tr.fast(4, 12), rs, "update",
               object_ref("replicasets", "payments", app + "-6d8f9b7c4", "apps",
                          subresource="status"))
        tr.add(t + 400, tr.fast(4, 12), dep, "update",
               object_ref("deployments", "payments", app, "apps", subresource="status"))
        tr.add(t + 2000, tr.fast(3, 11), eps, "update",
               object_ref("endpointslices", "payments", app + "-x8k2p", "discovery.k8s.io"))
    for k in range(24):
        tr.nonresource(start + k * 300000 + rng.randint(0, 4000), c.probe,
                       ["/healthz", "/readyz", "/livez"][k % 3], tr.fast(1, 3))

    # The fight: ArgoCD (merge patch, fieldManager=argocd-controller) and the Dapr operator
    # (update with the full object, or a JSON patch) take turns on the CRD every ~30 s. While
    # the CRD points at namespace `replaceme`, every conversion of a Subscription fails.
    broken = []  # [from, to) intervals during which the webhook service does not resolve
    generation = 120
    t = fight_start
    argocd_turn = True
    broken_from = None
    syncs = 0
    while t < fight_end or not argocd_turn:  # the operator has the last word
        generation += 1
        if argocd_turn:
            tr.add(t, tr.fast(12, 35), c.argocd, "patch", crd, "fieldManager=argocd-controller",
                   level="RequestResponse", request_object=argocd_crd_patch(),
                   response_object=dapr_crd("replaceme", CHART_CA_BUNDLE, tr.rv(), generation))
            syncs += 1
            if syncs % 2:  # the Application's sync status, patched after the sync
                tr.add(t + rng.randint(150, 400), tr.fast(5, 18), c.argocd, "patch",
                       object_ref("applications", "argocd", "dapr", "argoproj.io", "v1alpha1"))
            broken_from = t
        else:
            if rng.random() < 0.12:  # stale resourceVersion: conflict, re-read, retry
                tr.add(t, tr.fast(6, 15), c.dapr, "update", crd, code=409,
                       status=conflict_status("customresourcedefinitions",
                                              "subscriptions.dapr.io", "apiextensions.k8s.io"))
                t += rng.randint(900, 1400)
                tr.add(t, tr.fast(2, 6), c.dapr, "get", crd)
                t += rng.randint(20, 60)
            # The update carries the object as read (old resourceVersion and generation).
            sent = dapr_crd("dapr-system", ca, tr.resource_version, generation - 1)
            body = dapr_crd("dapr-system", ca, tr.rv(), generation)
            if rng.random() < 0.3:
                tr.add(t, tr.fast(12, 35), c.dapr, "update", crd, level="RequestResponse",
                       request_object=sent, response_object=body)
            else:
                tr.add(t, tr.fast(12, 35), c.dapr, "patch", crd,
                       rng.choice(["fieldManager=dapr-operator", ""]), level="RequestResponse",
                       request_object=dapr_json_patch(ca), response_object=body)
            broken.append((broken_from, t))
        argocd_turn = not argocd_turn
        t += 30000 + rng.randint(-4000, 4000)

    # The flood: while broken, clients listing/watching Subscriptions fail with 500 and retry
    # with backoff; APF throttles some retries with 429. While healthy their lists succeed.
    flooders = [c.argocd, c.dapr, c.controllers["generic-garbage-collector"]]
    for lo, hi in broken:
        for actor in rng.sample(flooders, rng.choice([1, 1, 1, 1, 1, 2])):
            t = lo + rng.randint(300, 2500)
            backoff = rng.randint(3000, 5000)
            while t < hi - 50:
                if rng.random() < 0.06:
                    tr.list(t, actor, dict(subs), tr.fast(1, 3), query="limit=500", code=429)
                elif rng.random() < 0.15:
                    tr.add(t, tr.fast(8, 30), actor, "watch", dict(subs),
                           "allowWatchBookmarks=true&resourceVersion=%d&timeoutSeconds=%d"
                           "&watch=true" % (tr.rv(), rng.randint(300, 599)), code=500,
                           status=status_body(WEBHOOK_ERROR), long_running=True)
                else:
                    tr.list(t, actor, dict(subs), tr.fast(8, 40),
                            query=rng.choice(["limit=500&resourceVersion=0", "limit=500"]),
                            code=500, status=status_body(WEBHOOK_ERROR))
                t += backoff
                backoff = min(backoff * 2, 12000)
    for k in range(30):  # healthy periods: the same lists succeed
        t = start + rng.randint(0, end - start - 5000)
        if not any(lo <= t < hi for lo, hi in broken):
            tr.list(t, rng.choice(flooders), dict(subs), tr.fast(10, 60), query="limit=500")

    # ArgoCD's periodic cluster-cache resync and its settings configmap.
    t = start + 45000
    while t < last:
        for ref in (object_ref("deployments", group="apps"), object_ref("pods"),
                    object_ref("configmaps")):
            tr.list(t, c.argocd, dict(ref), rng.choice([tr.fast(30, 200), rng.randint(600, 3200)]),
                    query="limit=500")
            t += rng.randint(200, 900)
        t += 600000
    for k in range(6):
        t = start + rng.randint(0, end - start - 5000)
        tr.add(t, tr.fast(4, 12), c.argocd, "update",
               object_ref("configmaps", "argocd", "argocd-cm"), code=409,
               status=conflict_status("configmaps", "argocd-cm"))
        tr.add(t + 800, tr.fast(4, 12), c.argocd, "update",
               object_ref("configmaps", "argocd", "argocd-cm"))
    return tr, c, crd, subs


def incident_investigation(tr, c, crd, subs, t):
    """alice looks into it and adds ignoreDifferences to the ApplicationSet."""
    rng, al = tr.rng, c.alice
    tr.nonresource(t, al, "/api", tr.fast(1, 3))
    tr.nonresource(t + 150, al, "/apis", tr.fast(1, 4))
    tr.add(t + 1500, tr.fast(20, 60), al, "list", dict(subs), "limit=500", code=500,
           status=status_body(WEBHOOK_ERROR))
    tr.add(t + 60000, tr.fast(2, 6), al, "get", crd)
    tr.add(t + 95000, tr.fast(3, 9), al, "get",
           object_ref("applicationsets", "argocd", "platform", "argoproj.io", "v1alpha1"))
    tr.add(t + 400000, tr.fast(10, 30), al, "patch",
           object_ref("applicationsets", "argocd", "platform", "argoproj.io", "v1alpha1"),
           "fieldManager=kubectl-patch", level="Request", request_object={"spec": {"template": {
               "spec": {"ignoreDifferences": [{
                   "group": "apiextensions.k8s.io", "kind": "CustomResourceDefinition",
                   "name": "subscriptions.dapr.io",
                   "jqPathExpressions": [".spec.conversion.webhook.clientConfig"]}]}}}})
    tr.add(t + 480000, tr.fast(2, 6), al, "get", crd)
    return t + 400000


def generate_incident():
    rng = random.Random(7731)
    slice_start = ms_at(2025, 2, 25, 8, 40)
    rotate = ms_at(2025, 2, 25, 9, 0)
    end = ms_at(2025, 2, 25, 11, 0)
    fight_start = ms_at(2025, 2, 25, 8, 52, 17)
    fix_at = ms_at(2025, 2, 25, 10, 38, 4)
    # ArgoCD picks the ignoreDifferences change up shortly after alice's patch.
    fight_end = fix_at + 400000 + 40000
    tr, c, crd, subs = incident_requests(rng, slice_start, end, fight_start, fight_end)
    incident_investigation(tr, c, crd, subs, fix_at)
    events = finalize(tr.requests, rng)
    before = [e for e in events if parse_micro(e[1]["stageTimestamp"]) < rotate]
    after = [e for e in events if parse_micro(e[1]["stageTimestamp"]) >= rotate]
    write("incident/audit.log", raw_lines(after))
    write("incident/audit-2025-02-25T08.log.gz",
          gzip.compress(raw_lines(before).encode(), mtime=0))
    counted = [(req, ev) for req, ev in events if is_request(ev)]
    crd_writes = [(req, ev) for req, ev in counted if req.verb in ("patch", "update")
                  and req.object_ref.get("name") == "subscriptions.dapr.io"]
    codes = lambda code: sum(1 for _, ev in counted if ev["responseStatus"]["code"] == code)
    return {"events": len(after), "requests": sum(1 for _, ev in after if is_request(ev)),
            "rotated_events": len(before),
            "rotated_requests": sum(1 for _, ev in before if is_request(ev)),
            "crd_writes": sum(1 for _, ev in crd_writes if ev["responseStatus"]["code"] == 200),
            "first_write": iso_milli(crd_writes[0][0].received),
            "last_argocd": iso_milli(max(r.received for r, _ in crd_writes if r.actor == c.argocd)),
            "last_write": iso_milli(crd_writes[-1][0].received),
            "crd_409": sum(1 for req, ev in counted if ev["responseStatus"]["code"] == 409
                           and req.object_ref.get("name") == "subscriptions.dapr.io"),
            "fix": iso_milli(fix_at + 400000), "500": codes(500), "409": codes(409),
            "429": codes(429)}


def generate_after_fix():
    """The two hours after the fix (ignoreDifferences): the same cluster, no fight, no flood."""
    rng = random.Random(7732)
    start = ms_at(2025, 2, 25, 11, 0)
    end = ms_at(2025, 2, 25, 13, 0)
    tr, _, _, _ = incident_requests(rng, start, end, end, end)  # the fight never starts
    events = finalize(tr.requests, rng)
    write("after-fix/audit.log", raw_lines(events))
    return {"af_events": len(events), "af_requests": sum(1 for _, ev in events if is_request(ev))}


def is_request(ev):
    """SPEC's counting rule: ResponseComplete, Panic, a 401 ResponseStarted, or no stage."""
    return ev["stage"] in ("ResponseComplete", "Panic") or (
        ev["stage"] == "ResponseStarted" and ev["responseStatus"]["code"] == 401)


# ---------------------------------------------------------------------------------------------
# samples/damaged: known defects, line by line (documented in samples/damaged/README.md).

def generate_damaged():
    rng = random.Random(404)
    cluster = Cluster(rng, 3)
    tr = Traffic(rng, cluster)
    start = ms_at(2025, 2, 25, 9, 30)
    actors = [cluster.kubelets[0], cluster.kubelets[1], cluster.argocd, cluster.dapr,
              cluster.coredns[0], cluster.alice]
    for k in range(33):
        actor = actors[k % len(actors)]
        if actor in cluster.kubelets:
            tr.lease_renewal(start + k * 2000, cluster.kubelets.index(actor))
        else:
            tr.add(start + k * 2000, tr.fast(2, 20), actor, "get",
                   object_ref("configmaps", "default", "app-config-%d" % k))
    hostile_agent = Actor(service_account(rng, "default", "scanner"),
                          "evil-agent\u001b[31mRED\u001b[0m\u0007/1.0 (linux/amd64) "
                          "kubernetes/$Format", ["10.244.2.66"])
    tr.add(start + 61000, 3, hostile_agent, "list", object_ref("configmaps", "default"),
           "limit=500")
    name = "=cmd|' /C calc'!A0|`x`<script>alert(1)</script>"
    encoded = "".join(ch if ch.isalnum() else "%%%02X" % ord(ch) for ch in name)
    req = tr.add(start + 62000, 2, cluster.alice, "get",
                 object_ref("configmaps", "default", name), code=404,
                 status=status_body('configmaps "%s" not found' % name, "NotFound",
                                    {"name": name, "kind": "configmaps"}))
    req.uri = "/api/v1/namespaces/default/configmaps/" + encoded
    events = finalize(tr.requests, rng)
    valid = [go_json(ev) for _, ev in events]
    hostile = [v for v in valid if "evil-agent" in v or "calc" in v]
    plain = [v for v in valid if v not in hostile]

    def cut(line, marker, keep):
        return line[:line.index(marker) + keep]

    pool = list(plain)

    def take(predicate=lambda line: True):
        for index, line in enumerate(pool):
            if predicate(line):
                return pool.pop(index)
        raise AssertionError("no event left for this defect")

    layout = (["ok"] * 5 + ["trunc-string"] + ["ok"] * 4 + ["malformed-commas", "ok", "blank"]
              + ["ok"] * 3 + ["etcd", "ok-crlf"] + ["ok"] * 3
              + ["trunc-object", "ok", "hostile-agent", "garbage"] + ["ok"] * 3
              + ["kind-zero", "hostile-name"] + ["ok"] * 3 + ["trunc-annotation"] + ["ok"] * 5
              + ["ok-no-newline"])
    lines = []  # (kind, text, line ending)
    for kind in layout:
        if kind in ("ok", "ok-crlf", "ok-no-newline"):
            text = take()
        elif kind == "trunc-string":  # cut inside the user agent string
            text = cut(take(), '"userAgent":"', 20)
        elif kind == "trunc-object":  # cut inside objectRef, right after a member's comma
            text = cut(take(lambda line: '"objectRef":{"resource":"configmaps"' in line),
                       '"objectRef":{', 40)
            text = text[:text.rindex(",") + 1]
        elif kind == "trunc-annotation":  # cut inside the RBAC reason string
            text = cut(take(lambda line: '"authorization.k8s.io/reason":"RBAC' in line),
                       '"authorization.k8s.io/reason":"', 43)
        elif kind == "malformed-commas":
            text = '{"kind":"Event",,}'
        elif kind == "garbage":
            text = "not json at all"
        elif kind == "etcd":
            text = ('{"level":"warn","ts":"2025-02-25T09:30:41.118Z","logger":"etcd-client",'
                    '"caller":"v3@v3.5.10/retry_interceptor.go:62","msg":"retrying of unary '
                    'invoker failed","target":"etcd-endpoints://0xc001b2e000/10.224.0.250:2379",'
                    '"attempt":0,"error":"rpc error: code = DeadlineExceeded desc = context '
                    'deadline exceeded"}')
        elif kind == "kind-zero":
            text = '{"kind": 0}'
        elif kind == "hostile-agent":
            text = next(line for line in hostile if "evil-agent" in line)
        elif kind == "hostile-name":
            text = next(line for line in hostile if "calc" in line)
        else:
            text = ""
        ending = {"ok-crlf": "\r\n", "ok-no-newline": ""}.get(kind, "\n")
        lines.append((kind, text, ending))
    assert not pool, "every valid event is placed"
    write("damaged/audit-damaged.jsonl", "".join(text + ending for _, text, ending in lines))
    return [(number, kind) for number, (kind, _, _) in enumerate(lines, 1)]


# ---------------------------------------------------------------------------------------------
# READMEs: written from the same run so the counts and line numbers cannot drift.

DAMAGED_NOTES = {  # kind: (expected bucket, what the line is)
    "trunc-string": ("skipped: truncated", "valid event cut inside the `userAgent` string"),
    "trunc-object": ("skipped: truncated", "valid event cut inside `objectRef`, right after a "
                     "member's comma"),
    "trunc-annotation": ("skipped: truncated", "valid event cut inside the "
                         "`authorization.k8s.io/reason` string"),
    "malformed-commas": ("skipped: malformed_json", '`{"kind":"Event",,}`'),
    "garbage": ("skipped: malformed_json", "`not json at all` (not JSON)"),
    "etcd": ("skipped: not_audit", "valid JSON: an etcd client log line "
             '(`{"level":"warn","ts":...}`)'),
    "kind-zero": ("skipped: not_audit", 'valid JSON: `{"kind": 0}` (the falco fuzz case)'),
    "blank": ("skipped: blank", "empty line (counted, never sampled, does not fail `--strict`)"),
    "ok-crlf": ("decoded", "valid event ending in CRLF"),
    "ok-no-newline": ("decoded", "valid event, last line, no trailing newline"),
    "hostile-agent": ("decoded", "valid event whose userAgent holds an ANSI escape "
                      "(`\\u001b[31m`) and a bell (`\\u0007`)"),
    "hostile-name": ("decoded", "valid 404 event whose objectRef.name (and message) holds "
                     "`=cmd\\|' /C calc'!A0`, pipes, backticks and `<script>` (the pipes are "
                     "escaped here for the table)"),
}


def count_lines(path):
    with open(os.path.join(ROOT, path), "rb") as data:
        return data.read().count(b"\n")


def write_damaged_readme(layout):
    defects = [(n, kind) for n, kind in layout if kind != "ok"]
    buckets = {}
    for _, kind in layout:
        bucket = DAMAGED_NOTES.get(kind, ("decoded",))[0]
        buckets[bucket] = buckets.get(bucket, 0) + 1
    rows = "\n".join("| %d | %s | %s |" % (n, DAMAGED_NOTES[kind][0], DAMAGED_NOTES[kind][1])
                     for n, kind in defects)
    skipped = {k.split(": ")[1]: v for k, v in buckets.items() if k.startswith("skipped")}
    write("damaged/README.md", """# audit-damaged.jsonl: known defects

Raw audit JSON lines with known defects, for the line-accounting tests. Written by
`samples/generate.py`; do not edit by hand. %(total)d physical lines; every line not listed below
is a valid `audit.k8s.io/v1` event at stage ResponseComplete (one request each).

| line | expected | what it is |
| --- | --- | --- |
%(rows)s

Expected totals: %(records)d records (one per physical line, the blank one included) =
%(decoded)d decoded (%(decoded)d events, %(decoded)d requests) + 0 filtered + %(skipped)d skipped
(truncated %(truncated)d, malformed_json %(malformed)d, not_audit %(not_audit)d, blank %(blank)d).

`truncated` means the line is a valid JSON prefix that ends before the value closes;
`malformed_json` means a syntax error (or no JSON at all); `not_audit` means valid JSON that is not
an audit event. The two hostile events must come out escaped in every renderer (no raw control
characters on a terminal, CSV cells guarded against formula injection, markdown pipes and
backticks escaped, HTML escaped).

# storage-cut-PT1H.json: an event cut at 16 KiB by the storage export

A storage-account diagnostic archive (`category` kube-audit, one record per line) for one minute of
a small AKS cluster, written by `samples/damaged/generate_export_limits.py`; do not edit by hand.
Twelve kubelet lease renewals at level Metadata, and one node-controller `nodes/status` patch
logged at RequestResponse whose event is larger than 16 KiB: the diagnostic-settings export cuts
`properties.log` at 16,384 bytes (Azure/AKS#4635), so line 9 holds the first 16,384 bytes of that
event and line 10 the rest.

Expected totals: 14 records = 12 decoded (12 events, 12 requests) + 0 filtered + 2 skipped
(truncated 1 at line 9, not_audit 1 at line 10), and one export-limit warning naming the
properties.log cut (see README, *Export limits*).
""" % {"total": len(layout), "rows": rows, "records": len(layout),
       "decoded": buckets["decoded"], "skipped": sum(skipped.values()),
       "truncated": skipped["truncated"], "malformed": skipped["malformed_json"],
       "not_audit": skipped["not_audit"], "blank": skipped["blank"]})
    return skipped


CONTROLPLANE_FAMILIES = {  # family: what its lines say (README text)
    "conversion-cacher": "`cacher (<crd>): unexpected ListAndWatch error: failed to list "
                         "dapr.io/v1alpha1, Kind=<Kind>: conversion webhook for dapr.io/v2alpha1, "
                         "Kind=<Kind> failed: Post \"https://dapr-webhook.replaceme.svc:443/convert?"
                         "timeout=30s\": service \"dapr-webhook\" not found; reinitializing...`",
    "conversion-reflector": "`storage/cacher.go:/dapr.io/<plural>: failed to list ... conversion "
                            "webhook ... failed: ...` (reflector.go, one before each cacher error)",
    "expired-token": "`\"Unable to authenticate the request\" err=\"[invalid bearer token, "
                     "service account token has expired]\"`",
    "apiservice-unavailable": "`v1beta1.metrics.k8s.io failed with: failing or missing response "
                              "from https://10.0.171.44:443/...: ... context deadline exceeded ...`",
    "webhook-failing-closed": "`Failed calling webhook, failing closed validate.kyverno.svc-fail: "
                              "failed calling webhook \"validate.kyverno.svc-fail\": ... context "
                              "deadline exceeded`",
    "webhook-failed": "`failed calling webhook \"validate.kyverno.svc-fail\": failed to call "
                      "webhook: Post \"https://kyverno-svc.kyverno.svc:443/validate/fail?"
                      "timeout=10s\": context deadline exceeded`",
    "etcd-compacted": "`watch chan error: etcdserver: mvcc: required revision has been compacted`",
    "handler-timeout-write": "`apiserver was unable to write a JSON response: http: Handler "
                             "timeout` (one of five lines per handler timeout)",
    "handler-timeout-status": "`apiserver received an error that is not an metav1.Status: "
                              "&errors.errorString{s:\"http: Handler timeout\"}: http: Handler "
                              "timeout`",
    "handler-timeout-fallback": "`apiserver was unable to write a fallback JSON response: http: "
                                "Handler timeout`",
    "post-timeout": "`post-timeout activity - time-elapsed: <duration>, GET \"/api/v1/nodes/<node>\""
                    " result: <nil>` (timeout.go)",
    "timeout-or-abort": "`timeout or abort while handling: method=GET URI=\"...\" "
                        "audit-ID=\"<uid>\"` (wrap.go)",
    "etcd-client-retry": "etcd client JSON line `{\"level\":\"warn\",...,\"msg\":\"retrying of "
                         "unary invoker failed\",...}`",
    "no-request-info": "`no RequestInfo found in the context` (handler_proxy.go)",
    "reset-endpoints": "`Resetting endpoints for master service \"kubernetes\" to [...]`",
    "kcm-stale-discovery": "`unable to retrieve the complete list of server APIs: "
                           "metrics.k8s.io/v1beta1: stale GroupVersion discovery: ...`",
    "kcm-gc-discovery": "`failed to discover some groups: map[metrics.k8s.io/v1beta1:stale "
                        "GroupVersion discovery: ...]`",
    "scheduler-no-fit": "`\"Error scheduling pod; retrying\" err=\"0/3 nodes are available: 3 "
                        "Insufficient cpu. ...\" pod=\"batch/<pod>\"`",
    "autoscaler-readiness": "`Failed to find readiness information for "
                            "aks-nodepool1-12345678-vmss`",
}
CONTROLPLANE_LEVELS = {"E": "error", "W": "warning", "I": "info", "F": "fatal"}


def controlplane_readme_values():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "controlplane_generate", os.path.join(ROOT, "controlplane", "generate.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    s = module.summary()
    families = sorted(s["families"].items(), key=lambda kv: (kv[0][1] != "kube-apiserver",
                                                            -kv[1], kv[0][0]))
    rows = "\n".join("| %s | %s | %s | %d | %s |" % (
        family, component, CONTROLPLANE_LEVELS[level], count, CONTROLPLANE_FAMILIES[family])
        for (family, component, level), count in families)
    others = {c: n for c, n in sorted(s["components"].items()) if c != "kube-apiserver"}
    cacher = sum(n for (f, _, _), n in s["families"].items() if f == "conversion-cacher")
    return {
        "cp_lines": s["lines"], "cp_apiserver": s["apiserver"],
        "cp_others": s["lines"] - s["apiserver"],
        "cp_other_components": ", ".join("%s (%d)" % kv for kv in others.items()),
        "cp_az": count_lines("controlplane/akscontrolplane-az.json"),
        "cp_rest": count_lines("controlplane/akscontrolplane-rest.json"),
        "cp_csv": count_lines("controlplane/akscontrolplane-portal.csv"),
        "cp_first": s["first"], "cp_last": s["last"],
        "cp_shapes": ", ".join("%s %d" % kv for kv in sorted(s["shapes"].items())),
        "cp_levels": ", ".join("%s %d" % (CONTROLPLANE_LEVELS[k], v)
                               for k, v in sorted(s["levels"].items())),
        "cp_family_rows": rows, "cp_cacher": cacher, "cp_per_crd": cacher // 3,
    }


def write_samples_readme(formats, incident, damaged_skips, damaged_lines):
    f = dict(formats)
    f.update({"ar": count_lines("formats/audit-array.json"),
              "az": count_lines("formats/aksaudit-az.json"),
              "rest": count_lines("formats/aksaudit-rest.json"),
              "diag": count_lines("formats/azurediagnostics-az.json"),
              "hub": count_lines("formats/eventhub-records.json"),
              "rows": f["azure_events"], "diag_rows": f["azure_events"] + f["klog_rows"],
              "csv": f["azure_events"] + 1})
    i = dict(incident)
    i["kb"] = os.path.getsize(os.path.join(ROOT, "incident/audit.log")) // 1024
    d = {"lines": damaged_lines, "skips": ", ".join("%s %d" % kv for kv in
                                                    sorted(damaged_skips.items()))}
    text = """# Sample inputs

Synthetic, written by [`generate.py`](generate.py) (Python 3 standard library, fixed seeds, no wall
clock, gzip with `mtime=0`). Regenerate from the repository root and commit the result; CI never
runs the generator:

```
python3 samples/generate.py
```

Nothing here comes from a real cluster (user names, IPs and UIDs are made up). Every timestamp is
a whole millisecond, so all forms carry the same instants and latencies.

| file | format | models | lines | records | expected skips |
| --- | --- | --- | --- | --- | --- |
| formats/audit.jsonl | raw `audit.k8s.io/v1` Event JSON lines | a 15-minute slice of a 3-node AKS cluster (09:10–09:25 UTC) | %(events)d | %(events)d events = %(requests)d requests | none |
| formats/audit-array.json | the same events as one JSON array (indent 2) | same | %(ar)d | %(events)d events | none |
| formats/audit-eventlist.json | two webhook `EventList` batches, one per line (items without kind/apiVersion) | same | 2 | %(events)d events | none |
| formats/aksaudit-az.json | AKSAudit rows as `az monitor log-analytics query -o json` prints them (keys sorted, every value a string, `"None"` for null) | same, without RequestReceived events | %(az)d | %(rows)d rows | none |
| formats/aksaudit-rest.json | Log Analytics query REST response (`tables[].columns/rows`, indent 1) | same | %(rest)d | %(rows)d rows | none |
| formats/aksaudit-portal.csv | Azure portal "Export to CSV" (BOM, CRLF, `[UTC]` headers, `2/25/2025, 9:19:25.391 AM`, newest first) | same | %(csv)d | %(rows)d rows + header | none |
| formats/azurediagnostics-az.json | legacy AzureDiagnostics rows (az -o json), event JSON text in `log_s` | same, plus %(klog_rows)d `kube-apiserver` klog rows | %(diag)d | %(diag_rows)d rows | none (the klog rows are %(klog_rows)d log lines) |
| formats/storage-PT1H.json | storage-account diagnostic archive, one record per line; 6 records carry `properties.log` as an object | same | %(rows)d | %(rows)d records | none |
| formats/eventhub-records.json | Event Hub batches `{"records":[...]}` of 20 | same | %(hub)d | %(rows)d records | none |
| incident/audit.log | raw audit JSON lines | 09:00–11:00 UTC: the ArgoCD / Dapr operator fight over `subscriptions.dapr.io` and its conversion-webhook error flood, on normal traffic of a 1-node cluster (%(i_kb)d KiB) | %(i_events)d | %(i_events)d events = %(i_requests)d requests | none |
| incident/audit-2025-02-25T08.log.gz | gzipped rotated audit log | 08:40–09:00 UTC, the 20 minutes before (the fight starts at 08:52) | %(i_rotated_events)d (uncompressed) | %(i_rotated_events)d events = %(i_rotated_requests)d requests | none |
| after-fix/audit.log | raw audit JSON lines | 11:00–13:00 UTC, the two hours after the fix: the same cluster's normal traffic, no fight, no flood (for `kubeblame diff samples/incident/ samples/after-fix/`) | %(i_af_events)d | %(i_af_events)d events = %(i_af_requests)d requests | none |
| damaged/audit-damaged.jsonl | raw audit JSON lines with known defects, see [damaged/README.md](damaged/README.md) | accounting and escaping | %(d_lines)d | %(d_records)d records | %(d_skips)s |
| controlplane/akscontrolplane-az.json | AKSControlPlane rows (`Category`, `Level`, `Message`, `PodName`, `TimeGenerated`, ...) as `az monitor log-analytics query -o json` prints them | 50 minutes of control-plane logs across New Year, see [below](#controlplane-control-plane-log-lines-every-shape) | %(cp_az)d | %(cp_lines)d rows = %(cp_lines)d log lines | none |
| controlplane/akscontrolplane-rest.json | the same rows as a Log Analytics query REST response | same | %(cp_rest)d | %(cp_lines)d rows = %(cp_lines)d log lines | none |
| controlplane/akscontrolplane-portal.csv | the same rows as the portal's CSV export (BOM, CRLF, newest first) | same | %(cp_csv)d | %(cp_lines)d rows + header | none |
| controlplane/storage-kube-apiserver-PT1H.json | storage-account diagnostic records, one per line, `properties.log` = the line, `category` = the component | same | %(cp_lines)d | %(cp_lines)d records = %(cp_lines)d log lines | none |
| controlplane/kube-apiserver.log | the kube-apiserver container's log file with the CRI prefix (`2024-12-31T23:35:00.100452155Z stderr F `) | same, kube-apiserver lines only | %(cp_apiserver)d | %(cp_apiserver)d log lines | none |
| fights/fight-with-bodies.jsonl, fight-without-bodies.jsonl, fight-aksaudit-az.json | raw audit lines at RequestResponse and Metadata level, and AKSAudit az rows | one hour of writes: a Flux/HPA fight, a policy-operator/cert-manager fight, a hot loop and decoys that must not be reported; written by [fights/generate.py](fights/generate.py), expected results in [fights/README.md](fights/README.md) | see there | | none |
| eks/filter-log-events.json | `aws logs filter-log-events --output json` (indent 4): `events` with `logStreamName`, `timestamp`, `message` (the audit line as JSON text), `ingestionTime`, `eventId`; written by [eks/generate.py](eks/generate.py) from formats/audit.jsonl | the formats/audit.jsonl events in two `kube-apiserver-audit-*` streams | 1176 | 166 events | none |
| eks/get-log-events.json | `aws logs get-log-events`: events with `timestamp`, `message`, `ingestionTime` only; `nextForwardToken`/`nextBackwardToken` | same | 836 | 166 events | none |
| eks/firehose-object.gz | CloudWatch subscription → Firehose → S3 object: a CONTROL_MESSAGE document, then DATA_MESSAGE documents of 1–25 events, one gzip member each, concatenated and gzipped again | same | 1 (documents back to back) | 167 records = 166 events | control_message 1 |
| eks/export-task-000000.gz | `aws logs create-export-task` object: `2025-02-25T09:10:00.585Z {…}` lines, gzip | same | 166 (uncompressed) | 166 events | none |
| eks/insights.csv | Logs Insights console CSV export: `@timestamp,@message,@logStream,@log`, newest first | same | 167 | 166 rows + header | none |
| eks/insights.json | Logs Insights console JSON export `[{"@timestamp","@message","@logStream","@log"}]` (indent 2), newest first | same | 998 | 166 events | none |
| eks/get-query-results.json | `aws logs get-query-results` (indent 4): `results` rows of `{"field","value"}` cells, `statistics`, `status` | same | 3662 | 166 rows | none |
| eks/filter-log-events-truncated.json | `filter-log-events` with two messages cut by CloudWatch (`…[Truncated...]`) among the first five events | accounting | 49 | 5 records = 3 events | truncated 2 |
| gke/gcloud-logging-read.json | GKE Cloud Audit Logs `LogEntry` records as `gcloud logging read --format=json` prints them (one array, indent 2, keys sorted, newest first); written by [gke/generate.py](gke/generate.py) | the requests of formats/audit.jsonl as GKE logs them: one entry per request, plus a `first` entry per watch; no latency | 7328 | 160 entries = 150 requests | none |
| gke/sink-cloudaudit.json.gz | the same entries as a Cloud Logging sink object: one per line, gzipped | same | 160 (uncompressed) | 160 entries = 150 requests | none |
| gke/fight-sink-cloudaudit.json.gz | the requests of fights/fight-with-bodies.jsonl as a gzipped sink object, bodies in `protoPayload.request` (`@type` `k8s.io/Patch` for patches) | the same fights, without `?fieldManager=` and latency | 1890 (uncompressed) | 1890 entries = 1890 requests | none |
| anatomy/audit.jsonl, anatomy/kube-apiserver.log | raw audit lines (Metadata level) with the `apiserver.latency.k8s.io/*` breakdown and admission-webhook annotations, and the kube-apiserver's HTTP log lines (CRI prefix, `apf_pl`/`apf_fs`) for the same audit IDs but one | twenty minutes under load: slow etcd LISTs, a Kyverno webhook failing open, 429s under `aks-managed-apiserver-guard`; written by [anatomy/generate.py](anatomy/generate.py) | 364, 363 | 364 events, 363 log lines | none |
| kql/top-agent-verb-az.json, kql/top-agent-verb-portal.csv, kql/top-agent-rest.json | `kubeblame kql top` results (`--by agent,verb`, `--by agent`) as az -o json (keys sorted), portal CSV and REST would return them; written from formats/audit.jsonl, not by generate.py | formats/audit.jsonl | - | 29, 29 and 10 groups = 150 requests | none |
| kql/timeline-agent-1m-az.json, kql/timeline-agent-1m-portal.csv | `kubeblame kql timeline --by agent --interval 1m` results | same | - | 53 rows = 150 requests | none |
| kql/split-1-agent-verb-az.json, kql/split-2-agent-verb-az.json | the two windows (before and from 09:17) of `kubeblame kql top --by agent,verb --split` | same | - | 20 + 22 rows = 150 requests | none |
| kql/report/part-1.json … part-4.json | the top and timeline queries of `kubeblame kql report` (the timeline at 30s) | same | - | 192 rows | none |
| kql/damaged-az.json | hand-written: a good row, a `top/v9` row, a row whose histogram disagrees with its values, and a good row with a hostile agent name | - | - | 4 rows = 2 groups | kql_result_version 1, kql_result_bad_row 1 |

## formats/: one set of requests, every format

The same %(i_requests)d requests (same auditIDs, users, agents, verbs, objects, codes, timestamps)
in each file, so `kubeblame top` must print identical rows for all of them
(`tests/e2e/test_cross_format.sh`). What legitimately differs between files:
- Events: the raw forms hold %(i_events)d events (the requests, plus ResponseStarted for the 10
  watches and the exec, plus 5 RequestReceived events); the Azure forms hold %(rows)d, because
  AKS's audit policy omits RequestReceived.
- `impersonatedUser` exists only where the whole event is kept (raw forms, AzureDiagnostics
  `log_s`, storage and Event Hub records); AKSAudit has no column for it.
- `TimeGenerated` (AKS and AzureDiagnostics) and the records' `time` are ingestion times, later
  than the event; the request's own times are `RequestReceivedTime`/`StageReceivedTime` and
  `requestReceivedTimestamp`/`stageTimestamp`.
- Row order: az output is in block-shuffled order (Kusto returns rows in no particular order),
  the REST response in ascending and the CSV in descending `TimeGenerated`.

Content: kubelets (leases sampled every 60 s, node GETs, node/pod status patches, a watch each),
kube-controller-manager controllers (pod creates, status updates, endpointslices, HPA reading
`deployments.apps/scale`, a garbage-collector list hitting the conversion webhook), the scheduler
(`pods/binding`), coredns (resourceVersion=0 list, watches), ArgoCD (cluster-wide lists, two of
1.2 s and 2.3 s with latency annotations, a watch, Application patches, two CRD patches with
`?fieldManager=argocd-controller`, a `configmaps "argocd-cm"` 409, an APF 429, a 500), the Dapr
operator (lease, CRD get/update/patch with a 409, 500s from the webhook), people with kubectl
(alice: discovery, `/openapi/v2`, a 404, `deployments.apps/scale` patch, a 101 exec, a 201, a
delete, a PDB-blocked eviction 429; bob: a 403; carol impersonating `system:serviceaccount:dev:deployer`
from behind a proxy (two `sourceIPs`): a 422 then a 201), `kube-probe` on `/healthz` and `/readyz`,
a failed authentication (single ResponseStarted event, code 401, `"user":{}`) and a client with no
User-Agent.

## incident/: the SPEC.md story

- From %(i_first_write)s ArgoCD (merge patch `spec.conversion.webhook.clientConfig`
  = `{caBundle: "Cg==", service.namespace: replaceme}`, the chart's values, with
  `?fieldManager=argocd-controller`) and the Dapr operator (JSON patch, with
  `?fieldManager=dapr-operator` or without, or an update with the whole CRD; namespace
  `dapr-system` and its real caBundle) take turns on `customresourcedefinitions.apiextensions.k8s.io`
  `subscriptions.dapr.io` about every 30 s: %(i_crd_writes)d successful writes, all at level
  RequestResponse with `requestObject` and `responseObject`; %(i_crd_409)d operator updates
  fail with 409 Conflict (stale resourceVersion) and are retried after a GET. (ArgoCD also hits
  409s on `configmaps "argocd-cm"`: %(i_409)d conflicts in all.)
- While the CRD points at `replaceme`, lists and watches of `subscriptions.dapr.io` by ArgoCD, the
  operator and the garbage collector fail with 500 `conversion webhook for dapr.io/v2alpha1,
  Kind=Subscription failed: ... service "dapr-webhook" not found` and retry with backoff
  (%(i_500)d requests with code 500 in total); APF rejects some retries with 429 (%(i_429)d).
- alice investigates and at %(i_fix)s patches the ApplicationSet `argocd/platform` with an
  `ignoreDifferences` `jqPathExpressions` entry. ArgoCD's last CRD patch is at %(i_last_argocd)s,
  the operator's final write at %(i_last_write)s; the flood stops with it.
- Background: kubelet lease renewals every 10 s by the holder, node status every 5 minutes, pod
  status patches, controller rollouts, coredns/ArgoCD/operator watches re-opened when they time
  out, ArgoCD's cluster-cache resyncs (some over 500 ms), health probes. The counts in this
  section cover both files (the rotated one and audit.log).
- The modeled audit policy drops what real policies usually drop (kube-controller-manager and
  scheduler leader-election renewals, kubelet node GETs), so the file stays small.

## controlplane/: control-plane log lines, every shape

Written by [`controlplane/generate.py`](controlplane/generate.py). 2024-12-31 23:35 to 2025-01-01
00:25 UTC (first line %(cp_first)s, last %(cp_last)s): klog headers carry no year, so each
line's year must come from its record's own time (`TimeGenerated`, the record `time`, the CRI
prefix) and the lines from both sides of midnight must land in 2024 and 2025. The same
%(cp_apiserver)d kube-apiserver lines (same text, same instants) are in all five files; the four
Azure files also hold %(cp_others)d lines of %(cp_other_components)s, which a kube-apiserver
container log cannot. Every file decodes completely: `lines = decoded = log_lines`, nothing
skipped (`tests/e2e/test_controlplane_inputs.sh`). `TimeGenerated` lags each line by 15–95 s
(ingestion time); az rows are block-shuffled, REST rows ascending, CSV rows descending.

kube-apiserver lines by shape: %(cp_shapes)s; klog lines by level: %(cp_levels)s. Lines that
carry no time of their own (trace continuations, plain text) are kept more than a minute inside
the window, so every form reports the same first and last instants.

Known families (a family is one failure mode, whatever names, numbers and times vary in it):

| family | component | level | lines | what the lines say |
| --- | --- | --- | --- | --- |
%(cp_family_rows)s

The conversion-webhook rows are the SPEC's flood: three CRDs (`subscriptions.dapr.io`,
`components.dapr.io`, `configurations.dapr.io`), %(cp_per_crd)d failures each between 23:48 and
00:14, each logged as a reflector warning and a cacher error, so one `cacher` signature of
%(cp_cacher)d lines however the CRD and timestamps vary. The rest of the kube-apiserver lines are
info lines (OpenAPI AggregationController, APF `Update CurrentCL`, quota evaluators, ClusterIP
allocation, five slow-request traces with two `Trace[...]` continuation lines each) and four Go
standard-library lines (`2024/12/31 23:43:10 http: TLS handshake error from ...: EOF`).

## Modeling notes

- Raw events are written the way Go's encoding/json writes them: compact, UTF-8, `&`, `<`, `>`
  as `\\u0026`, `\\u003c`, `\\u003e`, map keys (annotations) sorted.
- APF rejections (429) carry only `{"metadata":{},"code":429}`: the APF filter answers with plain
  text, not a Status. The PDB-blocked eviction is the 429 with `reason: TooManyRequests`.
- A conversion-webhook failure is not a `metav1.Status`, so its responseStatus has `status`,
  `message` and `code` but no `reason`.
"""
    values = dict(f)
    values.update({"i_" + key: value for key, value in i.items()})
    values.update({"d_lines": damaged_lines, "d_records": damaged_lines,
                   "d_skips": d["skips"]})
    values.update(controlplane_readme_values())
    write("README.md", text % values)


def main():
    formats = generate_formats()
    incident = generate_incident()
    incident.update(generate_after_fix())
    damaged = generate_damaged()
    damaged_skips = write_damaged_readme(damaged)
    write_samples_readme(formats, incident, damaged_skips, len(damaged))
    print("formats:  %(requests)d requests, %(events)d raw events, %(azure_events)d in Azure "
          "forms, +%(klog_rows)d klog rows in AzureDiagnostics" % formats)
    print("incident: audit.log %(events)d events / %(requests)d requests; rotated .gz "
          "%(rotated_events)d events / %(rotated_requests)d requests" % incident)
    print("damaged:  %d lines; skips %s" % (len(damaged), damaged_skips))


if __name__ == "__main__":
    main()
