#!/usr/bin/env bash
# `kubeblame report`: the JSON document parses; its top, cost, errors and fights parts equal the
# standalone commands' JSON (same rows, same other); LIST sources add up; the output is the same
# for -j 1 and -j 2 with small chunks in every format; csv is refused with exit 2; control-plane
# logs alone are enough (exit 0), an input with nothing decodable exits 1.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
inputs=(samples/incident/ samples/controlplane/akscontrolplane-az.json)

"$bin" report -f json --top 7 "${inputs[@]}" > "$tmp/report.json" 2>/dev/null
check "json: exit 0" $?
python3 -c 'import json,sys; json.load(sys.stdin)' < "$tmp/report.json"
check "json: parses" $?
"$bin" top -f json --top 7 --by agent "${inputs[@]}" > "$tmp/agents.json" 2>/dev/null
"$bin" top -f json --top 7 --by user,verb,resource "${inputs[@]}" > "$tmp/uvr.json" 2>/dev/null
"$bin" top -f json --top 7 --by agent,verb,resource --sort cost "${inputs[@]}" > "$tmp/cost.json" 2>/dev/null
"$bin" errors -f json --top 7 "${inputs[@]}" > "$tmp/errors.json" 2>/dev/null
"$bin" fights -f json --top 7 "${inputs[@]}" > "$tmp/fights.json" 2>/dev/null
result=$(python3 - "$tmp" <<'PY'
import json, sys
d = sys.argv[1]
load = lambda name: json.load(open(f"{d}/{name}.json"))
report = load("report")
problems = []
def same(what, got, want):
    if got != want:
        problems.append(f"{what} differs")
for part, name in (("top_agents", "agents"), ("top_user_verb_resource", "uvr"), ("cost", "cost")):
    standalone = load(name)
    for key in ("by", "sort", "rows", "other"):
        same(f"{part}.{key}", report[part][key], standalone[key])
errors = load("errors")
for key in ("levels", "rows", "other"):
    same(f"errors.{key}", report["errors"][key], errors[key])
fights = load("fights")
for key in ("rows", "objects_written", "writes", "excluded", "other"):
    same(f"fights.{key}", report["fights"][key], fights[key])
same("input", report["input"], errors["input"])
lists = report["list_sources"]
total = lists["total"]
same("list total = etcd + cache", total["lists"], total["etcd"] + total["cache"])
same("etcd reasons add up", sum(lists["etcd_reasons"].values()), total["etcd"])
rows_lists = sum(r["lists"] for r in lists["rows"]) + (lists["other"]["lists"] if lists["other"] else 0)
same("list rows add up", rows_lists, total["lists"])
# Every LIST request of the top-by-verb table is in the LIST sources (same counting rule).
same("list total = list requests", total["lists"], 499)
same("rows cut at --top", len(lists["rows"]) <= 7 and len(report["errors"]["rows"]) == 7, True)
print("; ".join(problems) if problems else "ok")
PY
)
expect_eq "json: parts equal the standalone commands" "ok" "$result"

for format in table markdown json html; do
  "$bin" report -f "$format" -j 1 "${inputs[@]}" > "$tmp/j1" 2>/dev/null
  "$bin" report -f "$format" -j 2 --chunk-size 4K "${inputs[@]}" > "$tmp/j2" 2>/dev/null
  cmp -s "$tmp/j1" "$tmp/j2"
  check "$format: -j 1 and -j 2 --chunk-size 4K identical" $?
done

err=$("$bin" report -f csv samples/incident/ 2>&1 >/dev/null)
expect_eq "csv: exit 2" 2 $?
expect_contains "csv: says which formats" "report supports table, markdown, json and html" "$err"

"$bin" report -f markdown samples/controlplane/akscontrolplane-az.json > "$tmp/cp.md" 2>/dev/null
expect_eq "control-plane logs only: exit 0" 0 $?
expect_contains "control-plane logs only: errors listed" "| kube-apiserver | error |" "$(cat "$tmp/cp.md")"
expect_contains "control-plane logs only: says why the audit sections are left out" \
  "- warning: no audit events in the input: only 355 control-plane log lines; audit sections omitted" "$(cat "$tmp/cp.md")"
check "control-plane logs only: no LIST section" "$(grep -c 'LIST requests' "$tmp/cp.md")"
# The APF view: the HTTP log lines in any order, from stdin too, at any -j, give the same rows;
# requests --since keeps have their line joined even when the line itself is outside the window.
anatomy=(samples/anatomy/audit.jsonl samples/anatomy/kube-apiserver.log)
apf() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps([d["apf"], d["apf_findings"], d["input"].get("apf_join")]))'; }
want=$("$bin" report -f json "${anatomy[@]}" 2>/dev/null | apf)
expect_contains "apf: the guard row" '"priority_level": "aks-managed-apiserver-guard", "flow_schema": "aks-managed-apiserver-guard"}, "requests": 104' "$want"
expect_contains "apf: one request without a line" '"requests_without_line": 1}' "$want"
got=$("$bin" report -f json -j 2 --chunk-size 4K samples/anatomy/kube-apiserver.log samples/anatomy/audit.jsonl 2>/dev/null | apf)
expect_eq "apf: log first, -j 2 --chunk-size 4K: same" "$want" "$got"
got=$("$bin" report -f json samples/anatomy/audit.jsonl - < samples/anatomy/kube-apiserver.log 2>/dev/null | apf)
expect_eq "apf: HTTP log lines on stdin: same" "$want" "$got"
got=$("$bin" report -f json - samples/anatomy/kube-apiserver.log < samples/anatomy/audit.jsonl 2>/dev/null | apf)
expect_eq "apf: audit log on stdin: same" "$want" "$got"
"$bin" report -f json "${anatomy[@]}" --since 2025-04-14T09:10:00Z > "$tmp/since.json" 2>/dev/null
window=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(r["requests"] for r in d["apf"]["rows"]), d["input"]["requests"], d["input"]["apf_join"]["http_log_lines"])' "$tmp/since.json")
expect_eq "apf --since: every kept request in a row, every line joined" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["input"]["requests"], d["input"]["requests"], 363)' "$tmp/since.json")" "$window"
stats=$("$bin" report --stats "${anatomy[@]}" 2>&1 >/dev/null | grep 'APF join')
expect_eq "apf --stats" "stats: APF join: 363 HTTP log lines, 363 audit IDs kept, 0 lines dropped at the bound, 1 request without an HTTP log line" "$stats"
none=$("$bin" report -f json samples/anatomy/audit.jsonl 2>/dev/null | apf)
expect_eq "apf: no HTTP log lines, no view, no join" "[null, [], null]" "$none"
stats=$("$bin" report --stats samples/anatomy/audit.jsonl 2>&1 >/dev/null | grep -c 'APF join')
expect_eq "apf: no join, no --stats line" 0 "$stats"

printf 'not a log\n' > "$tmp/junk.txt"
"$bin" report "$tmp/junk.txt" > /dev/null 2>&1
expect_eq "nothing decodable: exit 1" 1 $?
finish
