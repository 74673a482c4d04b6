#!/usr/bin/env bash
# Colour: --color always gives the exact escapes (bold header, red error counts and 5xx codes,
# dim footer); never, NO_COLOR and a non-terminal stdout give none; on a terminal (script(1)) auto
# colours, unless NO_COLOR is set. Log messages are coloured only when stderr is a terminal.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok='{"kind":"Event","verb":"get","stage":"ResponseComplete","userAgent":"kubectl/v1.30","responseStatus":{"code":200}}'
bad='{"kind":"Event","verb":"get","stage":"ResponseComplete","userAgent":"kubectl/v1.30","responseStatus":{"code":503}}'
printf '%s\n%s\n%s\n' "$ok" "$ok" "$bad" > "$tmp/audit.log"

out=$("$bin" top --by agent,code --color always "$tmp/audit.log")
expect_contains "always: bold header" $'\x1b[1mAGENT    CODE  REQUESTS' "$out"
expect_contains "always: 503 in red" $'kubectl  \x1b[31m503\x1b[0m' "$out"
expect_contains "always: error count in red" $'\x1b[31m1\x1b[0m' "$out"
expect_contains "always: 200 row, zero errors plain" "kubectl  200          2  66.7%       -       0" "$out"
expect_contains "always: dim footer" $'\x1b[2mlines 3 = decoded 3' "$out"
NO_COLOR=1 "$bin" top --color always "$tmp/audit.log" > "$tmp/nocolor-always.out"
expect_eq "always beats NO_COLOR" 1 "$(grep -c $'\x1b\\[1mAGENT' "$tmp/nocolor-always.out")"
for mode in "--color never" "--color auto" ""; do
  # shellcheck disable=SC2086  # the mode is two words or none
  "$bin" top $mode "$tmp/audit.log" > "$tmp/plain.out"
  expect_eq "${mode:-default}, not a terminal: no escapes" 0 "$(grep -c $'\x1b' "$tmp/plain.out")"
done

if script -qc true /dev/null >/dev/null 2>&1; then
  script -qc "'$bin' top --no-progress '$tmp/audit.log'" /dev/null > "$tmp/tty.out" 2>&1
  expect_eq "terminal, auto: coloured" 1 "$(grep -c $'\x1b\\[1mAGENT' "$tmp/tty.out")"
  NO_COLOR=1 script -qc "'$bin' top --no-progress '$tmp/audit.log'" /dev/null > "$tmp/tty-nc.out" 2>&1
  expect_eq "terminal, NO_COLOR: no escapes" 0 "$(grep -c $'\x1b' "$tmp/tty-nc.out")"
  NO_COLOR= script -qc "'$bin' top --no-progress '$tmp/audit.log'" /dev/null > "$tmp/tty-empty.out" 2>&1
  expect_eq "terminal, empty NO_COLOR: coloured" 1 "$(grep -c $'\x1b\\[1mAGENT' "$tmp/tty-empty.out")"
  script -qc "'$bin' top --color never '$tmp/audit.log'" /dev/null > "$tmp/tty-never.out" 2>&1
  expect_eq "terminal, never: no escapes" 0 "$(grep -c $'\x1b' "$tmp/tty-never.out")"
  # A warning on a terminal stderr is coloured by spdlog; never turns that off too.
  script -qc "'$bin' top '$tmp/missing.log'" /dev/null > "$tmp/tty-err.out" 2>&1
  expect_contains "terminal stderr: coloured error" $'kubeblame: \x1b[' "$(cat "$tmp/tty-err.out")"
  script -qc "'$bin' top --color never '$tmp/missing.log'" /dev/null > "$tmp/tty-err-never.out" 2>&1
  expect_eq "terminal stderr, never: plain error" 0 "$(grep -c $'\x1b' "$tmp/tty-err-never.out")"
else
  echo "skip terminal checks (script(1) cannot allocate a terminal)"
fi
"$bin" top "$tmp/missing.log" 2> "$tmp/err.txt"
expect_eq "stderr not a terminal: plain error" \
  "kubeblame: error: $tmp/missing.log: No such file or directory" "$(cat "$tmp/err.txt")"
finish
