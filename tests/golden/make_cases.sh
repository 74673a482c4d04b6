#!/usr/bin/env bash
# Creates the golden case directories (args files) for every sample and every --format, plus
# a few named scenarios. Run from the repository root, then `UPDATE_GOLDEN=1 ctest -R golden`
# to (re)write the expected outputs, and review the diff.
set -eu
cd "$(dirname "$0")/../.."
make_case() {  # make_case NAME ARG...
  local dir="tests/golden/$1"; shift
  mkdir -p "$dir"
  printf '%s\n' "$@" > "$dir/args"
}
make_env() {  # make_env NAME NAME=VALUE...: environment of the case's run
  local dir="tests/golden/$1"; shift
  printf '%s\n' "$@" > "$dir/env"
}
formats=(table markdown json csv)
for file in samples/formats/* samples/incident/* samples/damaged/audit-damaged.jsonl; do
  base=$(basename "$file"); base=${base%%.*}
  group=$(basename "$(dirname "$file")")
  for format in "${formats[@]}"; do
    make_case "$group-$base-$format" top --by agent,verb,resource --format "$format" "$file"
  done
done
make_case incident-readme top --by agent,verb,resource --top 8 samples/incident/
make_case incident-by-user-cost top --by user --sort cost --top 10 samples/incident/
make_case incident-errors-by-agent-code top --by agent,code --sort errors samples/incident/
make_case incident-objects top --by object,verb --top 15 samples/incident/audit.log
make_case incident-namespace-p99 top --by namespace --sort p99 --format markdown samples/incident/
make_case formats-identity-csv top --by user,impersonated_user,source_ip --top 0 --format csv samples/formats/audit.jsonl
make_case damaged-all-rows top --by user_agent,name,code --top 0 samples/damaged/audit-damaged.jsonl
make_case damaged-strict top --strict samples/damaged/audit-damaged.jsonl
make_case damaged-storage-cut-table top samples/damaged/storage-cut-PT1H.json
make_case damaged-storage-cut-json top --format json samples/damaged/storage-cut-PT1H.json
make_case stdin-incident top --by agent --format json -
echo samples/incident/audit.log > tests/golden/stdin-incident/stdin
# errors: audit-derived (incident), control-plane logs in every export shape, levels, the dimension
for format in "${formats[@]}"; do
  make_case "errors-incident-$format" errors --format "$format" samples/incident/
  make_case "errors-controlplane-az-$format" errors --format "$format" samples/controlplane/akscontrolplane-az.json
done
for file in samples/controlplane/akscontrolplane-rest.json samples/controlplane/akscontrolplane-portal.csv \
            samples/controlplane/storage-kube-apiserver-PT1H.json samples/controlplane/kube-apiserver.log; do
  base=$(basename "$file"); base=${base%%.*}
  make_case "errors-controlplane-$base-json" errors --format json "$file"
done
make_case errors-controlplane-warning errors --level warning --top 0 samples/controlplane/kube-apiserver.log
make_case errors-controlplane-info-csv errors --level info --top 0 --format csv samples/controlplane/akscontrolplane-az.json
make_case errors-mixed errors --top 5 samples/incident/audit.log samples/controlplane/kube-apiserver.log samples/formats/azurediagnostics-az.json
make_case top-by-error-agent top --by error,agent --top 10 samples/incident/
make_case top-controlplane-only top samples/controlplane/kube-apiserver.log
# fights: the incident's ArgoCD / Dapr operator fight in every format, thresholds, redaction
for format in "${formats[@]}"; do
  make_case "fights-incident-$format" fights --format "$format" samples/incident/
done
make_case fights-incident-strict-thresholds fights --min-flips 300 --min-conflicts 100 samples/incident/
make_case fights-incident-redacted fights --redact-key golden samples/incident/audit.log
make_case top-redacted top --by user,namespace,source_ip --redact-key golden --top 8 samples/incident/
if [ -d samples/fights ]; then
  for file in samples/fights/*.json samples/fights/*.jsonl; do
    base=$(basename "$file"); base=${base%%.*}
    for format in table json; do
      make_case "fights-$base-$format" fights --top 0 --format "$format" "$file"
    done
  done
fi
# report: the incident document (audit + control-plane logs in one run)
make_case report-incident-markdown report --format markdown samples/incident/
make_case report-incident-json report --format json samples/incident/
make_case report-incident-table report --format table samples/incident/
make_case report-mixed-markdown report --format markdown samples/incident/ samples/controlplane/akscontrolplane-az.json
make_case report-incident-redacted report --format markdown --redact-key golden samples/incident/
make_case report-incident-html report --format html samples/incident/
make_case report-fights-html report --format html samples/fights/fight-with-bodies.jsonl samples/fights/fight-aksaudit-az.json
# duplicates: the same file twice, an AKSAudit export and a storage archive of one window, and
# --keep-duplicates counting every copy
make_case duplicates-same-file-table top --by agent,verb,resource samples/formats/audit.jsonl samples/formats/audit.jsonl
make_case duplicates-aksaudit-storage-json top --by agent,verb,resource --format json samples/formats/aksaudit-az.json samples/formats/storage-PT1H.json
make_case duplicates-kept-json top --by agent,verb,resource --format json --keep-duplicates samples/formats/aksaudit-az.json samples/formats/storage-PT1H.json
# timeline: requests per interval (auto, and an explicit --interval with two dimensions)
for format in "${formats[@]}"; do
  make_case "timeline-incident-$format" timeline --format "$format" samples/incident/
done
make_case timeline-incident-interval-agent-verb timeline --by agent,verb --interval 10m --top 6 samples/incident/
make_case timeline-incident-interval-agent-verb-csv timeline --by agent,verb --interval 30m --format csv samples/incident/audit.log
make_case timeline-interval-too-fine timeline --interval 1s samples/incident/audit.log samples/fights/fight-without-bodies.jsonl
# filters: --where on a code range with an absolute --since; a relative window on stdin.
for format in table json; do
  make_case "filters-top-errors-since-$format" top --by agent,code --where 'code>=400' --since 2025-02-25T10:00:00Z --format "$format" samples/incident/audit.log
done
make_case filters-stdin-relative top --by agent,verb --since 45m --where 'agent!=kubelet' --where 'verb~[lw]*' -
echo samples/incident/audit.log > tests/golden/filters-stdin-relative/stdin
# terminal width: $COLUMNS without a terminal; keys shortened in the middle, footers wrapped
for columns in 80 60; do
  make_case "width-$columns-top" top --by agent,verb,resource samples/incident/
  make_case "width-$columns-errors" errors samples/incident/
  make_case "width-$columns-fights" fights samples/incident/
  make_case "width-$columns-report" report samples/incident/
  for name in top errors fights report; do make_env "width-$columns-$name" "COLUMNS=$columns"; done
done
# report on control-plane log lines only: the audit sections are left out, and the input says why
for format in table markdown json html; do
  make_case "report-controlplane-only-$format" report --format "$format" samples/controlplane/kube-apiserver.log
done
