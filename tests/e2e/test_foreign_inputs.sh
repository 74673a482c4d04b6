#!/usr/bin/env bash
# Inputs that are not audit logs are named by what they look like (docs/formats.md, "What is not
# read"); Log Analytics rows of other tables are labelled by their shape; Azure Arc tables are read
# like their AKS counterparts and labelled as such.
source "$(dirname "$0")/lib.sh"
bin=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
accepted="kubeblame: warning: kubeblame reads Kubernetes audit logs (JSON lines, arrays, EventList), Log Analytics exports of AKSAudit, AKSAuditAdmin, AKSControlPlane, AzureDiagnostics and their Arc tables (az -o json, REST, portal CSV), Azure diagnostic archives (Storage, Event Hub), EKS CloudWatch Logs exports, GKE Cloud Audit Logs and kube-apiserver log text; see docs/formats.md"

cat >"$tmp/audit.log" <<'LOG'
type=DAEMON_START msg=audit(1740470400.123:4512): op=start ver=3.0.9 format=enriched kernel=6.1.0-18-amd64 auid=4294967295 pid=612 uid=0 ses=4294967295 subj=unconfined  res=success
type=SYSCALL msg=audit(1740470401.200:4513): arch=c000003e syscall=59 success=yes exit=0 items=2 ppid=1 pid=700 auid=0 uid=0 comm="bash" exe="/usr/bin/bash" key=(null)
type=EXECVE msg=audit(1740470401.200:4513): argc=1 a0="bash"
LOG
printf '%s\n' '[{"Computer":"node1","CounterName":"% Processor Time","CounterValue":"12.5","TimeGenerated":"2025-02-25T09:00:00Z","Type":"Perf"},' \
  '{"Computer":"node2","CounterName":"% Processor Time","CounterValue":"7.5","TimeGenerated":"2025-02-25T09:00:00Z","Type":"Perf"}]' >"$tmp/perf.json"
printf '%s\n' '{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"Computer","type":"string"},{"name":"Type","type":"string"}],"rows":[["2025-02-25T09:00:00Z","node1","Heartbeat"],["2025-02-25T09:01:00Z","node1","Heartbeat"]]}]}' >"$tmp/heartbeat-rest.json"
printf '%s\n' '{"name":"x","values":[1,2,3]}' '{"name":"y","values":[4]}' >"$tmp/other.json"

# run NAME FILE...: exit code and stderr of `top`
run() {
  "$bin" top "$@" >"$tmp/out" 2>"$tmp/err"
  echo "exit $?"
  cat "$tmp/err"
}
expect_eq "an auditd log is named as one" "exit 1
kubeblame: warning: no audit events found in the input
kubeblame: warning: $tmp/audit.log looks like a Linux auditd log (\`type=… msg=audit(…)\` lines), not a Kubernetes audit log: none of its 3 records could be read
$accepted" "$(run "$tmp/audit.log")"
expect_contains "... and in the report's footer" \
  "warning: $tmp/audit.log looks like a Linux auditd log" "$(cat "$tmp/out")"

expect_eq "Log Analytics rows of another table name the table" "exit 1
kubeblame: warning: no audit events found in the input
kubeblame: warning: $tmp/perf.json looks like rows of the Log Analytics table Perf, which holds no audit events or control-plane log lines: none of its 2 records could be read
$accepted" "$(run "$tmp/perf.json")"

expect_eq "a REST response of another table names its columns" "exit 1
kubeblame: warning: no audit events found in the input
kubeblame: warning: $tmp/heartbeat-rest.json looks like a Log Analytics query response whose table (columns TimeGenerated, Computer, Type) holds no audit events or control-plane log lines: none of its 2 records could be read
$accepted" "$(run "$tmp/heartbeat-rest.json")"

"$bin" top --format json "$tmp/heartbeat-rest.json" "$tmp/perf.json" >"$tmp/out.json" 2>/dev/null
expect_eq "... labelled by their shape, not as AKSAudit rows" \
  '{"log-analytics-az-json": 2, "log-analytics-rest": 2}' \
  "$(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["input"]["formats"], sort_keys=True))' "$tmp/out.json")"

expect_eq "other JSON on stdin names its keys" "kubeblame: warning: no audit events found in the input
kubeblame: warning: <stdin> looks like JSON, but not audit events or a known export (the first record's keys: name, values): none of its 2 records could be read
$accepted
exit 1" "$("$bin" top - <"$tmp/other.json" 2>&1 >/dev/null; echo "exit $?")"

# Next to real audit events: a named foreign file is a footer warning (exit 0); a README found in
# a directory is only counted.
mkdir "$tmp/dir"
cp "$root/samples/formats/audit.jsonl" "$tmp/dir/"
printf '# notes\nthese are the logs of the 25th\n' >"$tmp/dir/README.md"
expect_eq "a named foreign input next to audit events: exit 0, nothing on stderr" "exit 0" \
  "$(run "$root/samples/formats/audit.jsonl" "$tmp/audit.log")"
expect_contains "... named in the footer" \
  "warning: $tmp/audit.log looks like a Linux auditd log (\`type=… msg=audit(…)\` lines), not a Kubernetes audit log: none of its 3 records could be read" \
  "$(cat "$tmp/out")"
expect_eq "a README in a directory of logs: exit 0, nothing on stderr" "exit 0" "$(run "$tmp/dir")"
check "... and no warning in the footer" "$(grep -c 'looks like' "$tmp/out" >/dev/null; echo $((1 - $?)))"
expect_contains "... its lines are counted as skipped" "unknown_format 2" "$(cat "$tmp/out")"

# Azure Arc: the AKS sample's rows under the Arc table names read the same, labelled as Arc.
sed 's/"Type": "AKSAudit"/"Type": "ArcK8sAudit"/' "$root/samples/formats/aksaudit-az.json" >"$tmp/arc-az.json"
sed 's/AKSControlPlane/ArcK8sControlPlane/' "$root/samples/controlplane/akscontrolplane-rest.json" >"$tmp/arc-cp-rest.json"
rows() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["rows"], sort_keys=True))'; }
formats() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d["input"]["formats"], sort_keys=True))'; }
aks=$("$bin" top --by agent,verb,resource --format json "$root/samples/formats/aksaudit-az.json")
arc=$("$bin" top --by agent,verb,resource --format json "$tmp/arc-az.json")
expect_eq "ArcK8sAudit rows give the AKSAudit rows' top" "$(rows <<<"$aks")" "$(rows <<<"$arc")"
expect_eq "... counted as arck8saudit-az-json" '{"arck8saudit-az-json": 161}' "$(formats <<<"$arc")"
arc_cp=$("$bin" errors --format json "$tmp/arc-cp-rest.json")
aks_cp=$("$bin" errors --format json "$root/samples/controlplane/akscontrolplane-rest.json")
expect_eq "ArcK8sControlPlane rows give the AKSControlPlane errors" "$(rows <<<"$aks_cp")" "$(rows <<<"$arc_cp")"
expect_eq "... counted as arck8scontrolplane-rest" '{"arck8scontrolplane-rest": 355}' "$(formats <<<"$arc_cp")"
finish
