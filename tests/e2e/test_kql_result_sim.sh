#!/usr/bin/env bash
# The Log Analytics stand-in of the kql round trip (tests/kql/result_sim.py) agrees with the local
# pipeline: tests/kql/check_sim.py compares its simulated `kql top`/`kql timeline` results (counts,
# cost, max, first/last, p50/p95/p99 from the histogram) with `kubeblame top|timeline --format json`
# on the same AKSAudit rows, for several --by sets, --split windows merged, and the three shapes,
# and that it writes the columns `kubeblame kql` projects and takes the dimensions kql takes.
. "$(dirname "$0")/lib.sh"
bin=$1

out=$(python3 tests/kql/check_sim.py "$bin" 2>&1)
status=$?
printf '%s\n' "$out" | grep -v '^ok '
check "check_sim.py: the simulated kql results match the local run" "$status"
expect_contains "check_sim.py ran every check" "56 checks, 0 failures" "$out"
finish
