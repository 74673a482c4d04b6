#!/usr/bin/env bash
# Control-plane log inputs (samples/controlplane, see samples/README.md): every shape decodes
# every record into a log line, with exact accounting, the format named, and the same first and
# last instants (the klog year taken from each record's time across New Year). `top` reports
# audit events only, so with no events it exits 1 ("no audit events found") after printing the
# report; the input object is what is checked here.
source "$(dirname "$0")/lib.sh"
bin=$1
dir=samples/controlplane
span='"first":"2024-12-31T23:35:00.100Z","last":"2025-01-01T00:24:59.750Z"'
no_events_exit=1

input_of() {  # the "input" object's counters, from "formats" through "last"
  printf '%s' "$1" | sed -n 's/.*"input":{"files":\[[^]]*\],\("formats".*"last":"[^"]*"\).*/\1/p'
}

expect_input() {  # expect_input NAME FORMATS LINES ...args
  local name=$1 formats=$2 lines=$3
  shift 3
  local out code
  out=$("$bin" top -f json "$@" 2>/dev/null); code=$?
  expect_eq "$name: exit" "$no_events_exit" "$code"
  expect_eq "$name: input" \
    "\"formats\":{$formats},\"lines\":$lines,\"decoded\":$lines,\"events\":0,\"log_lines\":$lines,\"requests\":0,\"filtered\":0,\"duplicates\":0,\"skipped\":{},$span" \
    "$(input_of "$out")"
}

expect_input "az -o json" '"akscontrolplane-az-json":355' 355 "$dir/akscontrolplane-az.json"
expect_input "REST" '"akscontrolplane-rest":355' 355 "$dir/akscontrolplane-rest.json"
expect_input "portal CSV" '"akscontrolplane-csv":355' 355 "$dir/akscontrolplane-portal.csv"
expect_input "storage records" '"azure-storage":355' 355 "$dir/storage-kube-apiserver-PT1H.json"
expect_input "CRI klog file" '"log-text":305' 305 "$dir/kube-apiserver.log"

# Detection works on the bytes alone (stdin), and on gzip.
expect_input "CSV on stdin" '"akscontrolplane-csv":355' 355 - < "$dir/akscontrolplane-portal.csv"
expect_input "klog on stdin" '"log-text":305' 305 - < "$dir/kube-apiserver.log"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gzip -c "$dir/akscontrolplane-az.json" > "$tmp/cp.json.gz"
expect_input "gzipped az -o json" '"akscontrolplane-az-json":355' 355 "$tmp/cp.json.gz"

# Plain klog without the CRI prefix (the year then comes from the run's clock, so only the
# counts are checked), and a klog file after a few plain lines.
sed 's/^[^ ]* stderr F //' "$dir/kube-apiserver.log" > "$tmp/plain.log"
{ echo "Flag --insecure-port has been deprecated, This flag will be removed in a future version."
  echo; cat "$tmp/plain.log"; } > "$tmp/flags.log"
out=$("$bin" top -f json "$tmp/flags.log" 2>/dev/null); code=$?
expect_eq "plain klog: exit" "$no_events_exit" "$code"
expect_contains "plain klog: counts (the blank line is skipped as blank)" \
  '"formats":{"log-text":306},"lines":307,"decoded":306,"events":0,"log_lines":306,"requests":0,"filtered":0,"duplicates":0,"skipped":{"blank":1}' \
  "$out"

# All five at once, any thread count and chunk size: one accounting, byte-identical output.
all=("$dir"/*.json "$dir"/*.csv "$dir"/*.log)
expect_input "all five" \
  '"azure-storage":355,"akscontrolplane-az-json":355,"akscontrolplane-rest":355,"akscontrolplane-csv":355,"log-text":305' \
  1725 -j 1 "${all[@]}"
reference=$("$bin" top -f json -j 1 "${all[@]}" 2>/dev/null)
for threads in 2 3; do
  for chunk in 64 4K; do
    out=$("$bin" top -f json -j "$threads" --chunk-size "$chunk" "${all[@]}" 2>/dev/null)
    expect_eq "all five -j $threads --chunk-size $chunk identical" "$reference" "$out"
  done
done

# Mixed with audit events: the accounting adds up and the exit code is 0 again.
out=$("$bin" top -f json "$dir/kube-apiserver.log" samples/formats/audit.jsonl 2>/dev/null); code=$?
expect_eq "with audit events: exit" 0 "$code"
expect_contains "with audit events: input" \
  '"formats":{"audit-jsonl":166,"log-text":305},"lines":471,"decoded":471,"events":166,"log_lines":305' \
  "$out"

# --strict: log lines are decoded records, not skips.
"$bin" top -f json --strict "$dir/akscontrolplane-rest.json" >/dev/null 2>&1; code=$?
expect_eq "--strict with only log lines exits $no_events_exit" "$no_events_exit" "$code"
finish
