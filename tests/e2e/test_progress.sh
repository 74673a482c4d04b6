#!/usr/bin/env bash
# The progress bar: --progress draws it on any stderr (a final line with 100% and the input size,
# twice the size when a relative --since reads it twice),
# nothing without it when stderr is not a terminal; on a terminal (faked with script(1)) it stays
# away from short runs and shows up, then is erased, on a slow pipe.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
event='{"kind":"Event","verb":"list","stage":"ResponseComplete","userAgent":"kube-controller-manager/v1.30.0","user":{"username":"system:kube-controller-manager"},"objectRef":{"resource":"pods","namespace":"default"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2024-06-30T19:00:00.000000Z","stageTimestamp":"2024-06-30T19:00:00.010000Z","padding":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}'
yes "$event" | head -n 2500 > "$tmp/audit.log"
expect_eq "input is 1,000,000 bytes" 1000000 "$(stat -c %s "$tmp/audit.log")"

"$bin" top "$tmp/audit.log" > "$tmp/plain.out" 2> "$tmp/plain.err"
expect_eq "not a terminal: no progress on stderr" "" "$(cat "$tmp/plain.err")"

"$bin" top --progress "$tmp/audit.log" > "$tmp/forced.out" 2> "$tmp/forced.err"
err=$(cat "$tmp/forced.err")
expect_contains "--progress: final line with 100% and the size" \
  "kubeblame: [####################] 100%  1.0 MB of 1.0 MB  " "$err"
expect_eq "--progress: a file gets no terminal escapes" 0 "$(grep -c $'\x1b' "$tmp/forced.err")"
expect_eq "--progress: stderr ends with a newline" 1 "$(tail -c1 "$tmp/forced.err" | grep -c '^$')"
cmp -s "$tmp/plain.out" "$tmp/forced.out"; check "--progress: the report is unchanged" $?

"$bin" top --progress --no-progress "$tmp/audit.log" > /dev/null 2> "$tmp/both.err"
expect_eq "--progress --no-progress: usage error" \
  "kubeblame: --progress and --no-progress exclude each other" "$(cat "$tmp/both.err")"
"$bin" top -q --progress "$tmp/audit.log" > /dev/null 2> "$tmp/quiet.err"
expect_contains "-q --progress: the explicit flag wins" "100%" "$(cat "$tmp/quiet.err")"

# A pipe has no size: bytes and rate, no percentage.
cat "$tmp/audit.log" | "$bin" top --progress > /dev/null 2> "$tmp/pipe.err"
expect_contains "stdin pipe: bytes read" "kubeblame: 1.0 MB read  " "$(cat "$tmp/pipe.err")"
expect_eq "stdin pipe: no percentage" 0 "$(grep -c '%' "$tmp/pipe.err")"
# stdin redirected from a file has a size.
"$bin" top --progress < "$tmp/audit.log" > /dev/null 2> "$tmp/redirect.err"
expect_contains "stdin from a file: percentage" "100%  1.0 MB of 1.0 MB" "$(cat "$tmp/redirect.err")"

# A relative --since reads the input twice (a counting pass first): one bar over both passes.
"$bin" top --progress --since 1h "$tmp/audit.log" > "$tmp/since.out" 2> "$tmp/since.err"
expect_contains "relative --since: the bar covers both passes" "100%  2.0 MB of 2.0 MB" "$(cat "$tmp/since.err")"
expect_eq "relative --since: one final line" 1 "$(grep -c '100%' "$tmp/since.err")"
"$bin" top --progress --since 2024-06-30T00:00:00Z "$tmp/audit.log" > /dev/null 2> "$tmp/absolute.err"
expect_contains "absolute --since: one pass" "100%  1.0 MB of 1.0 MB" "$(cat "$tmp/absolute.err")"
# stdin is spooled to a file for the two passes, so even a pipe gets a size.
cat "$tmp/audit.log" | "$bin" top --progress --since 1h > "$tmp/since-pipe.out" 2> "$tmp/since-pipe.err"
expect_contains "relative --since on a pipe: the spool's size, both passes" "100%  2.0 MB of 2.0 MB" \
  "$(cat "$tmp/since-pipe.err")"
cmp -s "$tmp/since.out" "$tmp/since-pipe.out"; check "relative --since: the same report from a pipe" $?

# gzip: the total and the count are compressed bytes, so the bar reaches 100%.
gzip -c "$tmp/audit.log" > "$tmp/audit.log.gz"
gz_size=$(stat -c %s "$tmp/audit.log.gz")
gz_text=$(awk -v b="$gz_size" 'BEGIN { if (b < 1000) printf "%d B", b; else printf "%.1f kB", b / 1000 }')
"$bin" top --progress "$tmp/audit.log.gz" > /dev/null 2> "$tmp/gz.err"
expect_contains "gzip: compressed size as the total" "100%  $gz_text of $gz_text" "$(cat "$tmp/gz.err")"

if script -qc true /dev/null >/dev/null 2>&1; then
  # A short run on a terminal: no bar at all.
  script -qc "'$bin' top --color never '$tmp/audit.log'" /dev/null > "$tmp/tty.out" 2>&1
  expect_eq "terminal, short run: no bar" 0 "$(grep -c 'kubeblame: \[' "$tmp/tty.out")"
  expect_contains "terminal, short run: the report" "KUBE-CONTROLLER-MANAGER" "$(tr a-z A-Z < "$tmp/tty.out")"
  # A slow pipe on a terminal: the bar appears after 0.5 s and is erased before the report.
  script -qc "(cat '$tmp/audit.log'; sleep 1.5; cat '$tmp/audit.log') | '$bin' top --color never" /dev/null \
    > "$tmp/tty-slow.out" 2>&1
  slow=$(cat "$tmp/tty-slow.out")
  expect_contains "terminal, slow pipe: the bar" $'\r\x1b[Kkubeblame: 1.0 MB read  ' "$slow"
  expect_contains "terminal, slow pipe: erased before the report" $'\r\x1b[KAGENT' "$slow"
  script -qc "(cat '$tmp/audit.log'; sleep 1.5) | '$bin' top --no-progress --color never" /dev/null \
    > "$tmp/tty-off.out" 2>&1
  expect_eq "terminal, --no-progress: no bar" 0 "$(grep -c 'read  ' "$tmp/tty-off.out")"
else
  echo "skip terminal checks (script(1) cannot allocate a terminal)"
fi
finish
