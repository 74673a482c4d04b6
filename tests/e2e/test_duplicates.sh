#!/usr/bin/env bash
# The same event read twice (same auditID and stage) is counted once: the same file given twice,
# an AKSAudit export and a storage archive of one window, a file holding its own events twice.
# input.duplicates says how many copies were dropped, a warning names the overlapping inputs,
# --keep-duplicates counts every copy, events without an auditID are never dropped, and all of it
# is the same for any thread count and chunk size.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
audit=samples/formats/audit.jsonl
aks=samples/formats/aksaudit-az.json
storage=samples/formats/storage-PT1H.json
top=(top --by agent,verb,resource,code --top 0)

# field FIELD JSON: one member of the JSON document's "input" (lists joined by newlines).
field() {
  python3 -c 'import json,sys; v=json.loads(sys.argv[2])["input"][sys.argv[1]]; print("\n".join(v) if isinstance(v, list) else v)' "$1" "$2"
}
rows() { python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["rows"]))'; }

single=$("$bin" "${top[@]}" -f json "$audit")
twice=$("$bin" "${top[@]}" -f json "$audit" "$audit")
expect_eq "same file twice: the single file's rows" "$(echo "$single" | rows)" "$(echo "$twice" | rows)"
for member in events requests first last; do
  expect_eq "same file twice: input.$member as for the file alone" "$(field $member "$single")" "$(field $member "$twice")"
done
expect_eq "same file twice: duplicates = the file's events" "$(field events "$single")" "$(field duplicates "$twice")"
expect_eq "same file twice: lines and decoded count both copies" "332 332" "$(field lines "$twice") $(field decoded "$twice")"
expect_eq "same file twice: the warning names both inputs" \
  "$audit (input 1) and $audit (input 2) overlap: 166 events of the second were already read from the first and are counted once (--keep-duplicates counts every copy)" \
  "$(field warnings "$twice")"
expect_eq "one file: duplicates 0 and no warning" "0|" "$(field duplicates "$single")|$(field warnings "$single")"

pair=$("$bin" "${top[@]}" -f json "$aks" "$storage")
expect_eq "AKSAudit + storage archive of one window: 161 events, not 322" "161 150 161" \
  "$(field events "$pair") $(field requests "$pair") $(field duplicates "$pair")"
expect_eq "AKSAudit + storage archive: the AKSAudit file's rows" \
  "$("$bin" "${top[@]}" -f json "$aks" | rows)" "$(echo "$pair" | rows)"
expect_eq "AKSAudit + storage archive: the warning names both" \
  "$aks and $storage overlap: 161 events of the second were already read from the first and are counted once (--keep-duplicates counts every copy)" \
  "$(field warnings "$pair")"

kept=$("$bin" "${top[@]}" -f json --keep-duplicates "$aks" "$storage")
expect_eq "--keep-duplicates: the doubled counts" "322 300 0" \
  "$(field events "$kept") $(field requests "$kept") $(field duplicates "$kept")"
expect_eq "--keep-duplicates: no warning" "" "$(field warnings "$kept")"

cat "$audit" "$audit" > "$tmp/doubled.jsonl"
self=$("$bin" "${top[@]}" -f json "$tmp/doubled.jsonl")
expect_eq "a file holding its events twice: the single file's rows" "$(echo "$single" | rows)" "$(echo "$self" | rows)"
expect_eq "a file holding its events twice: the warning" \
  "$tmp/doubled.jsonl holds 166 events more than once: each is counted once" "$(field warnings "$self")"

# Events without an auditID are never de-duplicated.
grep -v '"stage":"RequestReceived"' "$audit" | head -3 | sed 's/"auditID":"[^"]*",//' > "$tmp/no-id.jsonl"
no_id=$("$bin" "${top[@]}" -f json "$tmp/no-id.jsonl" "$tmp/no-id.jsonl")
expect_eq "events without an auditID are all counted" "6 0" "$(field events "$no_id") $(field duplicates "$no_id")"

# Every format says so: the footer of table and markdown, CSV's warning on stderr.
table=$("$bin" top "$audit" "$audit")
expect_contains "table footer" "lines 332 = decoded 332 (duplicates 166) + filtered 0 + skipped 0" "$table"
expect_contains "table warning" "warning: $audit (input 1) and $audit (input 2) overlap: 166 events" "$table"
expect_contains "markdown footer" "decoded 332 (duplicates 166)" "$("$bin" top -f markdown "$audit" "$audit")"
expect_contains "csv warning on stderr" "overlap: 166 events" "$("$bin" top -f csv "$audit" "$audit" 2>&1 >/dev/null)"
for command in errors fights timeline report; do
  out=$("$bin" "$command" -f json "$aks" "$storage")
  expect_eq "$command json: input.duplicates" 161 "$(field duplicates "$out")"
done
expect_contains "report html footer" "decoded 322 (duplicates 161)" "$("$bin" report -f html "$aks" "$storage")"

# The same output for any split, warnings included (the copy in the earliest input is counted).
inputs=("$storage" "$audit" "$aks" "$audit" "$tmp/doubled.jsonl")
for command in top errors fights; do
  ref=$("$bin" "$command" --top 0 -f json -j 1 "${inputs[@]}")
  for threads in 2 8; do
    for chunk in 64 4K 1M; do
      out=$("$bin" "$command" --top 0 -f json -j "$threads" --chunk-size "$chunk" "${inputs[@]}")
      expect_eq "$command -j $threads --chunk-size $chunk: same output" "$ref" "$out"
    done
  done
done
finish
