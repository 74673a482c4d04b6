#!/usr/bin/env bash
# --since/--until/--where end to end, with exact counts. The expected numbers come from
# tests/e2e/filters_expected.py, which reads the samples with Python's json module and applies
# the rules of docs/counting.md itself (no kubeblame code); its output lines are quoted next to each check.
source "$(dirname "$0")/lib.sh"
bin=$1
in=samples/incident/audit.log
cp_log=samples/controlplane/kube-apiserver.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "decoded requests filtered first last" of a JSON report, and whether lines = decoded + filtered
# + skipped holds in it.
summary() {
  python3 -c '
import json, sys
i = json.load(sys.stdin)["input"]
balanced = i["lines"] == i["decoded"] + i["filtered"] + sum(i["skipped"].values())
print(i["decoded"], i["requests"], i["filtered"], i["first"], i["last"], "balanced" if balanced else "UNBALANCED")'
}
top() { "$bin" top -f json "$@" 2>/dev/null | summary; }

# --- time window, absolute ---------------------------------------------------------------
# all 1963 1790 0 2025-02-25T08:52:24.876 2025-02-25T10:59:50.311
expect_eq "no filter" "1963 1790 0 2025-02-25T08:52:24.876Z 2025-02-25T10:59:50.311Z balanced" "$(top "$in")"
# since-abs 908 831 1055 10:00:00.407 10:59:50.311
expect_eq "--since absolute" "908 831 1055 2025-02-25T10:00:00.407Z 2025-02-25T10:59:50.311Z balanced" \
  "$(top --since 2025-02-25T10:00:00Z "$in")"
# until-abs 1055 959 908 08:52:24.876 09:59:57.993 (the complement: the window is half-open)
expect_eq "--until absolute" "1055 959 908 2025-02-25T08:52:24.876Z 2025-02-25T09:59:57.993Z balanced" \
  "$(top --until 2025-02-25T10:00:00Z "$in")"
# window-offset 778 710 1185 09:30:00.238 10:15:00.264
expect_eq "--since with an offset, --until with a fraction" \
  "778 710 1185 2025-02-25T09:30:00.238Z 2025-02-25T10:15:00.264Z balanced" \
  "$(top --since 2025-02-25T10:30:00+01:00 --until 2025-02-25T10:15:00.5Z "$in")"

# --- time window, relative to the last record (10:59:50.311) ------------------------------
# since-30m 404 372 1559 10:29:56.115 10:59:50.311
want="404 372 1559 2025-02-25T10:29:56.115Z 2025-02-25T10:59:50.311Z balanced"
expect_eq "--since 30m" "$want" "$(top --since 30m "$in")"
expect_eq "--since 30m on stdin" "$want" "$(TMPDIR=$tmp "$bin" top -f json --since 30m < "$in" 2>/dev/null | summary)"
expect_eq "--since 30m from a pipe" "$want" "$(cat "$in" | TMPDIR=$tmp "$bin" top -f json --since 30m 2>/dev/null | summary)"
expect_eq "the stdin spool is gone afterwards" "" "$(ls -A "$tmp")"
got=$(TMPDIR=$tmp/missing "$bin" top --since 30m < "$in" 2>&1 >/dev/null)
expect_eq "no place to spool stdin: exit 2" "2" "$(TMPDIR=$tmp/missing "$bin" top --since 30m < "$in" >/dev/null 2>&1; echo $?)"
expect_eq "no place to spool stdin: the message" \
  "kubeblame: error: cannot create a temporary file to spool stdin in $tmp/missing: No such file or directory" "$got"
a=$("$bin" top --by agent,verb -f json --since 30m "$in" 2>/dev/null | sed 's/"files":\[[^]]*\]//')
b=$(cat "$in" | TMPDIR=$tmp "$bin" top --by agent,verb -f json --since 30m 2>/dev/null | sed 's/"files":\[[^]]*\]//')
expect_eq "relative on stdin: the same report as on the file" "$a" "$b"
gz=samples/incident/audit-2025-02-25T08.log.gz
expect_eq "relative on gzipped stdin: the same rows as on the file" \
  "$("$bin" top -f csv --since 20m "$gz" 2>/dev/null)" "$(TMPDIR=$tmp "$bin" top -f csv --since 20m < "$gz" 2>/dev/null)"
expect_contains "stdin is named - in the report" '"files":["-"]' \
  "$(cat "$in" | TMPDIR=$tmp "$bin" top -f json --since 30m 2>/dev/null)"
# until-1h30m 521 472 1442 08:52:24.876 09:29:50.215
expect_eq "--until 1h30m" "521 472 1442 2025-02-25T08:52:24.876Z 2025-02-25T09:29:50.215Z balanced" \
  "$(top --until 1h30m "$in")"
# since-1h-until-15m 770 700 1193 09:59:50.489 10:44:44
expect_eq "--since 1h --until 15m" "770 700 1193 2025-02-25T09:59:50.489Z 2025-02-25T10:44:44Z balanced" \
  "$(top --since 1h --until 15m "$in")"
expect_eq "relative, -j1 and 4K chunks: the same" "$(top --since 1h --until 15m "$in")" \
  "$(top --since 1h --until 15m -j 1 --chunk-size 4K "$in")"
expect_eq "--since 60m = --since 1h = --since 3600s" "$(top --since 1h "$in")" "$(top --since 3600s "$in")"

# --- --where, each operator ----------------------------------------------------------------
# verb=list 455 455 1508 09:00:07.336 10:58:32.166
expect_eq "--where verb=list" "455 455 1508 2025-02-25T09:00:07.336Z 2025-02-25T10:58:32.166Z balanced" \
  "$(top --where verb=list "$in")"
# agent!=kubelet 1182 1009 781 08:52:24.876 10:58:32.166
expect_eq "--where agent!=kubelet" "1182 1009 781 2025-02-25T08:52:24.876Z 2025-02-25T10:58:32.166Z balanced" \
  "$(top --where 'agent!=kubelet' "$in")"
# namespace~kube-* 720 720 1243 09:00:00.179 10:59:50.311
expect_eq "--where namespace~kube-*" "720 720 1243 2025-02-25T09:00:00.179Z 2025-02-25T10:59:50.311Z balanced" \
  "$(top --where 'namespace~kube-*' "$in")"
# user!~system:* 7 7 1956 10:38:04 10:46:04
expect_eq "--where user!~system:*" "7 7 1956 2025-02-25T10:38:04Z 2025-02-25T10:46:04Z balanced" \
  "$(top --where 'user!~system:*' "$in")"
# namespace=(cluster) 291 277 1672 08:59:34.786 10:56:00.608
expect_eq "--where namespace=(cluster)" "291 277 1672 2025-02-25T08:59:34.786Z 2025-02-25T10:56:00.608Z balanced" \
  "$(top --where 'namespace=(cluster)' "$in")"
# code>=400 595 511 1368 09:00:07.336 10:57:15.930
expect_eq "--where code>=400" "595 511 1368 2025-02-25T09:00:07.336Z 2025-02-25T10:57:15.930Z balanced" \
  "$(top --where 'code>=400' "$in")"
# code<=409 1386 1297 577 08:52:24.876 10:59:50.311
expect_eq "--where code<=409" "1386 1297 577 2025-02-25T08:52:24.876Z 2025-02-25T10:59:50.311Z balanced" \
  "$(top --where 'code<=409' "$in")"
# code>409 577 493 1386 09:00:07.336 10:45:29.551
expect_eq "--where code>409" "577 493 1386 2025-02-25T09:00:07.336Z 2025-02-25T10:45:29.551Z balanced" \
  "$(top --where 'code>409' "$in")"
# code<300 1368 1279 595 08:52:24.876 10:59:50.311
expect_eq "--where code<300" "1368 1279 595 2025-02-25T08:52:24.876Z 2025-02-25T10:59:50.311Z balanced" \
  "$(top --where 'code<300' "$in")"
# verb=list+agent=dapr-operator 149 149 1814 09:04:15.535 10:46:30.091
expect_eq "--where repeated (AND)" "149 149 1814 2025-02-25T09:04:15.535Z 2025-02-25T10:46:30.091Z balanced" \
  "$(top --where verb=list --where agent=dapr-operator "$in")"
# code>=400+since-abs 245 208 1718 10:00:02.791 10:57:15.930
expect_eq "--where with --since" "245 208 1718 2025-02-25T10:00:02.791Z 2025-02-25T10:57:15.930Z balanced" \
  "$(top --where 'code>=400' --since 2025-02-25T10:00:00Z "$in")"
# user~*alice* 7 7 1956 10:38:04 10:46:04: filters see the names before --redact hashes them
expect_eq "--where on a raw name under --redact" "7 7 1956 2025-02-25T10:38:04Z 2025-02-25T10:46:04Z balanced" \
  "$(top --where 'user~*alice*' --redact-key k "$in")"
rows=$("$bin" top --by verb -f csv --top 0 --where verb=list --where agent=dapr-operator "$in" 2>/dev/null | cut -d, -f1,2)
expect_eq "only the matching group reaches the table" "verb,requests
list,149" "$rows"

# --- every command filters the same way ---------------------------------------------------
for command in errors fights report timeline; do
  expect_eq "$command --where code>=400 --since" \
    "245 208 1718 2025-02-25T10:00:02.791Z 2025-02-25T10:57:15.930Z balanced" \
    "$("$bin" "$command" -f json --where 'code>=400' --since 2025-02-25T10:00:00Z "$in" 2>/dev/null | summary)"
done

# --- accounting with skipped lines ----------------------------------------------------------
# damaged-verb=get 19 of 32; the sample has 39 lines, 7 of them skipped (see samples/damaged)
expect_eq "lines = decoded + filtered + skipped with skips" "19 19 13 balanced" \
  "$("$bin" top -f json --where verb=get samples/damaged/audit-damaged.jsonl 2>/dev/null | summary | cut -d' ' -f1-3,6)"

# --- control-plane log lines ----------------------------------------------------------------
# log-since-2025 150 155 2025-01-01T00:00:07.704993 2025-01-01T00:24:59.750
expect_eq "errors --since on log lines" "150 0 155 2025-01-01T00:00:07.704993Z 2025-01-01T00:24:59.750Z balanced" \
  "$("$bin" errors -f json --since 2025-01-01T00:00:00Z "$cp_log" 2>/dev/null | summary)"
err=$("$bin" errors --where verb=get "$cp_log" 2>&1 >/dev/null)
expect_eq "--where filters every log line: exit 1" "1" "$("$bin" errors --where verb=get "$cp_log" >/dev/null 2>&1; echo $?)"
expect_eq "--where filters every log line: the message" \
  "kubeblame: warning: no audit events or control-plane log lines left after the filters: 305 of 305 records filtered out by --since/--until/--where" \
  "$err"
# 1368 events with code < 400 (see code>=400 above) and the 305 log lines are filtered.
expect_eq "report --where on audit and log input" "595 511 1673" \
  "$("$bin" report -f json --where 'code>=400' "$in" "$cp_log" 2>/dev/null | summary | cut -d' ' -f1-3)"

# --- nothing left, bad values ---------------------------------------------------------------
expect_eq "a filter that keeps nothing: exit 1" "1" "$("$bin" --where verb=nothing "$in" >/dev/null 2>&1; echo $?)"
expect_eq "a filter that keeps nothing: the message" \
  "kubeblame: warning: no audit events left after the filters: 1,963 of 1,963 records filtered out by --since/--until/--where" \
  "$("$bin" --where verb=nothing "$in" 2>&1 >/dev/null)"
expect_contains "a filter that keeps nothing: the footer" "lines 1,963 = decoded 0 + filtered 1,963 + skipped 0" \
  "$("$bin" --where verb=nothing "$in" 2>/dev/null)"
bad() {  # bad NAME EXPECTED-STDERR ARGS...
  local name=$1 want=$2
  shift 2
  local got code
  got=$("$bin" "$@" "$in" 2>&1 >/dev/null)
  code=$?
  expect_eq "$name: exit 2" "2" "$code"
  expect_eq "$name: message" "$want" "$got"
}
bad "--since without a unit" \
  "kubeblame: invalid --since '90': expected an RFC 3339 time (2024-06-30T19:00:00Z, 2024-06-30T21:00:00.5+02:00) or a duration before the input's last record (45s, 90m, 2h, 1d, 1h30m)" \
  --since 90
bad "--where unknown operator" \
  "kubeblame: --where 'code=>400': unknown operator '=>'; valid: =, !=, ~, !~ (and >=, <=, >, < on code)" \
  --where 'code=>400'
bad "--since after --until" \
  "kubeblame: error: --since '1h' (2025-02-25T09:59:50.311Z) is not before --until '2h' (2025-02-25T08:59:50.311Z): no record can match" \
  --since 1h --until 2h
bad "--since after --until, absolute" \
  "kubeblame: error: --since '2025-02-25T10:00:00Z' (2025-02-25T10:00:00Z) is not before --until '2025-02-25T09:00:00Z' (2025-02-25T09:00:00Z): no record can match" \
  --since 2025-02-25T10:00:00Z --until 2025-02-25T09:00:00Z
# The filters in force are part of every document: the summary line, the JSON input member, the
# report's HTML facts; without filters none of them mentions filters.
want='since 2025-02-25T10:00:00Z · where code>=400 · where namespace~dapr-*'
args=(--since 2025-02-25T10:00:00Z --where 'code>=400' --where 'namespace~dapr-*')
expect_contains "filters line (table)" "filters: $want" "$("$bin" top "${args[@]}" "$in" 2>/dev/null)"
expect_contains "filters line (markdown report)" "filters: since 2025-02-25T10:00:00Z" \
  "$("$bin" report -f markdown "${args[@]}" "$in" 2>/dev/null)"
expect_eq "filters member (json)" \
  '["since 2025-02-25T10:00:00Z","where code>=400","where namespace~dapr-*"]' \
  "$("$bin" errors -f json "${args[@]}" "$in" 2>/dev/null | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["input"]["filters"], separators=(",", ":")))')"
expect_contains "filters fact (html)" "<dt>filters</dt><dd>since 2025-02-25T10:00:00Z · where code&gt;=400 · where namespace~dapr-*</dd>" \
  "$("$bin" report -f html "${args[@]}" "$in" 2>/dev/null)"
"$bin" top "$in" 2>/dev/null | grep -q '^filters:'
check "no filters: no filters line" $((! $?))
"$bin" top -f json "$in" 2>/dev/null | grep -q '"filters"'
check "no filters: no filters member" $((! $?))
finish
