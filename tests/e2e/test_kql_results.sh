#!/bin/bash
# kubeblame kql results read back (docs/kql.md, "Reading the results back"): the result files in
# samples/kql/ hold what the kql queries return for samples/formats/audit.jsonl, so top and
# timeline on them must print the rows a local run prints on the events (requests, errors,
# percentiles, cost, first/last); partial results of --split windows merge exactly; and the rules
# (no mixing with raw events, no --since/--until, --where only on the result's dimensions, no
# finer --interval, a grouping no result has) are usage errors (2) in one sentence.
source "$(dirname "$0")/lib.sh"
bin=$1
events=samples/formats/audit.jsonl
k=samples/kql
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The JSON rows without the fields the results do not carry (the latency breakdown, 429s).
rows() { python3 -c '
import json, sys
doc = json.load(sys.stdin)
drop = {"throttled", "traced", "etcd_s", "webhook_s", "apf_wait_s"}
for row in doc["rows"] + ([doc["other"]] if doc.get("other") else []):
    print(json.dumps({k: v for k, v in row.items() if k not in drop}, sort_keys=True))
print("requests", doc["input"]["requests"], doc["input"]["first"], doc["input"]["last"])'; }

"$bin" top --by agent,verb --top 0 -f json "$events" | rows > "$tmp/local-agent-verb"
"$bin" top --by agent --top 0 -f json "$events" | rows > "$tmp/local-agent"
for input in top-agent-verb-az.json top-agent-verb-portal.csv "split-1-agent-verb-az.json split-2-agent-verb-az.json"; do
  # shellcheck disable=SC2086  # two files for the split case
  "$bin" top --by agent,verb --top 0 -f json $(printf "$k/%s " $input) | rows > "$tmp/weighted"
  cmp -s "$tmp/local-agent-verb" "$tmp/weighted"
  check "top --by agent,verb on $input equals the local run" $?
done
for input in top-agent-rest.json top-agent-verb-az.json timeline-agent-1m-az.json; do
  "$bin" top --by agent --top 0 -f json "$k/$input" | rows > "$tmp/weighted"
  cmp -s "$tmp/local-agent" "$tmp/weighted"
  check "top --by agent on $input equals the local run (re-aggregated)" $?
done
"$bin" top --by agent --where verb=list --top 0 -f json "$events" | rows > "$tmp/local-where"
"$bin" top --by agent --where verb=list --top 0 -f json "$k/top-agent-verb-az.json" | rows > "$tmp/weighted"
cmp -s "$tmp/local-where" "$tmp/weighted"
check "--where verb=list on an agent,verb result equals the local run" $?

for interval in 1m 5m 15m; do
  for input in timeline-agent-1m-az.json timeline-agent-1m-portal.csv; do
    "$bin" timeline --interval "$interval" --top 0 -f csv "$events" > "$tmp/local-timeline"
    "$bin" timeline --interval "$interval" --top 0 -f csv "$k/$input" > "$tmp/weighted"
    cmp -s "$tmp/local-timeline" "$tmp/weighted"
    check "timeline --interval $interval on $input equals the local run" $?
  done
done

# Without --by, top groups by the result's own dimensions.
out=$("$bin" top -f json "$k/split-1-agent-verb-az.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["by"])')
expect_eq "top without --by uses the result's dimensions" "['agent', 'verb']" "$out"

usage() {  # usage NAME EXPECTED-MESSAGE ARGS...
  local name=$1 message=$2
  shift 2
  err=$("$bin" "$@" 2>&1 >/dev/null)
  expect_eq "$name exits 2" 2 $?
  expect_eq "$name says why" "kubeblame: error: $message" "$err"
}
usage "a grouping no result has" \
  'the Log Analytics results are grouped by agent, verb; --by user needs `kubeblame kql top --by user`' \
  top --by user "$k/top-agent-verb-az.json"
usage "--where on a dimension the result lacks" \
  'the Log Analytics results are grouped by agent; --by agent with --where on verb needs `kubeblame kql top --by agent,verb`' \
  top --by agent --where verb=get "$k/top-agent-rest.json"
usage "results mixed with raw events" \
  'the input mixes kubeblame kql results with raw audit events or log lines: reading both would count the same requests twice (run them separately)' \
  top "$k/top-agent-rest.json" "$events"
usage "--since on results" \
  '--since/--until do not apply to kubeblame kql results: the query applied its window (give them to kubeblame kql)' \
  top --since 2025-02-25T09:00:00Z "$k/top-agent-rest.json"
usage "a finer --interval" \
  'the Log Analytics timeline is binned by 1m: --interval 30s is not a multiple of it (a finer timeline needs `kubeblame kql timeline --interval 30s`)' \
  timeline --interval 30s "$k/timeline-agent-1m-az.json"
usage "errors on results" \
  'errors reads raw rows, not kubeblame kql results: run it on a `kubeblame kql errors` export' \
  errors "$k/top-agent-rest.json"

# Bad rows are counted skips; --strict makes them fatal.
"$bin" top --strict "$k/damaged-az.json" > /dev/null 2>&1
expect_eq "--strict fails on bad result rows" 3 $?

# A --where that keeps no group: nothing to report (1), as with events.
err=$("$bin" top --by agent --where verb=nothing "$k/top-agent-verb-az.json" 2>&1 >/dev/null)
expect_eq "--where keeping no group exits 1" 1 $?
expect_eq "--where keeping no group says so" \
  "kubeblame: warning: no groups of the kubeblame kql results in the input are left after --where" "$err"

# The footer says where the numbers come from.
out=$("$bin" top "$k/top-agent-rest.json")
expect_contains "footer names Log Analytics and the window" \
  "the numbers were computed by Log Analytics over 2025-02-25T09:10:00.585Z .. 2025-02-25T09:24:14.685Z (kubeblame kql results: 10 rows)" "$out"
finish
