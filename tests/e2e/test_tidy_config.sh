#!/usr/bin/env bash
# .clang-tidy does what it says: an enabled check's finding is an error (non-zero exit, tagged
# -warnings-as-errors), the checks it leaves off stay quiet, GCC-only warning flags in the compile
# commands do not break it, and .ci/tidy passes on a real source file and explains a missing
# compile-commands file. Needs clang-tidy (.ci/setup installs it): skipped (exit 77) without it.
source "$(dirname "$0")/lib.sh"
bin=$1
if ! command -v clang-tidy > /dev/null || ! command -v run-clang-tidy > /dev/null; then
  echo "skip: clang-tidy is not installed (sh .ci/setup installs it)"
  exit 77
fi
config=$PWD/.clang-tidy
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# tidy FILE: clang-tidy with the repository's configuration and the dev build's GCC flags; prints
# the findings (not clang's "N warnings generated" count) and exits with clang-tidy's status.
tidy() {
  local status=0
  clang-tidy --quiet --config-file="$config" "$1" -- -std=c++20 -Wall -Wno-restrict \
    > "$work/out" 2>&1 || status=$?
  grep -vE '^[0-9]+ warnings? generated\.$' "$work/out"
  return $status
}

cat > "$work/use_after_move.cpp" << 'EOF'
#include <string>
#include <utility>
std::size_t sizes(std::string text) {
  std::string moved = std::move(text);
  return text.size() + moved.size();
}
EOF
out=$(tidy "$work/use_after_move.cpp"); status=$?
[ "$status" -ne 0 ]; check "a use after move fails" $?
expect_contains "it is named, as an error" "[bugprone-use-after-move,-warnings-as-errors]" "$out"

cat > "$work/else_after_return.cpp" << 'EOF'
int sign(int value) {
  if (value < 0) {
    return -1;
  } else {
    return value == 0 ? 0 : 1;
  }
}
EOF
out=$(tidy "$work/else_after_return.cpp"); status=$?
[ "$status" -ne 0 ]; check "an else after return fails" $?
expect_contains "it is named" "[readability-else-after-return,-warnings-as-errors]" "$out"

# What the code base does on purpose: adjacent string_views, one-line ifs without braces, i and
# 401, std::move of a trivially copyable handle whose get() is &&-qualified (simdjson's shape).
cat > "$work/house_style.cpp" << 'EOF'
#include <string_view>
#include <utility>
struct Result {
  int value = 0;
  int get(int& out) &&;
};
bool same(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (std::size_t i = 0; i < left.size(); ++i)
    if (left[i] != right[i]) return false;
  return true;
}
std::size_t prefix_size(std::string_view prefix, std::string_view value) {
  if (value.empty()) return 0;
  return prefix.size();
}
int code_of(Result result) {
  int code = 0;
  if (std::move(result).get(code) != 0) return 401;
  return code;
}
EOF
out=$(tidy "$work/house_style.cpp"); status=$?
expect_eq "the house style passes" "0" "$status"
expect_eq "with nothing printed" "" "$out"

# .ci/tidy itself, on one real file with this build's compile commands.
build=$(cd "$(dirname "$bin")" && pwd)
out=$(TIDY_BUILD=$build .ci/tidy src/report/format.cpp 2>&1); status=$?
expect_eq ".ci/tidy passes on src/report/format.cpp" "0" "$status"
expect_contains "it names the file" "tidy src/report/format.cpp" "$out"
expect_contains "it says there was nothing" "tidy: no findings in" "$out"
out=$(TIDY_BUILD=$work/none .ci/tidy 2>&1); status=$?
expect_eq ".ci/tidy without compile commands exits 2" "2" "$status"
expect_contains "and says what to run" "compile_commands.json is missing: run 'cmake --preset dev' first" "$out"
finish
