#!/bin/bash
# kubeblame diff end to end: AFTER is the incident sample without ArgoCD's patch and update
# events (made here with python3), so the diff must show exactly those writes gone, every other
# group unchanged, and the total down by exactly their count. Also: a file against itself,
# stdin on one side, -j, --redact on both sides, and the exit codes (1 names the empty side).
source "$(dirname "$0")/lib.sh"
bin=$1
before=samples/incident/audit.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$before" "$tmp/after.log" <<'EOF'
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in src:
        event = json.loads(line)
        argocd = event.get("userAgent", "").startswith("argocd-application-controller/")
        if argocd and event.get("verb") in ("patch", "update"):
            continue
        out.write(line)
EOF
check "made AFTER without ArgoCD's writes" $?

# What top counts for ArgoCD's writes in BEFORE: the exact numbers the diff must show gone.
"$bin" top --by agent,verb --top 0 -f json --where agent=argocd-application-controller "$before" > "$tmp/top.json"
"$bin" diff --by agent,verb --top 0 -f json "$before" "$tmp/after.log" > "$tmp/diff.json"
check "diff exits 0" $?
python3 - "$tmp/top.json" "$tmp/diff.json" <<'EOF'
import json, sys
top = json.load(open(sys.argv[1]))
diff = json.load(open(sys.argv[2]))
writes = {r["key"]["verb"]: r["requests"] for r in top["rows"] if r["key"]["verb"] in ("patch", "update")}
assert writes.get("patch", 0) > 0 and writes.get("update", 0) > 0, writes
rows = {(r["key"]["agent"], r["key"]["verb"]): r for r in diff["rows"]}
for verb, count in writes.items():
    row = rows[("argocd-application-controller", verb)]
    assert row["status"] == "gone", row
    assert row["before"]["requests"] == count and row["after"]["requests"] == 0, row
    assert row["change"]["requests"] == -count and row["change"]["rate_pct"] == -100, row
others = [r for k, r in rows.items() if not (k[0] == "argocd-application-controller" and k[1] in writes)]
assert others and all(r["status"] == "both" and r["change"]["requests"] == 0 for r in others), others
total = diff["total"]["change"]["requests"]
assert total == -sum(writes.values()), (total, writes)
assert diff["input"]["before"]["requests"] - diff["input"]["after"]["requests"] == sum(writes.values())
assert diff["other"] is None and diff["command"] == "diff" and diff["by"] == ["agent", "verb"]
print("argocd writes gone: %s, total change %d" % (writes, total))
EOF
check "exactly ArgoCD's writes are gone, the rest unchanged, the total down by their count" $?

# By agent: ArgoCD stays (its reads remain), reduced by exactly the writes.
"$bin" diff -f csv "$before" "$tmp/after.log" > "$tmp/diff.csv"
writes=$(python3 -c 'import json,sys; print(sum(r["requests"] for r in json.load(open(sys.argv[1]))["rows"] if r["key"]["verb"] in ("patch","update")))' "$tmp/top.json")
argocd=$(grep '^argocd-application-controller,' "$tmp/diff.csv")
before_n=$(echo "$argocd" | cut -d, -f3)
after_n=$(echo "$argocd" | cut -d, -f4)
expect_eq "by agent: ArgoCD is still there (status both)" "both" "$(echo "$argocd" | cut -d, -f2)"
expect_eq "by agent: ArgoCD's requests fall by exactly its writes" "$writes" "$((before_n - after_n))"
expect_eq "csv: one header, then a row per group, (other) absent, (total) last" "(total)" \
  "$(tail -1 "$tmp/diff.csv" | cut -d, -f1)"

# The same input on both sides: nothing changes.
"$bin" diff -f json "$before" "$before" > "$tmp/same.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert all(r["status"] == "both" and r["change"]["requests"] == 0 and r["change"]["rate_pct"] == 0 for r in d["rows"]), d["rows"]
assert d["total"]["change"]["rate_per_s"] == 0 and d["input"]["before"]["span_s"] == d["input"]["after"]["span_s"]
' "$tmp/same.json"
check "a file against itself: every change 0" $?
"$bin" diff "$before" "$before" | grep -q '^load unchanged (0.234/s → 0.234/s)'
check "a file against itself: load unchanged" $?

# stdin on one side reads like the file; -j does not change a byte.
cat "$tmp/after.log" | "$bin" diff -f json "$before" - > "$tmp/stdin.json"
expect_eq "AFTER from stdin: same rows and total as the file" \
  "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["rows"], d["total"])' "$tmp/diff.json" 2>/dev/null | md5sum)" \
  "$("$bin" diff --by agent,verb --top 0 -f json "$before" - < "$tmp/after.log" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["rows"], d["total"])' | md5sum)"
expect_eq "stdin is named - in input.after.path" '"-"' \
  "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["input"]["after"]["path"]))' "$tmp/stdin.json")"
"$bin" diff -j 1 --by user,verb samples/incident/ "$tmp/after.log" > "$tmp/j1.txt"
"$bin" diff -j 2 --chunk-size 64K --by user,verb samples/incident/ "$tmp/after.log" > "$tmp/j2.txt"
cmp -s "$tmp/j1.txt" "$tmp/j2.txt"; check "-j 1 and -j 2 with small chunks print the same bytes" $?

# --redact hashes names with one key for both sides: every user is on both sides of a self-diff.
out=$("$bin" diff --redact --by user -f csv "$before" "$before")
expect_eq "--redact: no user looks new or gone" "" "$(echo "$out" | grep -E ',(new|gone),')"
echo "$out" | grep -q '^user-'; check "--redact: users are hashed" $?

# Exit codes: 2 for stdin on both sides or a missing side, 1 (naming the side) for no events.
"$bin" diff - - < /dev/null > /dev/null 2> "$tmp/err"; code=$?
expect_eq "stdin on both sides: exit 2" 2 "$code"
expect_contains "stdin on both sides: says so" "stdin on one side at most" "$(cat "$tmp/err")"
"$bin" diff "$before" "$tmp/missing.log" > /dev/null 2> "$tmp/err"; code=$?
expect_eq "a missing AFTER: exit 2" 2 "$code"
: > "$tmp/empty.log"
"$bin" diff "$before" "$tmp/empty.log" > /dev/null 2> "$tmp/err"; code=$?
expect_eq "AFTER without events: exit 1" 1 "$code"
expect_contains "AFTER without events: the message names AFTER" "no audit events found in AFTER ($tmp/empty.log)" "$(cat "$tmp/err")"
"$bin" diff "$tmp/empty.log" "$before" > /dev/null 2> "$tmp/err"; code=$?
expect_eq "BEFORE without events: exit 1" 1 "$code"
expect_contains "BEFORE without events: the message names BEFORE" "no audit events found in BEFORE" "$(cat "$tmp/err")"
"$bin" diff "$before" > /dev/null 2>&1; code=$?
expect_eq "one input only: exit 2" 2 "$code"
finish
