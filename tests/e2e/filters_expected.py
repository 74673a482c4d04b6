#!/usr/bin/env python3
"""Independent expected counts for tests/e2e/test_filters.sh (run: python3 tests/e2e/filters_expected.py).

Reads samples/incident/audit.log with the json module and applies the rules of docs/counting.md directly
(request = ResponseComplete/Panic/no stage, or ResponseStarted with 401; time = received, else
stage time; dimensions as docs/counting.md, "Dimensions" describes them), without any kubeblame code.
Prints one line per test case: name events requests filtered first last.
"""
import fnmatch
import json
from datetime import datetime, timedelta

SAMPLE = "samples/incident/audit.log"
CLUSTER_SCOPED = {("nodes", ""), ("namespaces", ""), ("persistentvolumes", ""),
                  ("customresourcedefinitions", "apiextensions.k8s.io"),
                  ("clusterroles", "rbac.authorization.k8s.io"),
                  ("clusterrolebindings", "rbac.authorization.k8s.io"),
                  ("apiservices", "apiregistration.k8s.io")}


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def dims(e):
    ua = e.get("userAgent", "")
    agent = ua.split("/")[0].rstrip(" ") or "(none)"
    ref = e.get("objectRef") or {}
    verb = e.get("verb", "")
    if not ref.get("resource"):
        namespace = "(none)"
    elif ref.get("namespace"):
        namespace = ref["namespace"]
    elif (ref["resource"], ref.get("apiGroup", "")) in CLUSTER_SCOPED:
        namespace = "(cluster)"
    else:
        namespace = "(all)" if verb in ("list", "watch", "deletecollection") else "(cluster)"
    code = (e.get("responseStatus") or {}).get("code", 0)
    return {"agent": agent, "verb": verb or "(none)", "namespace": namespace,
            "user": (e.get("user") or {}).get("username") or "(none)",
            "code": str(code) if code > 0 else "(none)", "code_num": code}


def counted(e, code):
    stage = e.get("stage")
    return stage in (None, "ResponseComplete", "Panic") or (stage == "ResponseStarted" and code == 401)


events = []
for line in open(SAMPLE):
    e = json.loads(line)
    t = parse_time(e.get("requestReceivedTimestamp")) or parse_time(e.get("stageTimestamp"))
    d = dims(e)
    events.append((t, d, counted(e, d["code_num"])))
last = max(t for t, _, _ in events)


def case(name, keep):
    kept = [(t, d, c) for t, d, c in events if keep(t, d)]
    times = [t for t, _, _ in kept]
    first_last = (f"{min(times).isoformat()} {max(times).isoformat()}" if times else "- -")
    print(name, len(kept), sum(1 for _, _, c in kept if c), len(events) - len(kept), first_last)


def at(text):
    return parse_time(text)


case("all", lambda t, d: True)
case("since-abs", lambda t, d: t >= at("2025-02-25T10:00:00Z"))
case("until-abs", lambda t, d: t < at("2025-02-25T10:00:00Z"))
case("window-offset", lambda t, d: at("2025-02-25T10:30:00+01:00") <= t < at("2025-02-25T10:15:00.5Z"))
case("since-30m", lambda t, d: t >= last - timedelta(minutes=30))
case("until-1h30m", lambda t, d: t < last - timedelta(hours=1, minutes=30))
case("since-1h-until-15m", lambda t, d: last - timedelta(hours=1) <= t < last - timedelta(minutes=15))
case("verb=list", lambda t, d: d["verb"] == "list")
case("agent!=kubelet", lambda t, d: d["agent"] != "kubelet")
case("namespace~kube-*", lambda t, d: fnmatch.fnmatchcase(d["namespace"], "kube-*"))
case("user!~system:*", lambda t, d: not fnmatch.fnmatchcase(d["user"], "system:*"))
case("namespace=(cluster)", lambda t, d: d["namespace"] == "(cluster)")
case("code>=400", lambda t, d: d["code_num"] > 0 and d["code_num"] >= 400)
case("code<=409", lambda t, d: 0 < d["code_num"] <= 409)
case("code>409", lambda t, d: d["code_num"] > 409)
case("code<300", lambda t, d: 0 < d["code_num"] < 300)
case("verb=list+agent=dapr-operator", lambda t, d: d["verb"] == "list" and d["agent"] == "dapr-operator")
case("user~*alice*", lambda t, d: fnmatch.fnmatchcase(d["user"], "*alice*"))
case("code>=400+since-abs", lambda t, d: d["code_num"] >= 400 and t >= at("2025-02-25T10:00:00Z"))

# Control-plane log lines (samples/controlplane/kube-apiserver.log): a klog line's time is its
# klog header with the year of its CRI prefix; a JSON line's is its "ts"; other lines (Trace
# continuations, Go log lines) carry the CRI prefix time.
import re

log_times = []
for line in open("samples/controlplane/kube-apiserver.log"):
    cri, rest = line[:30], line.split(" ", 3)[3]
    m = re.match(r"[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6})", rest)
    if m:
        log_times.append(datetime(int(cri[:4]), *(int(g) for g in m.groups())))
    elif rest.startswith("{"):
        log_times.append(datetime.fromisoformat(json.loads(rest)["ts"].rstrip("Z")))
    else:
        log_times.append(datetime.fromisoformat(cri[:26]))
kept = [t for t in log_times if t >= datetime(2025, 1, 1)]
print("log-since-2025", len(kept), len(log_times) - len(kept), min(kept).isoformat(), max(kept).isoformat())

# samples/damaged/audit-damaged.jsonl: the audit events among the lines that parse as JSON.
damaged = []
for line in open("samples/damaged/audit-damaged.jsonl"):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if isinstance(e, dict) and e.get("kind") == "Event":
        damaged.append(e)
print("damaged-verb=get", sum(1 for e in damaged if e.get("verb") == "get"), "of", len(damaged))
