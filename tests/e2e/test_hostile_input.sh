#!/usr/bin/env bash
# Hostile and broken input (issue 6, "Sizes and shapes"): every line lands in exactly one
# accounting bucket, nothing crashes, and the numbers are exact. Inputs are built by python3 in
# a temporary directory (deterministic: fixed contents and a seeded generator for the garbage).
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'PY'
import json, os, random, sys
out = sys.argv[1]

def event(i, **fields):
    e = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": "id-%d" % i,
         "stage": "ResponseComplete", "requestURI": "/api/v1/namespaces/default/pods", "verb": "list",
         "user": {"username": "user-%d" % i}, "userAgent": "agent-%d/1.0" % i,
         "objectRef": {"resource": "pods", "namespace": "default", "apiVersion": "v1"},
         "responseStatus": {"code": 200},
         "requestReceivedTimestamp": "2025-02-25T08:00:00.000000Z",
         "stageTimestamp": "2025-02-25T08:00:00.010000Z"}
    e.update(fields)
    return json.dumps(e, separators=(",", ":"))

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

# A 70 MiB line: one event whose requestObject is a 70 MiB ConfigMap, then a small event.
big = event(0, level="Request", requestObject={"kind": "ConfigMap", "data": {"blob": "x" * (70 << 20)}})
write("big.jsonl", big + "\n" + event(1) + "\n")
# NUL bytes: raw inside a string, between tokens, and a line of nothing but NULs.
write("nul.jsonl", b"\n".join([
    event(1).encode(),
    event(2, userAgent="a\x00b").encode().replace(b"\\u0000", b"\x00"),
    event(3).encode().replace(b',"verb"', b',\x00"verb"'),
    b"\x00\x00\x00",
    event(4).encode()]) + b"\n")
# No final newline.
write("no-final-newline.jsonl", event(1) + "\n" + event(2))
# A record cut in the middle, and one cut right after a nested object closed.
cut = event(2)
write("cut.jsonl", event(1) + "\n" + cut[:len(cut) // 2] + "\n" + event(3) + "\n" +
      cut[:cut.index('"responseStatus"') - 1] + "\n")
# Valid JSON that is not an audit event.
write("not-audit.jsonl", event(1) + "\n" +
      '{"level":"info","ts":"2025-02-25T08:00:00Z","msg":"etcd compaction"}\n' +
      '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web"}}\n' +
      '{"kind":"Event","apiVersion":"v1","reason":"BackOff","involvedObject":{"kind":"Pod"}}\n')
# Deep nesting: 100k levels closed, 100k unclosed, 100k objects, and inside an event's body.
write("deep.jsonl", event(1) + "\n" + "[" * 100000 + "]" * 100000 + "\n" + "[" * 100000 + "\n" +
      '{"a":' * 100000 + "1" + "}" * 100000 + "\n" +
      event(2, level="Request").replace('"level":"Request"',
                                        '"level":"Request","requestObject":' + "[" * 100000 + "]" * 100000) + "\n")
# Numbers where strings belong and vice versa.
write("types.jsonl", "\n".join([
    event(1, verb=5),
    event(2, responseStatus={"code": "404"}),
    event(3, userAgent=12.5),
    event(4, user="bob", objectRef="pods", sourceIPs="10.0.0.1"),
    event(5, requestReceivedTimestamp=17, stageTimestamp=True),
    event(6, stage=7)]) + "\n")
# AzureDiagnostics log_s cut at exactly 32,766 bytes; storage properties.log cut at 16,384.
cut_event = event(7, level="Request", requestObject={"data": "y" * 40000})
row = {"TimeGenerated": "2025-02-25T08:00:00Z", "Category": "kube-audit", "log_s": cut_event[:32766],
       "pod_s": "kube-apiserver-1", "stream_s": "stdout"}
ok_row = dict(row, log_s=event(8))
write("azure-diagnostics.json", json.dumps([ok_row, row]))
cut_event = event(9, level="Request", requestObject={"data": "z" * 20000})
record = {"time": "2025-02-25T08:00:00Z", "resourceId": "/SUBSCRIPTIONS/X", "category": "kube-audit",
          "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
          "properties": {"log": cut_event[:16384], "pod": "kube-apiserver-1", "stream": "stdout"}}
ok_record = dict(record, properties={"log": event(10), "pod": "kube-apiserver-1", "stream": "stdout"})
write("PT1H.json", json.dumps(ok_record) + "\n" + json.dumps(record) + "\n")
# 1 MiB of binary garbage (seeded), alone and after two events: 4,018 newlines and an unterminated
# last line make 4,019 lines, 10 of them blank (empty or only spaces, tabs and CRs).
random.seed(6)
garbage = random.randbytes(1 << 20)
write("garbage.bin", garbage)
write("events-then-garbage.jsonl", (event(1) + "\n" + event(2) + "\n").encode() + garbage)
PY

# accounting FILE [options...]: "lines=N decoded=N filtered=N skipped={...} ok|BROKEN rows=...".
accounting() {
  local file=$1; shift
  "$bin" top -f json --by agent,verb,code "$@" "$tmp/$file" 2>"$tmp/stderr" | python3 -c '
import json, sys
d = json.load(sys.stdin)
i = d["input"]
skipped = sum(i["skipped"].values())
balanced = "ok" if i["lines"] == i["decoded"] + i["filtered"] + skipped else "BROKEN"
rows = ",".join("%s/%s/%s:%d" % (r["key"]["agent"], r["key"]["verb"], r["key"]["code"], r["requests"]) for r in d["rows"])
print("lines=%d decoded=%d filtered=%d skipped=%s %s rows=%s" % (
    i["lines"], i["decoded"], i["filtered"], json.dumps(i["skipped"], sort_keys=True, separators=(",", ":")),
    balanced, rows))'
}

expect_eq "70 MiB line decodes with the default --max-line-size" \
  'lines=2 decoded=2 filtered=0 skipped={} ok rows=agent-0/list/200:1,agent-1/list/200:1' \
  "$(accounting big.jsonl)"
expect_eq "70 MiB line over --max-line-size 64M is too_long" \
  'lines=2 decoded=1 filtered=0 skipped={"too_long":1} ok rows=agent-1/list/200:1' \
  "$(accounting big.jsonl --max-line-size 64M)"
expect_eq "70 MiB line over the limit with small chunks and threads" \
  'lines=2 decoded=1 filtered=0 skipped={"too_long":1} ok rows=agent-1/list/200:1' \
  "$(accounting big.jsonl --max-line-size 64M -j 2 --chunk-size 4K)"
expect_eq "NUL bytes: raw NUL in JSON is malformed, the line count holds" \
  'lines=5 decoded=2 filtered=0 skipped={"malformed_json":3} ok rows=agent-1/list/200:1,agent-4/list/200:1' \
  "$(accounting nul.jsonl)"
expect_eq "missing final newline: the last record counts" \
  'lines=2 decoded=2 filtered=0 skipped={} ok rows=agent-1/list/200:1,agent-2/list/200:1' \
  "$(accounting no-final-newline.jsonl)"
expect_eq "records cut mid-way (and right after a nested close) are truncated" \
  'lines=4 decoded=2 filtered=0 skipped={"truncated":2} ok rows=agent-1/list/200:1,agent-3/list/200:1' \
  "$(accounting cut.jsonl)"
expect_eq "valid JSON that is not an audit event is not_audit" \
  'lines=4 decoded=1 filtered=0 skipped={"not_audit":3} ok rows=agent-1/list/200:1' \
  "$(accounting not-audit.jsonl)"
expect_eq "100k-deep nesting: closed is not_audit, unclosed truncated, inside a body decoded" \
  'lines=5 decoded=2 filtered=0 skipped={"not_audit":2,"truncated":1} ok rows=agent-1/list/200:1,agent-2/list/200:1' \
  "$(accounting deep.jsonl)"
expect_eq "numbers for strings and strings for numbers are read as text and codes" \
  'lines=6 decoded=6 filtered=0 skipped={} ok rows=12.5/list/200:1,agent-1/5/200:1,agent-2/list/404:1,agent-4/list/200:1,agent-5/list/200:1' \
  "$(accounting types.jsonl)"
expect_eq "AzureDiagnostics log_s cut at 32,766 bytes is truncated" \
  'lines=2 decoded=1 filtered=0 skipped={"truncated":1} ok rows=agent-8/list/200:1' \
  "$(accounting azure-diagnostics.json)"
expect_eq "storage properties.log cut at 16,384 bytes is truncated" \
  'lines=2 decoded=1 filtered=0 skipped={"truncated":1} ok rows=agent-10/list/200:1' \
  "$(accounting PT1H.json)"
expect_eq "binary garbage in an audit log is malformed_json, never truncated" \
  'lines=4021 decoded=2 filtered=0 skipped={"blank":10,"malformed_json":4009} ok rows=agent-1/list/200:1,agent-2/list/200:1' \
  "$(accounting events-then-garbage.jsonl)"
expect_eq "binary garbage read as audit lines is malformed_json" \
  'lines=4019 decoded=0 filtered=0 skipped={"blank":10,"malformed_json":4009} ok rows=' \
  "$(accounting garbage.bin --input-format audit)"
expect_eq "a binary file on its own is an unknown format" \
  'lines=4019 decoded=0 filtered=0 skipped={"blank":10,"unknown_format":4009} ok rows=' \
  "$(accounting garbage.bin)"
expect_eq "binary garbage: no events is exit 1, and the input is named as binary data" \
  "kubeblame: warning: no audit events found in the input
kubeblame: warning: $tmp/garbage.bin looks like binary data (not text, gzip or zstd): none of its 4,009 records could be read
kubeblame: warning: kubeblame reads Kubernetes audit logs (JSON lines, arrays, EventList), Log Analytics exports of AKSAudit, AKSAuditAdmin, AKSControlPlane, AzureDiagnostics and their Arc tables (az -o json, REST, portal CSV), Azure diagnostic archives (Storage, Event Hub), EKS CloudWatch Logs exports, GKE Cloud Audit Logs and kube-apiserver log text; see docs/formats.md" "$(cat "$tmp/stderr")"

# --strict: exit 3 and exactly one line on stderr.
"$bin" top --strict "$tmp/cut.jsonl" >/dev/null 2>"$tmp/stderr"; code=$?
expect_eq "--strict exits 3" 3 "$code"
expect_eq "--strict prints one line" \
  "kubeblame: error: --strict: 2 of 4 records skipped (truncated 2); first at $tmp/cut.jsonl:2: truncated" \
  "$(cat "$tmp/stderr")"
"$bin" top --strict "$tmp/events-then-garbage.jsonl" >/dev/null 2>"$tmp/stderr"; code=$?
expect_eq "--strict on garbage exits 3" 3 "$code"
expect_eq "--strict on garbage prints one line" 1 "$(wc -l < "$tmp/stderr")"
# Hostile bytes never reach the terminal table: no ESC, no NUL, no CR.
"$bin" top --by user_agent "$tmp/nul.jsonl" "$tmp/events-then-garbage.jsonl" > "$tmp/table" 2>/dev/null
expect_eq "table output has no control bytes" 0 "$(LC_ALL=C tr -d '\n' < "$tmp/table" | LC_ALL=C grep -c '[[:cntrl:]]')"
finish
