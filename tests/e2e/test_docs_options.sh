#!/bin/bash
# Every option the binary offers is documented in the manual: each flag (long and short) of
# `kubeblame --help` and of every command's --help must appear in docs/manual.md, and so must
# every command. A new option without a line in the manual fails here.
source "$(dirname "$0")/lib.sh"
bin=$1
manual=docs/manual.md
[ -f "$manual" ] || { echo "FAIL $manual is missing"; exit 1; }

# Commands, from the top-level help's "Subcommands:" section.
commands=$("$bin" --help | awk '/^Subcommands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}')
[ -n "$commands" ]; check "the top-level help lists commands" $?

# Flags of one help text: the option column of lines like "  -n,--top N=20   Rows ...".
flags_of() {
  grep -E '^  -' | awk '{print $1}' | tr ',' '\n' | sed -E 's/=.*//' | grep -E '^--?[A-Za-z]'
}

# A flag is documented when it appears in the manual as a whole word (`--top` does not count
# for `--top-x`, `-n` not for `-no`).
documented() {
  grep -qE -- "(^|[^A-Za-z0-9-])$1([^A-Za-z0-9-]|$)" "$manual"
}

flags=$("$bin" --help | flags_of)
for command in $commands; do
  documented "$command"; check "command $command is in $manual" $?
  flags+=$'\n'$("$bin" "$command" --help | flags_of)
  # A command with subcommands of its own (kql top, kql errors, ...): their flags too.
  for inner in $("$bin" "$command" --help | awk '/^Subcommands:/ {on=1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on=0}'); do
    flags+=$'\n'$("$bin" "$command" "$inner" --help | flags_of)
  done
done
count=0
for flag in $(printf '%s\n' "$flags" | sort -u); do
  count=$((count + 1))
  documented "$flag"; check "$flag is in $manual" $?
done
# Sanity: the extraction found the options (top alone has over 20), so the loop above is not vacuous.
[ "$count" -ge 40 ]; check "found $count distinct flags (at least 40)" $?

# The check can fail: a flag the manual does not mention is reported missing.
documented "--no-such-flag-in-the-manual"
[ $? -ne 0 ]; check "an undocumented flag is reported" $?
finish
