# Shared helpers for the end-to-end scripts. Source it; $1 of the script is the binary.
set -u
# Output fits $COLUMNS when there is no terminal: the scripts expect it unlimited.
unset COLUMNS
fail=0
check() {  # check NAME CONDITION-EXIT-STATUS
  if [ "$2" -eq 0 ]; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
expect_eq() {  # expect_eq NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2] got [$3]"; fail=1; fi
}
expect_contains() {  # expect_contains NAME NEEDLE HAYSTACK
  case "$3" in *"$2"*) echo "ok   $1" ;; *) echo "FAIL $1: [$2] not in [$3]"; fail=1 ;; esac
}
finish() { exit $fail; }
