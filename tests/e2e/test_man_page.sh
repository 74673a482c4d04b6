#!/usr/bin/env bash
# kubeblame.1 is generated at build time next to the binary (CMake runs `kubeblame --man`): it
# has every command and every option of `top`, and groff renders it without a warning.
source "$(dirname "$0")/lib.sh"
bin=$1
page="$(dirname "$bin")/kubeblame.1"
[ -s "$page" ]; check "kubeblame.1 exists next to the binary" $?
expect_eq "the built page is what --man prints" "$("$bin" --man)" "$(cat "$page")"
text=$(cat "$page")
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS '"EXIT STATUS"' ENVIRONMENT EXAMPLES; do
  expect_contains "section $section" ".SH $section" "$text"
done
for command in top errors fights report timeline diff completion; do
  expect_contains "command $command" ".B $command" "$text"
done
# Every option `top --help` lists, in roff spelling (\- for each dash).
options=$("$bin" top --help | grep -oE '^ +(-[a-z],)?--[a-z-]+' | sed -E 's/^ +//; s/^-[a-z],//' | sort -u)
# (other helpers add options: a floor, so the extraction itself is checked)
[ "$(echo "$options" | wc -l)" -ge 22 ]; check "top --help lists at least 22 options" $?
expect_contains "the list has --progress" "--progress" "$options"
for option in $options; do
  expect_contains "option $option" "\\fB$(echo "$option" | sed 's/-/\\-/g')\\fR" "$text"
done
expect_contains "NO_COLOR documented" ".B NO_COLOR" "$text"
expect_contains "KUBEBLAME_REDACT_KEY documented" ".B KUBEBLAME_REDACT_KEY" "$text"
expect_contains "top's examples" "kubeblame top \\-\\-by agent,verb,resource audit.log.gz" "$text"
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  expect_eq "groff renders it without warnings" "" "$warnings"
else
  echo "skip groff (not installed)"
fi
finish
