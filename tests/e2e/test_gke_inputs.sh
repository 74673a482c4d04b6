#!/usr/bin/env bash
# GKE Cloud Audit Logs, detected without --input-format: the gcloud array, the sink object
# (gzip), the same entries as zstd and in a directory, and through stdin give the same `top` rows
# as samples/formats/audit.jsonl (the same requests), except the latency metrics, which are null
# for GKE because Cloud Audit Logs carry no latency. The warning that says so appears once, and
# only for GKE input; a sink's non-k8s entries are skipped as not_audit.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(top --by agent,verb,resource --top 0 --format json)

# Rows without latency metrics; for GKE also the check that every latency metric is null.
rows() {  # rows FILE-WITH-JSON MUST-BE-NULL(0/1)
  python3 - "$1" "$2" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
latency = ("p50_ms", "p95_ms", "p99_ms", "max_ms", "cost_s")
for row in report["rows"]:
    if sys.argv[2] == "1" and any(row[k] is not None for k in latency):
        print("NON-NULL LATENCY", row["key"])
    print(json.dumps({k: v for k, v in row.items() if k not in latency}, sort_keys=True))
print("requests", report["input"]["requests"], "other", report["other"])
EOF
}

"$bin" "${args[@]}" samples/formats/audit.jsonl > "$tmp/reference.json" 2>/dev/null
reference=$(rows "$tmp/reference.json" 0)
count=$(printf '%s\n' "$reference" | wc -l)
check "reference has many rows ($count)" $([ "$count" -gt 50 ]; echo $?)

zcat samples/gke/sink-cloudaudit.json.gz | zstd -q -c > "$tmp/sink.json.zst"
mkdir "$tmp/bucket" && cp samples/gke/sink-cloudaudit.json.gz "$tmp/bucket/09:00:00_09:59:59_S0.json"
for input in samples/gke/gcloud-logging-read.json samples/gke/sink-cloudaudit.json.gz \
             "$tmp/sink.json.zst" "$tmp/bucket"; do
  "$bin" "${args[@]}" "$input" > "$tmp/out.json" 2>"$tmp/err"
  out=$(rows "$tmp/out.json" 1)
  if [ "$out" = "$reference" ]; then echo "ok   $input"; else
    echo "FAIL $input differs from audit.jsonl"; diff <(echo "$reference") <(echo "$out") | head -6; fail=1; fi
done
"$bin" "${args[@]}" < samples/gke/gcloud-logging-read.json > "$tmp/out.json" 2>/dev/null
expect_eq "stdin < gcloud array" "$reference" "$(rows "$tmp/out.json" 1)"

formats=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["input"]["formats"])' < "$tmp/out.json")
expect_eq "gcloud array format" "{'gke-gcloud-json': 160}" "$formats"
"$bin" "${args[@]}" samples/gke/sink-cloudaudit.json.gz > "$tmp/out.json" 2>/dev/null
formats=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["input"]["formats"])' < "$tmp/out.json")
expect_eq "sink lines format" "{'gke-logentry-lines': 160}" "$formats"

# The warning: once in a mixed run with GKE input, never without it.
mixed=$("$bin" top samples/formats/audit.jsonl samples/gke/gcloud-logging-read.json 2>/dev/null)
expect_eq "one no-latency warning in a mixed run" 1 \
  "$(printf '%s\n' "$mixed" | grep -c '^warning: GKE audit logs carry no per-request latency')"
expect_eq "no GKE warning without GKE input" 0 \
  "$("$bin" top samples/formats/audit.jsonl 2>/dev/null | grep -c 'GKE')"
# The same requests twice (same audit IDs and stages): each counted once, from the raw file, with
# its latency; the GKE copies are duplicates, except the 9 watch starts the raw file lacks.
mixed=$("$bin" top --format json samples/formats/audit.jsonl samples/gke/gcloud-logging-read.json 2>/dev/null |
  python3 -c 'import json,sys; r=json.load(sys.stdin); i=r["input"]; print(i["requests"], i["duplicates"], r["rows"][0]["p50_ms"])')
expect_eq "mixed run: requests, duplicates, raw latency" "150 151 6" "$mixed"

# A sink holding a non-k8s entry (container.googleapis.com) and a text entry: skipped, counted.
{
  zcat samples/gke/sink-cloudaudit.json.gz | head -n 3
  echo '{"protoPayload":{"serviceName":"container.googleapis.com","methodName":"google.container.v1.ClusterManager.GetCluster"},"insertId":"x1","logName":"projects/p/logs/cloudaudit.googleapis.com%2Fdata_access"}'
  echo '{"insertId":"x2","textPayload":"hello","logName":"projects/p/logs/stdout"}'
} > "$tmp/mixed-sink.json"
summary=$("$bin" top --format json "$tmp/mixed-sink.json" 2>/dev/null |
  python3 -c 'import json,sys; i=json.load(sys.stdin)["input"]; print(i["lines"], i["events"], i["skipped"])')
expect_eq "non-k8s sink entries skipped as not_audit" "5 3 {'not_audit': 2}" "$summary"
finish
