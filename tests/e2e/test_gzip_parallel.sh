#!/usr/bin/env bash
# Gzip members are inflated on helper threads when -j > 1 (a Firehose object: a gzip member per
# record batch, gzipped again). The output must be byte-identical to -j 1 for every thread count
# and chunk size, for the Firehose object, its members without the outer layer, one gzip member
# of the same lines, and members that are cut or damaged (the same records, warning and exit code).
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 30 copies of the sample events, each copy with its own audit IDs: ~5 MB of lines, ~0.7 MB of
# gzip members, so several segments of members go to the helpers.
python3 -c '
import sys
lines = open("samples/formats/audit.jsonl").read().splitlines()
for copy in range(30):
    for line in lines:
        print(line.replace("\"auditID\":\"", "\"auditID\":\"%02d-" % copy, 1))
' > "$tmp/audit.jsonl"
python3 bench/cloudwatch_convert.py firehose < "$tmp/audit.jsonl" > "$tmp/object.gz" 2>/dev/null
gzip -dc "$tmp/object.gz" > "$tmp/members.gz"
gzip -c "$tmp/audit.jsonl" > "$tmp/single.gz"
size=$(wc -c < "$tmp/members.gz")
check "the members span many 64 KiB segments ($size bytes)" $([ "$size" -gt 600000 ]; echo $?)
head -c $((size * 2 / 3)) "$tmp/members.gz" > "$tmp/cut.gz"
python3 -c '
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = len(data) // 2
data[at] ^= 0x55; data[at + 1] ^= 0x55
open(sys.argv[2], "wb").write(data)
' "$tmp/members.gz" "$tmp/damaged.gz"

args=(top --by agent,verb,resource,code --top 0 -f json)
for name in object members single cut damaged; do
  file=$tmp/$name.gz
  ref=$("$bin" "${args[@]}" -j 1 "$file" 2>"$tmp/ref.err"); ref_rc=$?
  ref_err=$(cat "$tmp/ref.err")
  expect_contains "$name: reference run has rows" '"rows":[{' "$ref"
  for run in "2 7" "2 4K" "2 1M" "8 64" "8 1M"; do
    read -r threads chunk <<< "$run"
    {
      out=$("$bin" "${args[@]}" -j "$threads" --chunk-size "$chunk" "$file" 2>"$tmp/out.err"); rc=$?
      err=$(cat "$tmp/out.err")
      if [ "$out" = "$ref" ] && [ "$rc" = "$ref_rc" ] && [ "$err" = "$ref_err" ]; then
        echo "ok   $name -j $threads --chunk-size $chunk"
      else
        echo "FAIL $name -j $threads --chunk-size $chunk differs (exit $rc, -j 1: $ref_rc)"
        diff <(echo "$ref"; echo "$ref_err") <(echo "$out"; echo "$err") | head -6 | cut -c1-300; fail=1
      fi
    }
  done
done
# The Firehose object holds every event once; the cut members name the truncation, at any -j.
expect_contains "object: every event" "\"lines\":$((30 * 166))" "$("$bin" "${args[@]}" "$tmp/object.gz" 2>/dev/null)"
expect_contains "cut: truncation reported" "gzip data is truncated after $((size * 2 / 3)) bytes" \
  "$("$bin" "${args[@]}" -j 2 "$tmp/cut.gz" 2>&1 >/dev/null)"
finish
