#!/usr/bin/env bash
# Catch2 test names that CTest discovery cannot carry: a name starting with '-' is read as an
# option by the test runner, and a '[' in a name is read as a tag filter (one bad name folded
# 300 unit tests into a single CTest entry). Fails listing the offending TEST_CASE lines.
set -u
cd "$(dirname "$0")/../.."
bad=$(grep -rnE 'TEST_CASE\("(-|[^"]*\[)' tests/unit --include='*.cpp' || true)
if [[ -n $bad ]]; then
  echo "FAIL unit test names must not start with '-' or contain '[':"
  echo "$bad"
  exit 1
fi
echo "ok unit test names"
