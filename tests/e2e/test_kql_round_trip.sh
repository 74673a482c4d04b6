#!/usr/bin/env bash
# kql round trip: `kubeblame kql top|timeline` results, computed from sample AKSAudit rows by an
# independent implementation of the queries (tests/kql/result_sim.py, the Log Analytics stand-in)
# and written as az -o json, REST and portal CSV, read back by `kubeblame top|timeline` give the
# rows of the local run on the same rows: counts, errors, watches, cost, max exactly, p50/p95/p99
# equal (from the histogram and exact_us), first/last exact (CSV: to the millisecond, all the
# portal keeps). Also --split results merged from several files, and rows in any order.
. "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sim() { python3 tests/kql/result_sim.py "$@"; }
view() { python3 tests/kql/round_trip_view.py "$@"; }
ext() { if [ "$1" = csv ]; then echo csv; else echo json; fi; }
ms() { if [ "$1" = csv ]; then echo --ms; fi; }

# same NAME EXPECTED-FILE ACTUAL-FILE: equal files, else the first lines of the difference.
same() {
  if cmp -s "$2" "$3" && [ -s "$2" ]; then
    echo "ok   $1"
  else
    echo "FAIL $1"
    diff "$2" "$3" | head -6
    fail=1
  fi
}

# top_case NAME INPUT BY SHAPE RESULT...: the results read back against the local run on INPUT.
top_case() {
  local name=$1 input=$2 by=$3 shape=$4
  shift 4
  "$bin" top "$input" --by "$by" --top 0 --format json -q | view top $(ms "$shape") > "$tmp/local.txt"
  "$bin" top "$@" --by "$by" --top 0 --format json -q | view top $(ms "$shape") > "$tmp/read.txt"
  same "$name" "$tmp/local.txt" "$tmp/read.txt"
}

timeline_case() {
  local name=$1 input=$2 by=$3 interval=$4
  shift 4
  "$bin" timeline "$input" --by "$by" --interval "$interval" --top 0 --format json -q | view timeline > "$tmp/local.txt"
  "$bin" timeline "$@" --by "$by" --interval "$interval" --top 0 --format json -q | view timeline > "$tmp/read.txt"
  same "$name" "$tmp/local.txt" "$tmp/read.txt"
}

synth=$tmp/synth-aksaudit-az.json
python3 tests/kql/synth_aksaudit.py "$synth"
sample=samples/formats/aksaudit-az.json

for shape in az rest csv; do
  for input in "$sample" "$synth"; do
    sets="agent agent,verb user,verb,resource namespace,name object code source_ip"
    [ "$input" = "$synth" ] && sets="agent user,verb,resource object source_ip"
    for by in $sets; do
      result=$tmp/top.$(ext "$shape")
      sim top "$input" --by "$by" --shape "$shape" --shuffle 3 --output "$result"
      top_case "top --by $by, $shape result of $(basename "$input")" "$input" "$by" "$shape" "$result"
    done
    for case in verb:5m agent,code:1m; do
      by=${case%:*} interval=${case#*:}
      result=$tmp/timeline.$(ext "$shape")
      sim timeline "$input" --by "$by" --interval "$interval" --shape "$shape" --shuffle 5 --output "$result"
      timeline_case "timeline --by $by --interval $interval, $shape result of $(basename "$input")" \
        "$input" "$by" "$interval" "$result"
    done
  done
  # --split: one result per window, merged when read together.
  sim top "$synth" --by agent,verb --shape "$shape" --split 10m --shuffle 9 --output "$tmp/split-$shape"
  top_case "top --by agent,verb, $(ls "$tmp/split-$shape" | wc -l) $shape results of 10m windows merged" \
    "$synth" agent,verb "$shape" \
    "$tmp/split-$shape"/*
  sim timeline "$synth" --by verb --interval 5m --shape "$shape" --split 25m --output "$tmp/split-tl-$shape"
  timeline_case "timeline --by verb, $(ls "$tmp/split-tl-$shape" | wc -l) $shape results of 25m windows merged" \
    "$synth" verb 5m \
    "$tmp/split-tl-$shape"/*
done

# A group without latencies: cost_ns null (as above) or 0, depending on the engine's sum().
sim top "$synth" --by verb --shape az --zero-sums --output "$tmp/zero.json"
top_case "top --by verb, az result with cost_ns 0 for watch-only groups" "$synth" verb az "$tmp/zero.json"
# Windows written in different shapes, read together: REST, az and CSV.
for shape in rest az csv; do
  sim top "$sample" --by agent --shape "$shape" --split 5m --output "$tmp/mixed-$shape"
done
top_case "top --by agent, 5m windows as REST, az and CSV results read together" "$sample" agent csv \
  "$tmp/mixed-rest/window-001.json" "$tmp/mixed-az/window-002.json" "$tmp/mixed-csv/window-003.csv"
finish
