#!/usr/bin/env python3
"""A generated AKSAudit export (az -o json rows) that exercises every counting rule.

Every stage (RequestReceived, ResponseStarted, ResponseComplete, Panic, none), exec upgrades
counted at ResponseStarted 101, failed authentications at ResponseStarted 401, watches, missing
and negative latencies, missing RequestReceivedTime, 3, 6 and 7 fractional digits, cluster-scoped
and collection requests, non-resource URIs, user agents with trailing spaces before the `/`,
text that needs quoting in CSV, and one group with thousands of latencies (the histogram path).
Deterministic: synth_aksaudit.py PATH writes the same rows every time.
"""
import json
import math
import os
import random
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_sim  # noqa: E402

AGENTS = ["kubelet/v1.29.4 (linux/amd64) kubernetes/55019c8", "argocd-application-controller/v0.0.0",
          "my tool  /1.0", "", "Mozilla/5.0 (X11)", "kubectl/v1.30.0 (linux/amd64)", "no-slash-agent"]
USERS = ["system:node:aks-1", "system:serviceaccount:argocd:controller", "jürgen@example.com",
         'weird,"user"', None]
TARGETS = [  # (verb, objectRef or None, request URI)
    ("get", {"resource": "pods", "namespace": "prod-a", "name": "web-1"}, "/api/v1/namespaces/prod-a/pods/web-1"),
    ("list", {"resource": "pods"}, "/api/v1/pods?limit=500"),
    ("list", {"resource": "pods", "namespace": "prod-b"}, "/api/v1/namespaces/prod-b/pods"),
    ("watch", {"resource": "configmaps", "namespace": "kube-system"}, "/api/v1/namespaces/kube-system/configmaps?watch=1"),
    ("list", {"resource": "nodes"}, "/api/v1/nodes"),
    ("get", {"resource": "nodes", "name": "aks-1"}, "/api/v1/nodes/aks-1"),
    ("update", {"resource": "leases", "namespace": "kube-node-lease", "name": "aks-1", "apiGroup": "coordination.k8s.io"},
     "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/aks-1"),
    ("patch", {"resource": "deployments", "namespace": "prod-a", "name": "web", "apiGroup": "apps", "subresource": "scale"},
     "/apis/apps/v1/namespaces/prod-a/deployments/web/scale"),
    ("list", {"resource": "clusterroles", "apiGroup": "rbac.authorization.k8s.io"}, "/apis/rbac.authorization.k8s.io/v1/clusterroles"),
    ("create", {"resource": "customresourcedefinitions", "apiGroup": "apiextensions.k8s.io", "name": "x.example.com"},
     "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"),
    ("list", {"resource": "widgets", "apiGroup": "example.com"}, "/apis/example.com/v1/widgets"),
    ("deletecollection", {"resource": "events", "namespace": "prod-a"}, "/api/v1/namespaces/prod-a/events"),
    ("get", None, "/healthz?verbose=1"),
    ("get", None, "/openapi/v2"),
    ("delete", {"resource": "pods", "namespace": "prod-a", "name": "web-2"}, "/api/v1/namespaces/prod-a/pods/web-2"),
]
CODES = [200] * 30 + [201, 404, 409, 429, 500, 403, None]
SOURCE_IPS = [["10.224.0.4"], ["203.0.113.9", "10.224.0.5"], ["10.224.0.6", ""], None, []]
START = result_sim.parse_datetime("2025-03-01T10:00:00Z")
TICKS = result_sim.TICKS_PER_SECOND


def iso(ticks, digits):
    text = result_sim.iso_datetime(ticks)  # 7 fractional digits
    return text[:20 + digits] + "Z" if digits else text[:19] + "Z"


def az_row(rng, t, stage, verb, ref, uri, agent, user, code, latency_ticks):
    digits = rng.choice([3, 6, 7])
    received = None if rng.random() < 0.01 else t
    stage_time = None if (latency_ticks is None) else t + latency_ticks
    row = {
        "AuditId": "%032x" % rng.getrandbits(128), "Level": "Metadata", "PodName": "kube-apiserver-0",
        "Stage": stage, "Verb": verb, "RequestUri": uri, "UserAgent": agent,
        "User": "None" if user is None else json.dumps({"username": user, "groups": ["g"]}, ensure_ascii=False),
        "ObjectRef": "None" if ref is None else json.dumps(dict(ref, apiVersion="v1")),
        "ResponseStatus": "None" if code is None else json.dumps({"metadata": {}, "code": code}),
        "SourceIps": json.dumps(rng.choice(SOURCE_IPS)) if rng.random() < 0.95 else "None",
        "RequestReceivedTime": "None" if received is None else iso(received, digits),
        "StageReceivedTime": "None" if stage_time is None else iso(stage_time, digits),
        "TimeGenerated": iso(t + 90 * TICKS + rng.randrange(60 * TICKS), 3),
        "Type": "AKSAudit", "TableName": "PrimaryResult", "SourceSystem": "Azure",
        "Annotations": "{}", "RequestObject": "None", "ResponseObject": "None",
    }
    return row


def latency(rng):
    """Log-uniform from 20 µs to 60 s, in ticks; sometimes missing or negative."""
    r = rng.random()
    if r < 0.02:
        return None
    if r < 0.03:
        return -rng.randrange(1, 50_000)
    return int(math.exp(rng.uniform(math.log(200), math.log(60 * TICKS))))


def synth_rows(seed=15, requests=6000):
    """AKSAudit az rows: ~6000 requests over two hours, kubelet with thousands of latencies."""
    rng = random.Random(seed)
    rows = []
    for i in range(requests):
        t = START + i * (7200 * TICKS // requests) + rng.randrange(1000)
        agent = AGENTS[0] if rng.random() < 0.5 else rng.choice(AGENTS)
        verb, ref, uri = rng.choice(TARGETS)
        user, code = rng.choice(USERS), rng.choice(CODES)
        lat = latency(rng)
        kind = rng.random()
        if kind < 0.03:  # an exec: counted at ResponseStarted 101, its ResponseComplete is an event
            ref = {"resource": "pods", "namespace": "prod-a", "name": "web-1", "subresource": "exec"}
            for stage in ("ResponseStarted", "ResponseComplete"):
                rows.append(az_row(rng, t, stage, "create", ref, uri + "/exec", agent, user, 101, lat))
            continue
        if kind < 0.05:  # a failed authentication: ResponseStarted 401 only
            rows.append(az_row(rng, t, "ResponseStarted", verb, ref, uri, agent, user, 401, lat))
            continue
        stage = "Panic" if kind < 0.06 else ("" if kind < 0.08 else "ResponseComplete")
        if kind > 0.9:  # events that are not requests
            rows.append(az_row(rng, t, "RequestReceived", verb, ref, uri, agent, user, None, None))
            rows.append(az_row(rng, t, "ResponseStarted", verb, ref, uri, agent, user, 200, lat))
        rows.append(az_row(rng, t, stage, verb, ref, uri, agent, user, code, lat))
    rng.shuffle(rows)
    return rows


def main():
    if len(sys.argv) != 2:
        print("usage: synth_aksaudit.py OUTPUT.json", file=sys.stderr)
        return 2
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(synth_rows(), f, indent=2, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
