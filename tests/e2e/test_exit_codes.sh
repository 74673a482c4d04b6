#!/usr/bin/env bash
# Exit codes and one-line error messages for every failure path (SPEC "Output and exit codes").
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

err=$("$bin" top "$tmp/missing.log" 2>&1 >/dev/null); code=$?
expect_eq "missing file exits 2" 2 "$code"
expect_contains "missing file message" "$tmp/missing.log: No such file or directory" "$err"

err=$("$bin" top --by agent,flavour "$tmp" 2>&1 >/dev/null); code=$?
expect_eq "unknown dimension exits 2" 2 "$code"
expect_contains "unknown dimension lists valid names" "unknown dimension 'flavour' in --by; valid: agent, user_agent, user, impersonated_user, verb, resource, namespace, name, object, code, source_ip, error" "$err"

err=$("$bin" top --sort speed "$tmp" 2>&1 >/dev/null); code=$?
expect_eq "unknown sort exits 2" 2 "$code"
expect_contains "unknown sort message" "unknown --sort 'speed'" "$err"

err=$("$bin" top --no-such-flag 2>&1 >/dev/null); code=$?
expect_eq "unknown flag exits 2" 2 "$code"

: > "$tmp/empty.log"
"$bin" top "$tmp/empty.log" >/dev/null 2>&1; code=$?
expect_eq "no events exits 1" 1 "$code"

printf 'not gzip at all' | gzip -c | head -c 20 > "$tmp/cut.gz"
err=$("$bin" top "$tmp/cut.gz" 2>&1 >/dev/null); code=$?
expect_eq "truncated gzip exits 2" 2 "$code"
expect_contains "truncated gzip message" "cut.gz: gzip data is truncated" "$err"

printf '\x1f\x8bgarbage-garbage-garbage' > "$tmp/bad.gz"
err=$("$bin" top "$tmp/bad.gz" 2>&1 >/dev/null); code=$?
expect_eq "unreadable gzip exits 2" 2 "$code"
expect_contains "unreadable gzip message" "bad.gz: unreadable gzip data" "$err"

# Permission denied: root reads everything, so drop to an unprivileged user when root.
echo '{}' > "$tmp/secret.log"; chmod 000 "$tmp/secret.log"; chmod 755 "$tmp"
as_user=()
if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
  err=$("${as_user[@]}" "$bin" top "$tmp/secret.log" 2>&1 >/dev/null); code=$?
  expect_eq "permission denied exits 2" 2 "$code"
  expect_contains "permission denied message" "$tmp/secret.log: Permission denied" "$err"
else
  echo "skip permission denied (root without setpriv)"
fi

# --strict: any skipped record is fatal (exit 3) with the reasons on stderr.
printf '%s\n' '{"kind":"Event","verb":"get","stage":"ResponseComplete","responseStatus":{"code":200}}' \
  '{"kind":"Event","verb":"get","sta' > "$tmp/partial.log"
"$bin" top "$tmp/partial.log" >/dev/null 2>&1; code=$?
expect_eq "skips without --strict exit 0" 0 "$code"
err=$("$bin" top --strict "$tmp/partial.log" 2>&1 >/dev/null); code=$?
expect_eq "--strict with skips exits 3" 3 "$code"
expect_contains "--strict message" "--strict: 1 of 2 records skipped (truncated 1); first at $tmp/partial.log:2: truncated" "$err"

# A closed pipe is a clean exit: no error, status 0.
for i in $(seq 1 20000); do
  echo '{"kind":"Event","verb":"get","stage":"ResponseComplete","userAgent":"agent-'$i'/1.0","responseStatus":{"code":200}}'
done > "$tmp/many.log"
out=$("$bin" top --top 0 --by user_agent "$tmp/many.log" 2>"$tmp/stderr" | head -n 1); code=${PIPESTATUS[0]}
expect_eq "closed pipe exits 0" 0 "$code"
expect_eq "closed pipe prints nothing on stderr" "" "$(cat "$tmp/stderr")"

# Stdin: '-' and no file at all both read it.
out=$("$bin" top -f csv - < "$tmp/partial.log"); code=$?
expect_eq "stdin via - exits 0" 0 "$code"
expect_contains "stdin via - counts the request" "(none),1," "$out"
out=$(cat "$tmp/partial.log" | "$bin" -f csv); code=$?
expect_eq "stdin pipe exits 0" 0 "$code"
expect_contains "stdin pipe counts the request" "(none),1," "$out"
finish
