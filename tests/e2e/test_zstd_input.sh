#!/usr/bin/env bash
# zstd input (compressed with the zstd CLI, installed by .ci/setup): recognised by its magic bytes
# whatever the name, from a file or stdin, in several frames; the report is the uncompressed
# one but for the file name. --stats names the encoding, --progress counts compressed bytes, and
# a damaged stream fails with exit 2 and one line after the records before the damage.
source "$(dirname "$0")/lib.sh"
bin=$1
log=samples/incident/audit.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v zstd >/dev/null; then
  echo "FAIL the zstd command is missing (.ci/setup installs it)"
  exit 1
fi

# Two frames (`cat a.zst b.zst`), the second one with a content checksum; no .zst suffix.
head -n 1000 "$log" | zstd -q --no-check -c > "$tmp/audit"
tail -n +1001 "$log" | zstd -q --check -19 -c >> "$tmp/audit"

files_of() { sed 's/"input":{"files":\[[^]]*\]/"input":{"files":[]/'; }
"$bin" top --format json "$log" | files_of > "$tmp/plain.json"
"$bin" top --format json "$tmp/audit" | files_of > "$tmp/zstd.json"
cmp -s "$tmp/plain.json" "$tmp/zstd.json"; check "top --format json: same report as the plain file" $?
expect_contains "the report counts every record" '"lines":1963,"decoded":1963' "$(cat "$tmp/zstd.json")"
"$bin" top --format json - < "$tmp/audit" | files_of > "$tmp/stdin.json"
cmp -s "$tmp/plain.json" "$tmp/stdin.json"; check "zstd on stdin: same report" $?
cat "$tmp/audit" | "$bin" top --format json | files_of > "$tmp/pipe.json"
cmp -s "$tmp/plain.json" "$tmp/pipe.json"; check "zstd through a pipe: same report" $?

"$bin" top --stats "$tmp/audit" 2> "$tmp/stats.err" > /dev/null
expect_contains "--stats names the encoding" "stats: input $tmp/audit: audit-event (lines, zstd), 2.5 MB" \
  "$(cat "$tmp/stats.err")"

size=$(stat -c %s "$tmp/audit")
size_text=$(awk -v b="$size" 'BEGIN { if (b < 1000) printf "%d B", b; else printf "%.1f kB", b / 1000 }')
"$bin" top --progress "$tmp/audit" > /dev/null 2> "$tmp/progress.err"
expect_contains "--progress: compressed size as the total" "100%  $size_text of $size_text" \
  "$(cat "$tmp/progress.err")"

# Damage: a cut stream and trailing garbage. Exit 2, one line; the records before it count.
first=$(head -n 1000 "$log" | zstd -q --no-check -c | wc -c)
head -c $((first + 100)) "$tmp/audit" > "$tmp/cut.zst"
"$bin" top --format json "$tmp/cut.zst" > "$tmp/cut.json" 2> "$tmp/cut.err"; code=$?
expect_eq "cut stream: exit 2" 2 "$code"
expect_eq "cut stream: message" \
  "kubeblame: error: $tmp/cut.zst: zstd data is truncated after $((first + 100)) bytes (the data before it was read)" \
  "$(cat "$tmp/cut.err")"
expect_contains "cut stream: the first frame's records are counted" '"lines":1000,"decoded":1000' \
  "$(cat "$tmp/cut.json")"
{ cat "$tmp/audit"; printf 'trailing garbage'; } > "$tmp/trail.zst"
"$bin" top --format json "$tmp/trail.zst" > "$tmp/trail.json" 2> "$tmp/trail.err"; code=$?
expect_eq "trailing garbage: exit 2" 2 "$code"
expect_eq "trailing garbage: message" \
  "kubeblame: error: $tmp/trail.zst: unreadable zstd data at byte $size (not a zstd frame after the end of the previous one; the data before it was read)" \
  "$(cat "$tmp/trail.err")"
expect_contains "trailing garbage: every record is counted" '"lines":1963,"decoded":1963' \
  "$(cat "$tmp/trail.json")"
finish
