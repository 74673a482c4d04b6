#!/usr/bin/env bash
# EKS audit logs out of CloudWatch Logs, in every export shape (samples/eks/, written from the
# events of samples/formats/audit.jsonl): detected without --input-format, each gives exactly the
# `top` rows of audit.jsonl, from a file, from stdin, and gzip- or zstd-compressed. A Firehose
# object holding only a CONTROL_MESSAGE says so and exits 1.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=(top --by agent,verb,resource --top 0 --format json)
rows() {  # the JSON report's rows, one per line
  python3 -c 'import json, sys
for row in json.load(sys.stdin)["rows"]: print(json.dumps(row, sort_keys=True))'
}
reference=$("$bin" "${args[@]}" samples/formats/audit.jsonl 2>/dev/null | rows)
count=$(printf '%s\n' "$reference" | wc -l)
check "reference has many rows ($count)" $([ "$count" -gt 20 ]; echo $?)

same_rows() {  # same_rows NAME JSON-REPORT
  local got
  got=$(printf '%s' "$2" | rows)
  if [ "$got" = "$reference" ]; then echo "ok   $1"; else
    echo "FAIL $1: rows differ from audit.jsonl"; diff <(echo "$reference") <(echo "$got") | head -6; fail=1; fi
}

declare -A format=(
  [filter-log-events.json]=eks-cloudwatch-json [get-log-events.json]=eks-cloudwatch-json
  [firehose-object.gz]=eks-firehose [export-task-000000.gz]=eks-export-task
  [insights.csv]=eks-insights-csv [insights.json]=eks-insights-json
  [get-query-results.json]=eks-query-results)
for name in "${!format[@]}"; do
  file=samples/eks/$name
  out=$("$bin" "${args[@]}" "$file" 2>/dev/null)
  same_rows "$name" "$out"
  expect_contains "$name is read as ${format[$name]}" "\"formats\":{\"${format[$name]}\":" "$out"
  same_rows "stdin < $name" "$("$bin" "${args[@]}" < "$file" 2>/dev/null)"
  plain=$tmp/${name%.gz}
  case "$name" in *.gz) gzip -dc "$file" > "$plain" ;; *) cp "$file" "$plain" ;; esac
  gzip -c "$plain" > "$tmp/$name.again.gz"
  same_rows "$name gzipped" "$("$bin" "${args[@]}" "$tmp/$name.again.gz" 2>/dev/null)"
  if command -v zstd > /dev/null; then
    zstd -q -c "$plain" > "$tmp/$name.zst"
    same_rows "$name as zstd, on stdin" "$("$bin" "${args[@]}" < "$tmp/$name.zst" 2>/dev/null)"
  fi
done

# Firehose without its own compression: the gzip members only, concatenated.
gzip -dc samples/eks/firehose-object.gz > "$tmp/members.gz"
same_rows "firehose members, not gzipped again" "$("$bin" "${args[@]}" "$tmp/members.gz" 2>/dev/null)"

# Line accounting: the control message is one skipped record, never malformed.
out=$("$bin" "${args[@]}" samples/eks/firehose-object.gz 2>/dev/null)
expect_contains "firehose: 167 records" '"lines":167,"decoded":166' "$out"
expect_contains "firehose: the control message is its own skip" '"skipped":{"control_message":1}' "$out"
out=$("$bin" "${args[@]}" samples/eks/filter-log-events-truncated.json 2>/dev/null)
expect_contains "messages cut by CloudWatch are truncated" '"lines":5,"decoded":3' "$out"
expect_contains "messages cut by CloudWatch are truncated (reason)" '"skipped":{"truncated":2}' "$out"

# A Firehose object holding only a CONTROL_MESSAGE (the subscription's health check).
printf '%s' '{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1763029869851,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}' \
  | gzip -c | gzip -c > "$tmp/control.gz"
err=$("$bin" top "$tmp/control.gz" 2>&1 >/dev/null)
status=$?
expect_eq "control message only: exit 1" 1 "$status"
expect_contains "control message only: the warning names it" \
  "no audit events found in the input, only 1 CloudWatch Logs CONTROL_MESSAGE record (Firehose health checks, skipped as control_message)" "$err"
out=$("$bin" top "$tmp/control.gz" 2>/dev/null)
expect_contains "control message only: footer" "skipped 1 (control_message 1)" "$out"
case "$out$err" in *malformed*) echo "FAIL control message reported as malformed"; fail=1 ;; *) echo "ok   not malformed" ;; esac
"$bin" top --strict "$tmp/control.gz" > /dev/null 2>&1
expect_eq "control message only: --strict does not fail on it (exit 1, not 3)" 1 $?

# Public samples (real get-query-results output and a real control message), when present.
public=../shared/samples-public
if [ -d "$public" ]; then
  for sample in eks-logs-insights-get-query-results-row-aws-samples.json \
                eks-logs-insights-get-query-results-cell-eks-best-practices.json; do
    out=$("$bin" top --format json "$public/$sample" 2>/dev/null)
    expect_contains "public $sample: one event" '"formats":{"eks-query-results":1},"lines":1,"decoded":1,"events":1' "$out"
  done
  "$bin" top "$public/cwl-subscription-control-message-otel-contrib.json" > /dev/null 2>&1
  expect_eq "public control message: exit 1" 1 $?
else
  echo "skip public samples: $public not found"
fi
finish
