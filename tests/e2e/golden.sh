#!/usr/bin/env bash
# Runs one golden case: the real binary with the case's arguments, stdout diffed exactly.
# Usage: golden.sh BINARY CASE_DIR (run from the source directory).
# Files in CASE_DIR: args (one argument per line), expected (stdout), optional exit (the
# expected exit code, default 0), stdin (a path whose content is piped in) and env (NAME=value
# lines set for the run). COLUMNS is unset unless env sets it: output does not depend on the
# terminal ctest runs in.
# UPDATE_GOLDEN=1 rewrites expected and exit instead of comparing.
set -u
bin=$1
case_dir=$2
mapfile -t args < "$case_dir/args"
unset COLUMNS
if [ -f "$case_dir/env" ]; then
  while IFS= read -r assignment; do
    [ -n "$assignment" ] && export "${assignment?}"
  done < "$case_dir/env"
fi
want_exit=0
[ -f "$case_dir/exit" ] && want_exit=$(cat "$case_dir/exit")
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
if [ -f "$case_dir/stdin" ]; then
  "$bin" "${args[@]}" < "$(cat "$case_dir/stdin")" > "$actual" 2>/dev/null
else
  "$bin" "${args[@]}" < /dev/null > "$actual" 2>/dev/null
fi
got_exit=$?
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$actual" "$case_dir/expected"
  if [ "$got_exit" != 0 ]; then echo "$got_exit" > "$case_dir/exit"; else rm -f "$case_dir/exit"; fi
  echo "updated $case_dir"
  exit 0
fi
status=0
if ! diff -u "$case_dir/expected" "$actual"; then
  echo "golden output differs for $case_dir (UPDATE_GOLDEN=1 to accept)"
  status=1
fi
if [ "$got_exit" != "$want_exit" ]; then
  echo "exit code $got_exit, expected $want_exit for $case_dir"
  status=1
fi
exit $status
