#!/bin/bash
# The README's example outputs are the binary's real output, byte for byte. For each command
# below, the first fenced block after the README line that names it (`kubeblame ARGS`) must
# equal what `kubeblame ARGS` prints on stdout. When an output changes on purpose, paste the new
# output into the README (the failure shows the diff).
source "$(dirname "$0")/lib.sh"
bin=$1
readme=README.md

examples=(
  "top --by agent,verb,resource --top 8 samples/incident/"
  "top --by user --sort cost --top 5 samples/incident/"
  "errors --top 3 samples/incident/"
  "fights samples/incident/"
  "timeline --top 4 samples/incident/"
  "report --top 2 samples/incident/"
  "diff --top 5 samples/incident/ samples/after-fix/"
  "top --columns breakdown samples/anatomy/audit.jsonl"
  "top --by webhook --columns breakdown samples/anatomy/audit.jsonl"
  "top --by flow_schema --columns breakdown samples/anatomy/audit.jsonl samples/anatomy/kube-apiserver.log"
  "top --top 5 samples/kql/split-1-agent-verb-az.json samples/kql/split-2-agent-verb-az.json"
)

# The first fenced block after the first line that holds `kubeblame ARGS`, without the fences.
block_after() {
  awk -v needle="\`kubeblame $1\`" '
    !found && index($0, needle) { found = 1; next }
    found && !inside && /^```/ { inside = 1; next }
    inside && /^```/ { exit }
    inside { print }' "$readme"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for args in "${examples[@]}"; do
  block_after "$args" > "$tmp/readme.txt"
  [ -s "$tmp/readme.txt" ]; check "README shows the output of kubeblame $args" $?
  # shellcheck disable=SC2086  # the arguments are meant to be split
  NO_COLOR=1 "$bin" $args > "$tmp/actual.txt" 2>/dev/null
  if diff -u "$tmp/readme.txt" "$tmp/actual.txt" > "$tmp/diff.txt"; then
    check "README output of kubeblame $args is exact" 0
  else
    check "README output of kubeblame $args is exact" 1
    head -20 "$tmp/diff.txt"
  fi
done

# The extraction is not vacuous: on a probe README it finds exactly the block after the command.
printf 'intro\n```\nother block\n```\nrun (`kubeblame top x`):\n\n```\nline 1\nline 2\n```\n```\nnext\n```\n' \
  > "$tmp/probe.md"
expect_eq "block_after finds the block after the command" $'line 1\nline 2' \
  "$(readme=$tmp/probe.md block_after "top x")"
finish
