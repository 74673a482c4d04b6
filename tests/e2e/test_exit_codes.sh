#!/usr/bin/env bash
# Exit codes and one-line error messages for every failure path (docs/manual.md, "Exit codes"):
# each case checks the exit status and the whole of stderr, which must be exactly one line.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
event='{"kind":"Event","verb":"get","stage":"ResponseComplete","userAgent":"kubectl/v1.30","responseStatus":{"code":200}}'
echo "$event" > "$tmp/ok.log"

# expect_failure NAME CODE MESSAGE COMMAND...: the exit status and stderr, exactly.
expect_failure() {
  local name=$1 code=$2 message=$3; shift 3
  "$@" >"$tmp/stdout" 2>"$tmp/stderr"; local status=$?
  expect_eq "$name: exit $code" "$code" "$status"
  expect_eq "$name: message" "$message" "$(cat "$tmp/stderr")"
  expect_eq "$name: one line on stderr" 1 "$(wc -l < "$tmp/stderr")"
}

# Usage errors (2).
expect_failure "missing file" 2 "kubeblame: error: $tmp/missing.log: No such file or directory" \
  "$bin" top "$tmp/ok.log" "$tmp/missing.log"
dimensions=$("$bin" top --help | sed -n 's/.*--by DIMS=agent *Comma-separated dimensions: //p')
expect_contains "help lists the dimensions" "agent, user_agent, user," "$dimensions"
expect_failure "unknown --by name lists the valid ones" 2 \
  "kubeblame: unknown dimension 'flavour' in --by; valid: $dimensions" \
  "$bin" top --by agent,flavour "$tmp/ok.log"
expect_failure "unknown --sort" 2 "kubeblame: unknown --sort 'speed'; valid: requests, cost, errors, p99" \
  "$bin" top --sort speed "$tmp/ok.log"
expect_failure "unknown --format" 2 "kubeblame: unknown --format 'xml'; valid: table, markdown, json, csv" \
  "$bin" top -f xml "$tmp/ok.log"
expect_failure "unknown flag" 2 \
  "kubeblame: The following argument was not expected: --no-such-flag (see kubeblame --help)" \
  "$bin" top --no-such-flag "$tmp/ok.log"
expect_failure "bad size" 2 "kubeblame: invalid size '12Q' (examples: 65536, 256K, 64M, 1G)" \
  "$bin" top --max-line-size 12Q "$tmp/ok.log"
expect_failure "negative --max-groups" 2 \
  "kubeblame: --max-groups takes a number of groups (0 = unlimited), not '-5'" \
  "$bin" top --max-groups -5 "$tmp/ok.log"

# No events (1): a warning, not an error.
: > "$tmp/empty.log"
expect_failure "no events" 1 "kubeblame: warning: no audit events found in the input" \
  "$bin" top "$tmp/empty.log"

# I/O errors (2): damaged gzip. The records before the damage are still counted and reported.
printf 'not gzip at all' | gzip -c | head -c 20 > "$tmp/cut.gz"
expect_failure "truncated gzip" 2 \
  "kubeblame: error: $tmp/cut.gz: gzip data is truncated after 20 bytes (the data before it was read)" \
  "$bin" top "$tmp/cut.gz"
printf '\x1f\x8bgarbage-garbage-garbage' > "$tmp/bad.gz"
# The engines stop at different points of the bad header: ISA-L (default) after the 10-byte
# header, zlib (KUBEBLAME_GZIP=zlib) after 4 bytes.
expect_failure "corrupt gzip" 2 \
  "kubeblame: error: $tmp/bad.gz: unreadable gzip data at byte 10 (unknown compression method; the data before it was read)" \
  "$bin" top "$tmp/bad.gz"
expect_failure "corrupt gzip (zlib)" 2 \
  "kubeblame: error: $tmp/bad.gz: unreadable gzip data at byte 4 (unknown compression method; the data before it was read)" \
  env KUBEBLAME_GZIP=zlib "$bin" top "$tmp/bad.gz"
gzip -c "$tmp/ok.log" > "$tmp/trail.gz"
size=$(wc -c < "$tmp/trail.gz")
printf 'trailing garbage' >> "$tmp/trail.gz"
expect_failure "gzip followed by garbage" 2 \
  "kubeblame: error: $tmp/trail.gz: unreadable gzip data at byte $size (not a gzip member after the end of the previous one; the data before it was read)" \
  "$bin" top -f csv "$tmp/trail.gz" "$tmp/ok.log"
expect_contains "the records before the damage and the next input are counted" "kubectl,2," "$(cat "$tmp/stdout")"
expect_contains "the report warns about the input error" '"warnings":["input error: ' \
  "$("$bin" top -f json "$tmp/trail.gz" 2>/dev/null)"
{ gzip -c "$tmp/ok.log"; head -c 1000 /dev/zero; } > "$tmp/padded.gz"
"$bin" top -f csv "$tmp/padded.gz" >"$tmp/stdout" 2>"$tmp/stderr"; code=$?
expect_eq "zero padding after gzip is not an error" "0:" "$code:$(cat "$tmp/stderr")"

# Permission denied (2): root reads everything, so drop to an unprivileged user when root.
mkdir -p "$tmp/logs/sub"
echo "$event" > "$tmp/logs/sub/a.log"
echo "$event" > "$tmp/secret.log"
chmod 000 "$tmp/secret.log"
chmod 755 "$tmp"
as_user=()
if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
  expect_failure "unreadable file" 2 "kubeblame: error: $tmp/secret.log: Permission denied" \
    "${as_user[@]}" "$bin" top "$tmp/secret.log"
  chmod 000 "$tmp/logs/sub"
  expect_failure "unreadable subdirectory is not skipped silently" 2 \
    "kubeblame: error: $tmp/logs/sub: Permission denied" "${as_user[@]}" "$bin" top "$tmp/logs"
  chmod 755 "$tmp/logs/sub"
  chmod 000 "$tmp/logs/sub/a.log"
  expect_failure "unreadable file inside a directory" 2 \
    "kubeblame: error: $tmp/logs/sub/a.log: Permission denied" "${as_user[@]}" "$bin" top "$tmp/logs"
  chmod 644 "$tmp/logs/sub/a.log"
  chmod 000 "$tmp/logs"
  expect_failure "unreadable directory" 2 "kubeblame: error: $tmp/logs: Permission denied" \
    "${as_user[@]}" "$bin" top "$tmp/logs"
  chmod 755 "$tmp/logs"
else
  echo "skip permission denied: running as root without setpriv, so permissions do not apply"
fi

# Output that cannot be written (2).
if [ -w /dev/full ]; then
  "$bin" top "$tmp/ok.log" > /dev/full 2>"$tmp/stderr"; code=$?
  expect_eq "full disk: exit 2" 2 "$code"
  expect_eq "full disk: message" \
    "kubeblame: error: cannot write the report to stdout: No space left on device" "$(cat "$tmp/stderr")"
fi

# --strict: any skipped record is fatal (exit 3) with the reasons on stderr.
printf '%s\n' "$event" '{"kind":"Event","verb":"get","sta' > "$tmp/partial.log"
"$bin" top "$tmp/partial.log" >/dev/null 2>&1; code=$?
expect_eq "skips without --strict exit 0" 0 "$code"
expect_failure "--strict with skips" 3 \
  "kubeblame: error: --strict: 1 of 2 records skipped (truncated 1); first at $tmp/partial.log:2: truncated" \
  "$bin" top --strict "$tmp/partial.log"
# Blank lines are counted (lines = wc -l) and reported, but a trailing empty line or a blank
# line between events is not bad data: --strict does not fail on them alone.
printf '%s\n' "$event" '' "$event" '   ' '' > "$tmp/blank.log"
"$bin" top --strict -f json "$tmp/blank.log" >"$tmp/stdout" 2>"$tmp/stderr"; code=$?
expect_eq "--strict with blank lines only: exit 0, nothing on stderr" "0:" "$code:$(cat "$tmp/stderr")"
expect_contains "blank lines are counted as skipped" \
  '"lines":5,"decoded":2,"events":2,"log_lines":0,"requests":2,"filtered":0,"duplicates":0,"skipped":{"blank":3}' \
  "$(cat "$tmp/stdout")"
expect_eq "lines is what wc -l says" 5 "$(wc -l < "$tmp/blank.log")"
expect_contains "blank lines have no sample" '"skipped_samples":[]' "$(cat "$tmp/stdout")"
printf '\n' >> "$tmp/partial.log"
expect_failure "--strict with blank lines and skips names only the real skips" 3 \
  "kubeblame: error: --strict: 1 of 3 records skipped (truncated 1); first at $tmp/partial.log:2: truncated" \
  "$bin" top --strict "$tmp/partial.log"
# An I/O error beats --strict.
expect_failure "I/O error beats --strict" 2 \
  "kubeblame: error: $tmp/cut.gz: gzip data is truncated after 20 bytes (the data before it was read)" \
  "$bin" top --strict "$tmp/partial.log" "$tmp/cut.gz"

# A closed pipe is a clean exit: no error, status 0.
for i in $(seq 1 20000); do
  echo '{"kind":"Event","verb":"get","stage":"ResponseComplete","userAgent":"agent-'$i'/1.0","responseStatus":{"code":200}}'
done > "$tmp/many.log"
out=$("$bin" top --top 0 --by user_agent "$tmp/many.log" 2>"$tmp/stderr" | head -n 1); code=${PIPESTATUS[0]}
expect_eq "closed pipe exits 0" 0 "$code"
expect_eq "closed pipe prints nothing on stderr" "" "$(cat "$tmp/stderr")"
expect_eq "closed pipe: the reader got the header" "USER_AGENT" "$(echo "$out" | awk '{print $1}')"

# Stdin: '-' and no file at all both read it.
out=$("$bin" top -f csv - < "$tmp/partial.log"); code=$?
expect_eq "stdin via - exits 0" 0 "$code"
expect_contains "stdin via - counts the request" "kubectl,1," "$out"
out=$(cat "$tmp/partial.log" | "$bin" -f csv); code=$?
expect_eq "stdin pipe exits 0" 0 "$code"
expect_contains "stdin pipe counts the request" "kubectl,1," "$out"
finish
