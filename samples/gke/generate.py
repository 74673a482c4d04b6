#!/usr/bin/env python3
"""Writes samples/gke/ from the raw audit samples; run it from the repository root:

    python3 samples/gke/generate.py

GKE writes Cloud Audit Logs LogEntry records instead of audit.k8s.io Events. This script turns
the requests of samples/formats/audit.jsonl (and of samples/fights/fight-with-bodies.jsonl) into
the entries GKE would have logged for them, in the two shapes users get them in:

  gcloud-logging-read.json     `gcloud logging read ... --format=json`: one JSON array, 2-space
                               indent, keys sorted, newest first.
  sink-cloudaudit.json.gz      a Cloud Logging sink's Cloud Storage object: one entry per line,
                               gzipped (mtime=0).
  fight-sink-cloudaudit.json.gz  the fights sample's requests, with their bodies in
                               protoPayload.request, as a sink object.

One entry per counted request, plus the `first` entry of each watch (GKE logs a long-running
request when it starts and when it ends, under one operation.id); `kubeblame top --by
agent,verb,resource` gives the same rows as for audit.jsonl, except latency, which GKE does not
log. Standard library only, deterministic (fixed seed, no wall clock).
"""

import datetime
import gzip
import json
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.dirname(HERE)
PROJECT = "contoso-platform"
CLUSTER = {"cluster_name": "shop-prod", "location": "europe-west1", "project_id": PROJECT}

# HTTP status -> gRPC code, the way GKE logs kube-apiserver's answers (google.rpc.Code).
GRPC_FOR_HTTP = {400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 422: 3, 429: 8, 500: 13, 501: 12,
                 503: 14, 504: 4}
GRPC_NAMES = {3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND", 6: "ALREADY_EXISTS",
              7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 10: "ABORTED", 12: "UNIMPLEMENTED",
              13: "INTERNAL", 14: "UNAVAILABLE", 16: "UNAUTHENTICATED"}
LEGACY_GROUPS = {"apps", "batch", "autoscaling", "policy", "extensions"}
READ_VERBS = {"get", "list", "watch"}


def is_counted(event):
    """docs/counting.md: the events counted as requests."""
    stage = event.get("stage", "")
    code = event.get("responseStatus", {}).get("code", 0)
    if stage == "ResponseComplete":
        return code != 101
    if stage == "ResponseStarted":
        return code in (101, 401)
    return stage in ("", "Panic")


def method_prefix(group):
    if group == "":
        return "io.k8s.core"
    if group in LEGACY_GROUPS:
        return "io.k8s." + group
    parts = group.split(".")
    if group.endswith(".k8s.io"):
        return "io.k8s." + ".".join(reversed(parts[:-2]))
    return ".".join(reversed(parts))


def names_of(event):
    """methodName and resourceName for an event (a non-resource URL is its own resourceName)."""
    ref = event.get("objectRef")
    verb = event["verb"]
    if not ref or not ref.get("resource"):
        return "io.k8s." + verb, event["requestURI"].split("?")[0]
    group, version = ref.get("apiGroup", ""), ref.get("apiVersion", "v1")
    method = [method_prefix(group), version, ref["resource"]]
    path = [group or "core", version]
    if ref.get("namespace"):
        path += ["namespaces", ref["namespace"]]
    path.append(ref["resource"])
    if ref.get("name"):
        path.append(ref["name"])
    if ref.get("subresource"):
        method.append(ref["subresource"])
        path.append(ref["subresource"])
    return ".".join(method + [verb]), "/".join(path)


def status_of(event):
    status = event.get("responseStatus", {})
    code = status.get("code", 200)
    if code < 400:
        return {}
    grpc = GRPC_FOR_HTTP.get(code, 13)
    if code == 409 and status.get("reason") == "AlreadyExists":
        grpc = 6
    return {"code": grpc, "message": status.get("message") or GRPC_NAMES[grpc]}


def body_of(event):
    body = event.get("requestObject")
    if not isinstance(body, dict):
        return None
    ref = event["objectRef"]
    if event["verb"] == "patch":
        kind = "k8s.io/Patch"
    else:
        kind = "%s.k8s.io/%s.%s" % (ref.get("apiGroup") or "core", ref.get("apiVersion", "v1"),
                                    body.get("kind", ""))
    return dict({"@type": kind}, **body)


def stamp(text, plus_ms):
    """An RFC 3339 time `plus_ms` milliseconds later, with nanoseconds (receiveTimestamp)."""
    t = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    t += datetime.timedelta(milliseconds=plus_ms)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%f") + "%03dZ" % (plus_ms % 997)


def entry(event, rng, first, last):
    method, resource = names_of(event)
    status = status_of(event)
    payload = {
        "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
        "authenticationInfo": {},
        "authorizationInfo": [{"granted": status.get("code") != 7, "permission": method,
                               "resource": resource}],
        "methodName": method,
        "requestMetadata": {"callerIp": (event.get("sourceIPs") or [""])[-1]},
        "resourceName": resource,
        "serviceName": "k8s.io",
        "status": status,
    }
    user = event.get("user", {}).get("username")
    if user:
        payload["authenticationInfo"]["principalEmail"] = user
    if event.get("userAgent"):
        payload["requestMetadata"]["callerSuppliedUserAgent"] = event["userAgent"]
    body = body_of(event) if last else None
    if body is not None:
        payload["request"] = body
    operation = {"id": event["auditID"], "producer": "k8s.io"}
    if first:
        operation["first"] = True
    if last:
        operation["last"] = True
    log = "data_access" if event["verb"] in READ_VERBS else "activity"
    return {
        "protoPayload": payload,
        "insertId": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "resource": {"type": "k8s_cluster", "labels": dict(CLUSTER)},
        "timestamp": event["requestReceivedTimestamp"],
        "labels": event.get("annotations", {}),
        "logName": "projects/%s/logs/cloudaudit.googleapis.com%%2F%s" % (PROJECT, log),
        "operation": operation,
        "receiveTimestamp": stamp(event["requestReceivedTimestamp"], rng.randint(600, 2400)),
    }


def entries_of(path, seed):
    rng = random.Random(seed)
    events = [json.loads(line) for line in open(path, encoding="utf-8")]
    out = []
    for event in events:
        if not is_counted(event):
            continue
        if event["verb"] == "watch":
            out.append(entry(event, rng, first=True, last=False))
            out.append(entry(event, rng, first=False, last=True))
        else:
            out.append(entry(event, rng, first=True, last=True))
    return out


def gcloud_array(entries):
    newest_first = sorted(entries, key=lambda e: (e["timestamp"], e["insertId"]), reverse=True)
    return json.dumps(newest_first, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def sink_object(entries):
    lines = "".join(json.dumps(e, separators=(",", ":"), ensure_ascii=False) + "\n"
                    for e in sorted(entries, key=lambda e: (e["timestamp"], e["insertId"])))
    return gzip.compress(lines.encode(), mtime=0)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    entries = entries_of(os.path.join(SAMPLES, "formats", "audit.jsonl"), 20250225)
    write("gcloud-logging-read.json", gcloud_array(entries).encode())
    write("sink-cloudaudit.json.gz", sink_object(entries))
    fights = entries_of(os.path.join(SAMPLES, "fights", "fight-with-bodies.jsonl"), 20250310)
    write("fight-sink-cloudaudit.json.gz", sink_object(fights))


if __name__ == "__main__":
    main()
