#!/usr/bin/env bash
# `kubeblame timeline`: the JSON parses and adds up (series + other = total in every bucket, the
# total is every counted request, per-agent totals equal `top --by agent`), CSV carries the same
# counts, the report's timeline part equals the standalone command, and usage errors (a bad
# --interval, one that makes too many buckets) exit 2 with a clear message.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=(samples/incident/ samples/formats/audit.jsonl)

"$bin" timeline -f json --top 3 "${inputs[@]}" > "$tmp/timeline.json" 2>/dev/null
check "json: exit 0" $?
"$bin" top -f json --top 0 --by agent "${inputs[@]}" > "$tmp/top.json" 2>/dev/null
"$bin" timeline -f csv --top 3 "${inputs[@]}" > "$tmp/timeline.csv" 2>/dev/null
"$bin" report -f json --top 3 "${inputs[@]}" > "$tmp/report.json" 2>/dev/null
result=$(python3 - "$tmp" <<'PY'
import csv, json, sys
d = sys.argv[1]
t = json.load(open(f"{d}/timeline.json"))
top = json.load(open(f"{d}/top.json"))
report = json.load(open(f"{d}/report.json"))
problems = []
def same(what, got, want):
    if got != want:
        problems.append(f"{what}: {got} != {want}")
n = t["buckets"]
same("interval (2h19m span: 5m)", (t["interval_s"], t["interval_auto"], n), (300, True, 28))
same("start", (t["start"], t["end"]), ("2025-02-25T08:40:00Z", "2025-02-25T11:00:00Z"))
same("series", len(t["series"]), 3)
for b in range(n):
    s = sum(x["counts"][b] for x in t["series"]) + t["other"]["counts"][b]
    same(f"bucket {b} adds up", s, t["total"]["counts"][b])
    e = sum(x["error_counts"][b] for x in t["series"]) + t["other"]["error_counts"][b]
    same(f"bucket {b} errors add up", e, t["total"]["error_counts"][b])
same("total = requests", t["total"]["requests"] + t["untimed"], t["input"]["requests"])
same("total = sum of counts", sum(t["total"]["counts"]), t["total"]["requests"])
by_agent = {r["key"]["agent"]: (r["requests"], r["errors"]) for r in top["rows"]}
for x in t["series"]:
    same(f"agent {x['key']['agent']}", (x["requests"], x["errors"]), by_agent[x["key"]["agent"]])
same("other groups", t["other"]["groups"], len(by_agent) - 3)
rows = list(csv.reader(open(f"{d}/timeline.csv", newline="")))
same("csv header", rows[0], ["time", "agent", "requests", "errors"])
csv_total = sum(int(r[2]) for r in rows[1:])
same("csv total", csv_total, t["total"]["requests"])
kubelet = [int(r[2]) for r in rows[1:] if r[1] == "kubelet"]
same("csv kubelet", kubelet, [c for c in t["series"][0]["counts"] if c > 0])
part = report["timeline"]
for key in ("by", "top", "interval_s", "interval_auto", "start", "end", "buckets", "series", "other", "total", "untimed"):
    same(f"report timeline {key}", part[key], t[key])
print("; ".join(problems) if problems else "ok")
PY
)
expect_eq "json, csv and report add up" "ok" "$result"

err=$("$bin" timeline --interval 1s samples/incident/audit.log samples/fights/fight-without-bodies.jsonl 2>&1 >/dev/null)
check "too many buckets: exit 2" $([ $? -eq 2 ]; echo $?)
expect_contains "too many buckets: message" "--interval 1s makes 1,138,053 buckets over the input's span (2025-02-25T08:52:24.876Z to 2025-03-10T12:59:56.119Z); at most 100,000 are allowed" "$err"
expect_contains "too many buckets: what to do" "use --interval 30s or longer, or leave --interval out to choose one" "$err"
err=$("$bin" timeline --interval 1w samples/incident/audit.log 2>&1 >/dev/null)
check "bad --interval: exit 2" $([ $? -eq 2 ]; echo $?)
expect_eq "bad --interval: message" "kubeblame: invalid --interval '1w' (examples: 30s, 1m, 5m, 1h, 1d; from 1s to 36500d)" "$err"
out=$("$bin" timeline --by agent,verb --interval 1d samples/incident/audit.log 2>/dev/null)
expect_contains "explicit interval: one bucket" "timeline by agent,verb · interval 1d · 2025-02-25 00:00:00Z → 2025-02-26 00:00:00Z · 1 bucket" "$out"
help=$("$bin" timeline --help 2>&1)
expect_contains "help: examples" "kubeblame timeline --by agent,verb --interval 1m --top 5 audit.log" "$help"
expect_contains "help: --interval" "--interval" "$help"
# Past the group bound (--max-groups / 5 for the timeline) the heavy groups stay exact and the
# result is the same for any split.
mg_ref=$("$bin" timeline --by name --max-groups 50 --top 3 -f json -j 1 samples/incident/ 2>/dev/null)
expect_contains "max-groups: warning" 'timeline: more than 10 distinct groups (about 32): to bound memory only groups with more than 404 requests are ranked' "$mg_ref"
expect_contains "max-groups: heavy group exact" '"key":{"name":"(all)"},"requests":698,"errors":536' "$mg_ref"
for split in "-j 2 --chunk-size 4K" "-j 8 --chunk-size 64K"; do
  out=$("$bin" timeline --by name --max-groups 50 --top 3 -f json $split samples/incident/ 2>/dev/null)
  expect_eq "max-groups: same for $split" "$mg_ref" "$out"
done
# Hostile user agents: no control character reaches the terminal or markdown, CSV cells starting
# with a formula character are defused, JSON parses and keeps the text.
python3 - "$tmp/hostile.jsonl" <<'PY'
import json, sys
agents = ["=HYPERLINK(\"http://x\")/1", "\x1b[2J\x1b]0;pwned\x07evil/2", "a|b`c/3", "\u202etxt.exe/4"]
with open(sys.argv[1], "w") as f:
    for i, agent in enumerate(agents * 3):
        f.write(json.dumps({"kind": "Event", "apiVersion": "audit.k8s.io/v1", "stage": "ResponseComplete",
                            "auditID": str(i), "verb": "get", "requestURI": "/api/v1/pods", "userAgent": agent,
                            "user": {"username": "u"}, "responseStatus": {"code": 200},
                            "requestReceivedTimestamp": "2025-02-25T08:00:%02dZ" % i}) + "\n")
PY
for format in table markdown; do
  out=$("$bin" timeline -f "$format" "$tmp/hostile.jsonl" 2>/dev/null)
  check "hostile: $format has no control characters" $(printf '%s' "$out" | LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' && echo 1 || echo 0)
  check "hostile: $format has no bidi override" $(printf '%s' "$out" | grep -q $'\u202e' && echo 1 || echo 0)
done
csv=$("$bin" timeline -f csv "$tmp/hostile.jsonl" 2>/dev/null)
expect_contains "hostile: csv formula defused" ",\"'=HYPERLINK(\"\"http:" "$csv"
json=$("$bin" timeline -f json "$tmp/hostile.jsonl" 2>/dev/null)
agents=$(printf '%s' "$json" | python3 -c 'import json,sys; print(sorted(s["key"]["agent"] for s in json.load(sys.stdin)["series"]))')
expect_eq "hostile: json keeps the text" "['\x1b[2J\x1b]0;pwned\x07evil', '=HYPERLINK(\"http:', 'a|b\`c', '\u202etxt.exe']" "$agents"
"$bin" timeline samples/controlplane/kube-apiserver.log > /dev/null 2>&1
expect_eq "control-plane logs only: exit 1" 1 $?
finish
