#!/usr/bin/env bash
# The command line forgives a new user: a mistyped command gets a suggestion, `help` and
# `version` work as words, bad values get one sentence each, and one missing file among several
# still prints the report of the others (then exit 2 naming it). Each check fails on the
# behaviour before the fix (raw CLI11 wording, "tpo: No such file or directory", no report).
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
event='{"kind":"Event","verb":"get","stage":"ResponseComplete","userAgent":"kubectl/v1.30","responseStatus":{"code":200}}'
echo "$event" > "$tmp/ok.log"
cd "$tmp"

# run NAME CODE STDERR COMMAND...: exit status and the whole of stderr.
run() {
  local name=$1 code=$2 message=$3; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local status=$?
  expect_eq "$name: exit $code" "$code" "$status"
  expect_eq "$name: message" "$message" "$(cat "$tmp/err")"
}

run "mistyped command" 2 "kubeblame: unknown command 'tpo'; did you mean 'top'?" "$bin" tpo ok.log
run "mistyped command, two edits" 2 "kubeblame: unknown command 'fihgts'; did you mean 'fights'?" "$bin" fihgts ok.log
run "mistyped timeline" 2 "kubeblame: unknown command 'timelin'; did you mean 'timeline'?" "$bin" timelin ok.log
# A file that happens to be named like a command is read, not corrected.
cp ok.log tpo
run "a file named tpo is read" 0 "" "$bin" tpo
expect_contains "a file named tpo: report" "kubectl" "$(cat "$tmp/out")"
run "a far-off word is a missing file" 2 "kubeblame: error: zzzzzz: No such file or directory" "$bin" zzzzzz

run "help" 0 "" "$bin" help
expect_contains "help lists commands" "timeline" "$(cat "$tmp/out")"
run "help top" 0 "" "$bin" help top
expect_contains "help top is top's help" "Usage: kubeblame top [OPTIONS]" "$(cat "$tmp/out")"
run "help of an unknown command" 2 "kubeblame: unknown command 'tpo' (see kubeblame --help)" "$bin" help tpo
expect_eq "help top is top --help, byte for byte" "$("$bin" top --help)" "$("$bin" help top)"
run "version" 0 "" "$bin" version
expect_eq "version prints the version" "kubeblame $("$bin" --version | cut -d' ' -f2)" "$(cat "$tmp/out")"
run "-V" 0 "" "$bin" -V
expect_contains "-V prints the version" "kubeblame " "$(cat "$tmp/out")"

run "--top -1" 2 "kubeblame: --top takes a whole number of rows (0 = all), not '-1'" "$bin" --top -1 ok.log
run "--top abc" 2 "kubeblame: --top takes a whole number of rows (0 = all), not 'abc'" "$bin" top --top abc ok.log
run "--min-flips -5" 2 "kubeblame: --min-flips takes a whole number of flips, not '-5'" "$bin" fights --min-flips -5 ok.log
run "--hot-min-per-hour x" 2 "kubeblame: --hot-min-per-hour takes a rate per hour (0 or more), not 'x'" \
  "$bin" fights --hot-min-per-hour x ok.log
run "-j -2" 2 "kubeblame: --threads takes a number of worker threads, not '-2'" "$bin" -j -2 ok.log

# One missing file among several: the report of what could be read, then exit 2 naming it.
run "missing file among several" 2 "kubeblame: error: missing.log: No such file or directory" \
  "$bin" top ok.log missing.log
expect_contains "missing file: the report is printed" "kubectl" "$(cat "$tmp/out")"
expect_contains "missing file: the report names it" "input not read: missing.log: No such file or directory" \
  "$(cat "$tmp/out")"
"$bin" top -f json ok.log missing.log > "$tmp/out.json" 2>/dev/null
expect_contains "missing file: JSON warning" '"input not read: missing.log: No such file or directory"' \
  "$(cat "$tmp/out.json")"
mkdir empty
run "empty directory" 2 "kubeblame: error: no files under empty" "$bin" top empty

# A binary file is skipped with the reason the manual gives for it.
head -c 4096 /dev/urandom | tr -d '\n' > binary.dat; printf '\x00\x01' >> binary.dat
"$bin" top -f json binary.dat > "$tmp/out.json" 2>/dev/null
expect_contains "binary file: unknown_format" '"skipped":{"unknown_format":1}' "$(cat "$tmp/out.json")"
expect_contains "the manual names the reason for binary input" '(`unknown_format`: every record of it)' \
  "$(cat "$(dirname "$bin")/../../docs/manual.md" 2>/dev/null || cat docs/manual.md)"

# Help offers what works: one ellipsis for the inputs, report without csv.
expect_contains "inputs: one ellipsis" "inputs PATH ..." "$("$bin" top --help)"
expect_eq "report --help does not offer csv" "" "$("$bin" report --help | grep -- '--format' | grep csv)"
expect_contains "report --help offers html" "Output: table, markdown, json or html" "$("$bin" report --help)"
# Completion and the man page know help, version and the top-level flags; the synopsis says
# PATH takes many values and SHELL is required.
script=$("$bin" completion bash)
expect_contains "bash completion: help and version are commands" 'commands="top errors fights report timeline diff kql completion help version"' "$script"
expect_contains "bash completion: --version and -V at the first word" 'toplevel="-h --help -V --version"' "$script"
completions=$(bash -c 'source /dev/stdin; COMP_WORDS=(kubeblame --ver); COMP_CWORD=1; _kubeblame; echo "${COMPREPLY[*]}"' <<< "$script")
expect_eq "bash completion: --ver<TAB> offers --version and top's --verbose" "--version --verbose" "$completions"
zsh_script=$("$bin" completion zsh)
expect_contains "zsh completion: --version at the first word" 'compadd -- -h --help -V --version' "$zsh_script"
man=$("$bin" --man)
expect_contains "man synopsis: many paths" '.B kubeblame top
[\fIOPTIONS\fR] [\fIPATH\fR ...]' "$man"
expect_contains "man synopsis: SHELL is required" '.B kubeblame completion
[\fIOPTIONS\fR] \fISHELL\fR' "$man"
expect_contains "man synopsis: --version" '\fB\-\-version\fR | \fB\-V\fR' "$man"
finish
