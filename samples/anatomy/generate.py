#!/usr/bin/env python3
"""Writes the overload-anatomy samples (deterministic: fixed seed, Python 3 stdlib only).

Twenty minutes (2025-04-14 09:00-09:20 UTC) of an AKS cluster under load, seen two ways:

  audit.jsonl         raw audit JSON lines (level Metadata): slow requests carry the
                      apiserver.latency.k8s.io/* breakdown, pod creates the admission-webhook
                      annotations (mutation.*, patch.*, failed-open.*)
  kube-apiserver.log  the kube-apiserver's HTTP log lines (-v=3, with the container runtime's
                      prefix) for the same audit IDs but one, with apf_pl / apf_fs, in the order
                      the requests ended

What is in it: argocd-application-controller LISTs secrets from etcd (slow: etcd time);
spark-operator creates pods through Istio's sidecar injector (mutates) and a Kyverno validating
webhook that times out and fails open (webhook time), and is throttled with 429s under AKS's
aks-managed-apiserver-guard flow schema; kubelet and kube-controller-manager are fast.
Run from anywhere: python3 samples/anatomy/generate.py
"""

import datetime
import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
RNG = random.Random(20250414)
START = datetime.datetime(2025, 4, 14, 9, 0, 0, tzinfo=datetime.timezone.utc)
MINUTES = 20

ISTIO = {"configuration": "istio-sidecar-injector", "webhook": "namespace.sidecar-injector.istio.io"}
KYVERNO = "validate.kyverno.svc-fail"

ACTORS = {
    "argocd": ("system:serviceaccount:argocd:argocd-application-controller",
               "argocd-application-controller/v2.10.4 (linux/amd64) kubernetes/$Format",
               "10.244.1.12", "workload-low", "service-accounts"),
    "spark": ("system:serviceaccount:spark:spark-operator",
              "spark-operator/v1beta2-1.4.2 (linux/amd64) kubernetes/$Format",
              "10.244.2.7", "aks-managed-apiserver-guard", "aks-managed-apiserver-guard"),
    "kubelet": ("system:node:aks-nodepool1-12345678-vmss000000",
                "kubelet/v1.29.2 (linux/amd64) kubernetes/4b8e819", "10.224.0.4",
                "node-high", "system-nodes"),
    "kcm": ("system:kube-controller-manager",
            "kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/leader-election",
            "10.224.0.5", "workload-high", "kube-controller-manager"),
}


def go_duration(nanos):
    """Go's time.Duration.String()."""
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


def go_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def klog_stamp(moment):
    return moment.strftime("%m%d %H:%M:%S.%f")


class Request:
    def __init__(self, actor, verb, uri, ref, received, duration_ms, code=200):
        self.actor, self.verb, self.uri, self.ref = actor, verb, uri, ref
        self.received, self.duration_ms, self.code = received, duration_ms, code
        self.audit_id = str(uuid.UUID(int=RNG.getrandbits(128), version=4))
        self.annotations = {}
        self.breakdown = {}  # part -> nanoseconds

    def end(self):
        return self.received + datetime.timedelta(milliseconds=self.duration_ms)


def add_breakdown(req, etcd=0.0, mutating=0.0, validating=0.0, apf=0.0):
    """Shares of the request's duration; kube-apiserver writes them only above 500 ms."""
    total = req.duration_ms * 1000000
    parts = {"etcd": etcd, "mutating-webhook": mutating, "validating-webhook": validating,
             "apf-queue-wait": apf}
    for part, share in parts.items():
        if share > 0:
            req.breakdown[part] = int(total * share)
    req.breakdown["serialize-response-object"] = int(total * 0.04)
    req.breakdown["response-write"] = RNG.randint(800, 9000)
    req.breakdown["total"] = total


def pod_create(t, code=201, slow=False):
    name = "spark-job-%05d-driver" % RNG.randint(0, 99999)
    ref = {"resource": "pods", "namespace": "spark", "name": name, "apiVersion": "v1"}
    duration = RNG.randint(10400, 10900) if slow else RNG.randint(40, 90)
    req = Request("spark", "create", "/api/v1/namespaces/spark/pods", ref, t, duration, code)
    if code == 429:
        req.duration_ms = RNG.randint(1, 3)
        return req
    req.annotations["mutation.webhook.admission.k8s.io/round_0_index_0"] = go_json(
        dict(ISTIO, mutated=True))
    req.annotations["patch.webhook.admission.k8s.io/round_0_index_0"] = go_json(
        dict(ISTIO, patch=[{"op": "add", "path": "/spec/containers/-",
                            "value": {"name": "istio-proxy"}}], patchType="JSONPatch"))
    if slow:
        req.annotations["failed-open.validating.webhook.admission.k8s.io/round_0_index_0"] = KYVERNO
        add_breakdown(req, etcd=0.002, mutating=0.01, validating=0.955, apf=0.001)
    return req


def secrets_list(t):
    ref = {"resource": "secrets", "apiVersion": "v1"}
    req = Request("argocd", "list", "/api/v1/secrets", ref, t, RNG.randint(1800, 3200))
    add_breakdown(req, etcd=RNG.uniform(0.7, 0.85), apf=RNG.uniform(0.05, 0.1))
    return req


def build():
    requests = []
    for minute in range(MINUTES):
        base = START + datetime.timedelta(minutes=minute)
        for second in range(0, 60, 10):
            t = base + datetime.timedelta(seconds=second, milliseconds=RNG.randint(0, 900))
            ref = {"resource": "nodes", "name": "aks-nodepool1-12345678-vmss000000",
                   "apiVersion": "v1", "subresource": "status"}
            requests.append(Request("kubelet", "patch", "/api/v1/nodes/%s/status" % ref["name"],
                                    ref, t, RNG.randint(3, 9)))
            lease = {"resource": "leases", "namespace": "kube-system",
                     "name": "kube-controller-manager", "apiGroup": "coordination.k8s.io",
                     "apiVersion": "v1"}
            requests.append(Request("kcm", "update", "/apis/coordination.k8s.io/v1/namespaces/"
                                    "kube-system/leases/kube-controller-manager", lease,
                                    t + datetime.timedelta(milliseconds=300), RNG.randint(4, 12)))
        requests.append(secrets_list(base + datetime.timedelta(seconds=RNG.randint(0, 59))))
        for i in range(4):
            t = base + datetime.timedelta(seconds=15 * i, milliseconds=RNG.randint(0, 999))
            requests.append(pod_create(t, slow=(i == 0 and minute % 2 == 0)))
        if minute >= 12:  # the burst APF turns away
            for i in range(3):
                t = base + datetime.timedelta(seconds=20 * i + 5, milliseconds=RNG.randint(0, 999))
                requests.append(pod_create(t, code=429))
    return requests


def audit_line(req):
    user, agent, ip, _, _ = ACTORS[req.actor]
    annotations = {"authorization.k8s.io/decision": "allow",
                   "authorization.k8s.io/reason": ""}
    annotations.update(req.annotations)
    for part, nanos in req.breakdown.items():
        annotations["apiserver.latency.k8s.io/" + part] = go_duration(nanos)
    status = {"metadata": {}, "code": req.code}
    if req.code == 429:
        status.update(status="Failure", reason="TooManyRequests",
                      message="Too many requests, please try again later.")
    event = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata",
             "auditID": req.audit_id, "stage": "ResponseComplete", "requestURI": req.uri,
             "verb": req.verb, "user": {"username": user}, "sourceIPs": [ip], "userAgent": agent,
             "objectRef": req.ref, "responseStatus": status,
             "requestReceivedTimestamp": stamp(req.received), "stageTimestamp": stamp(req.end()),
             "annotations": dict(sorted(annotations.items()))}
    return go_json(event)


def http_line(req):
    _, agent, ip, pl, fs = ACTORS[req.actor]
    end = req.end()
    latency = go_duration(req.duration_ms * 1000000)
    # As read from the node or a container log: the CRI prefix carries the year klog leaves out.
    return ('%s stderr F I%s       1 httplog.go:134] "HTTP" verb="%s" URI="%s" latency="%s" userAgent="%s" '
            'audit-ID="%s" srcIP="%s:%d" apf_pl="%s" apf_fs="%s" apf_iseats=1 apf_fseats=0 '
            'apf_additionalLatency="0s" resp=%d' % (
                end.strftime("%Y-%m-%dT%H:%M:%S.%f000Z"), klog_stamp(end), {"list": "LIST", "create": "POST", "patch": "PATCH",
                                  "update": "PUT"}[req.verb], req.uri, latency, agent,
                req.audit_id, ip, RNG.randint(30000, 60000), pl, fs, req.code))


def main():
    requests = build()
    requests.sort(key=lambda r: (r.received, r.audit_id))
    with open(os.path.join(HERE, "audit.jsonl"), "w", encoding="utf-8", newline="\n") as out:
        out.writelines(audit_line(r) + "\n" for r in requests)
    # The HTTP log is written when a request ends; leave one request out, as a rotated log would.
    logged = sorted(requests[1:], key=lambda r: (r.end(), r.audit_id))
    with open(os.path.join(HERE, "kube-apiserver.log"), "w", encoding="utf-8", newline="\n") as out:
        out.writelines(http_line(r) + "\n" for r in logged)


if __name__ == "__main__":
    main()
