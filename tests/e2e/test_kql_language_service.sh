#!/usr/bin/env bash
# Every query `kubeblame kql` prints passes Microsoft's Kusto language service with zero error
# diagnostics against the Log Analytics schemas (tests/kql/check_kql.js): each command, each
# table, every --by dimension KQL computes, every --where form, --since/--until as RFC 3339 and
# as durations, --split. One broken query proves the check can fail. Skipped (exit 77) without
# node or the npm package, unless CI=true (.ci/run installs both).
source "$(dirname "$0")/lib.sh"
bin=$(realpath "$1")
cd "$(dirname "$0")/../.."

skip() {
  if [ "${CI:-}" = true ]; then echo "FAIL (CI): $1"; exit 1; fi
  echo "SKIP: $1"
  exit 77
}
command -v node > /dev/null || skip "node is not installed (apt-get install -y nodejs npm)"
package=$(tests/kql/install_language_service.sh) || skip "@kusto/language-service-next could not be installed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
# kql ARGS...: the query text of `kubeblame kql ARGS` into its own file; exit 0 expected.
kql() {
  n=$((n + 1))
  "$bin" kql "$@" > "$tmp/q$n.kql" 2> "$tmp/q$n.err"
  expect_eq "kql $* exits 0" 0 $?
}

windows=("--since 2h" "--since 2024-06-30T19:00:00Z --until 2024-07-01T00:00:00.5+02:00" "--until 30m")
wheres=(--where verb=list --where 'user!=system:kube-proxy' --where 'namespace~prod-*' \
        --where 'agent!~kube-[a-z]*' --where 'code>=400' --where 'code<=499' --where 'code>399' \
        --where 'code<500' --where 'name~[!x]?\*' --where 'user_agent="quoted"\back')
for table in AKSAudit AKSAuditAdmin AzureDiagnostics; do
  for window in "${windows[@]}"; do
    # shellcheck disable=SC2086
    for command in top errors fights report; do kql $command --table $table $window; done
    # shellcheck disable=SC2086
    kql timeline --table $table $window
    # shellcheck disable=SC2086
    kql timeline --table $table --interval 1m --by verb,code $window
  done
  for dim in agent user_agent user verb resource namespace name object code source_ip; do
    kql top --table $table --by "$dim" --since 1d
    other=agent
    [ "$dim" = agent ] && other=verb
    kql timeline --table $table --by "$dim,$other" --where "$dim!=x" --interval 15m
  done
  kql top --table $table --by agent,verb,resource "${wheres[@]}"
  kql errors --table $table --level warning --where 'code>=500'
  kql errors --table $table --level info
  kql fights --table $table --min-writers 3 --hot-min-writes 10 --min-conflicts 2 --since 7d
  kql report --table $table --since 2024-06-01T00:00:00Z --until 2024-06-02T00:00:00Z --split 6h
  kql top --table $table --by agent --since 2024-06-01T00:00:00Z --until 2024-06-01T13:00:00Z --split 6h
done
kql top --table AzureDiagnostics --by impersonated_user,object --where 'impersonated_user~*admin*'

out=$(node tests/kql/check_kql.js "$package" "$tmp"/q*.kql)
expect_eq "every generated query passes the Kusto language service" 0 $?
expect_contains "all of them were checked" "queries checked, 0 errors" "$out"
count=$(cat "$tmp"/q*.kql | grep -c '^// kubeblame ')
expect_eq "the checker saw every query" "$count queries checked, 0 errors" "$(echo "$out" | tail -1)"
echo "$out" | grep -v ' 0 errors$' | head -20

# The check can fail: a query that names a column AKSAudit does not have.
printf '// broken\nAKSAudit\n| where Verbb == "list"\n| count\n' > "$tmp/broken.kql"
broken=$(node tests/kql/check_kql.js "$package" "$tmp/broken.kql")
expect_eq "a broken query fails the check" 1 $?
expect_contains "the diagnostic names the column" "The name 'Verbb' does not refer to any known column" "$broken"
finish
