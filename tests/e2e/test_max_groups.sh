#!/usr/bin/env bash
# --max-groups: 300,000 distinct user agents (a cardinality attack) plus five heavy hitters. The
# default bound (100,000) folds the tail into (other) with a warning; the heavy rows stay exact;
# (other) holds every other request; the output is byte-identical for any -j and chunk size and
# its rows equal an unbounded run's.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awk 'BEGIN {
  for (i = 1; i <= 300000; i++) {
    if (i % 7 == 0) {
      printf "{\"verb\":\"get\",\"userAgent\":\"ua-%d\",\"responseStatus\":{\"code\":%d},\"requestReceivedTimestamp\":\"2025-02-25T08:00:00Z\",\"stageTimestamp\":\"2025-02-25T08:00:00.%03dZ\"}\n", i, (i % 13 == 0 ? 404 : 200), i % 997;
    } else {
      printf "{\"verb\":\"get\",\"userAgent\":\"ua-%d\",\"responseStatus\":{\"code\":200}}\n", i;
    }
    if (i % 10 == 0) printf "{\"verb\":\"list\",\"userAgent\":\"heavy-a/1.0\",\"responseStatus\":{\"code\":200},\"requestReceivedTimestamp\":\"2025-02-25T08:%02d:00Z\",\"stageTimestamp\":\"2025-02-25T08:%02d:00.250Z\"}\n", i % 60, i % 60;
    if (i % 20 == 0) print "{\"verb\":\"watch\",\"userAgent\":\"heavy-b/2.0\",\"responseStatus\":{\"code\":200}}";
    if (i % 50 == 0) print "{\"verb\":\"patch\",\"userAgent\":\"heavy-c/3.0\",\"responseStatus\":{\"code\":409}}";
    if (i % 100 == 0) print "{\"verb\":\"get\",\"userAgent\":\"heavy-d/4.0\",\"responseStatus\":{\"code\":200}}";
    if (i % 1000 == 0) print "{\"verb\":\"get\",\"userAgent\":\"heavy-e/5.0\",\"responseStatus\":{\"code\":500}}";
  }
}' > "$tmp/attack.jsonl"

run() { "$bin" top --by user_agent --top 5 -f json "$@" "$tmp/attack.jsonl" 2>"$tmp/stderr"; }
reference=$(run -j 1); code=$?
expect_eq "bounded run exits 0" 0 "$code"
expect_eq "bounded run is quiet on stderr" "" "$(cat "$tmp/stderr")"
summary=$(printf '%s' "$reference" | python3 -c '
import json, sys
d = json.load(sys.stdin)
i = d["input"]
print("lines", i["lines"], "decoded", i["decoded"], "requests", i["requests"])
for r in d["rows"]:
    print(r["key"]["user_agent"], r["requests"], r["errors"], r["watches"], r["p50_ms"])
o = d["other"]
print("other", o["requests"], o["errors"], "sum", sum(r["requests"] for r in d["rows"]) + o["requests"])
print("other groups about 300,000:", 297000 <= o["groups"] <= 303000)
print("warnings", len(i["warnings"]), i["warnings"][0][:40])
')
expect_eq "exact heavy rows, (other) holds the rest" "lines 354300 decoded 354300 requests 354300
heavy-a/1.0 30000 0 0 250
heavy-b/2.0 15000 0 15000 None
heavy-c/3.0 6000 6000 0 None
heavy-d/4.0 3000 0 0 None
heavy-e/5.0 300 300 0 None
other 300000 3296 sum 354300
other groups about 300,000: True
warnings 1 more than 100,000 distinct groups (about" "$summary"

for setting in "2 64K" "8 300"; do
  set -- $setting
  out=$(run -j "$1" --chunk-size "$2")
  if [ "$out" = "$reference" ]; then echo "ok   -j $1 --chunk-size $2 is byte-identical"; else
    echo "FAIL -j $1 --chunk-size $2 differs"; diff <(echo "$reference") <(echo "$out") | head -5; fail=1; fi
done

# Unbounded: the same rows and the same (other) metrics; only the group count is exact and
# there is no warning.
unbounded=$(run -j 2 --max-groups 0)
strip() { python3 -c '
import json, sys
d = json.load(sys.stdin)
o = dict(d["other"]); o.pop("groups", None)
print(json.dumps([d["rows"], o], sort_keys=True))'; }
expect_eq "bounded rows and (other) equal the unbounded run's" \
  "$(printf '%s' "$unbounded" | strip)" "$(printf '%s' "$reference" | strip)"
expect_eq "unbounded run has no warning" "[]" \
  "$(printf '%s' "$unbounded" | python3 -c 'import json,sys; print(json.load(sys.stdin)["input"]["warnings"])')"

# The table shows the warning too.
table=$("$bin" top --by user_agent --top 3 --max-groups 50000 "$tmp/attack.jsonl" 2>/dev/null)
expect_contains "table warns about the fold" "warning: more than 50,000 distinct groups (about" "$table"
finish
