#!/usr/bin/env python3
"""Writes samples/damaged/storage-cut-PT1H.json; run it from the repository root:

    python3 samples/damaged/generate_export_limits.py

A storage-account diagnostic archive (one record per line, category kube-audit) for one minute of
a small AKS cluster: kubelet lease renewals and node status patches at level Metadata, plus one
node-controller status patch logged at RequestResponse whose event is larger than 16 KiB. The
diagnostic-settings export cuts properties.log at 16 KiB (Azure/AKS#4635): that record holds the
first 16,384 bytes of the event and the next record holds the rest. Expected: 14 records =
12 decoded events + 2 skipped (truncated 1, not_audit 1), and the properties.log export warning.
Deterministic (no wall clock, no randomness); standard library only.
"""

import datetime
import json

OUT = "samples/damaged/storage-cut-PT1H.json"
START = datetime.datetime(2025, 2, 25, 9, 0, 0, tzinfo=datetime.timezone.utc)
NODES = ["aks-nodepool1-12345678-vmss00000%d" % i for i in range(3)]
CUT = 16384


def ts(seconds):
    t = START + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def event(n, seconds, verb, uri, user, agent, resource, namespace, name, level="Metadata", **extra):
    e = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": level,
         "auditID": "5b0c%04d-0000-4000-8000-%012d" % (n, n), "stage": "ResponseComplete",
         "requestURI": uri, "verb": verb, "user": {"username": user}, "sourceIPs": ["10.224.0.4"],
         "userAgent": agent,
         "objectRef": {"resource": resource, "namespace": namespace, "name": name, "apiVersion": "v1"},
         "responseStatus": {"metadata": {}, "code": 200},
         "requestReceivedTimestamp": ts(seconds), "stageTimestamp": ts(seconds + 0.004),
         "annotations": {"authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""}}
    e.update(extra)
    return json.dumps(e, separators=(",", ":"))


def record(log, seconds):
    return json.dumps({"category": "kube-audit",
                       "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
                       "properties": {"log": log, "stream": "stdout", "pod": "kube-apiserver-7d9f8c6b5-x2x4p"},
                       "resourceId": "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/RG/"
                                     "PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/DEMO",
                       "time": ts(seconds + 0.2)}, separators=(",", ":"))


def node_status(node):
    images = [{"names": ["mcr.microsoft.com/oss/kubernetes/image-%03d@sha256:%064x" % (i, i * 7919)],
               "sizeBytes": 10000000 + i} for i in range(90)]
    return {"status": {"images": images, "conditions": [{"type": "Ready", "status": "True"}]}}


def main():
    lines = []
    n = 0
    for second in range(0, 60, 10):
        for node in NODES[:2]:
            n += 1
            lines.append(record(event(n, second, "update",
                                      "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/%s?timeout=10s" % node,
                                      "system:node:" + node, "kubelet/v1.29.4 (linux/amd64) kubernetes/55019c8",
                                      "leases", "kube-node-lease", node) + "\n", second))
        if second == 30:
            node = NODES[2]
            body = node_status(node)
            big = event(999, second + 1, "patch", "/api/v1/nodes/%s/status" % node,
                        "system:serviceaccount:kube-system:node-controller",
                        "kube-controller-manager/v1.29.4 (linux/amd64) kubernetes/55019c8/system:serviceaccount:kube-system:node-controller",
                        "nodes", "", node, level="RequestResponse", requestObject=body, responseObject=body)
            assert len(big) > CUT and big.isascii()
            lines.append(record(big[:CUT], second + 1))
            lines.append(record(big[CUT:] + "\n", second + 1))
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
