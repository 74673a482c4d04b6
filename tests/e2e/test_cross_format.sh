#!/usr/bin/env bash
# The same requests in every supported format give identical `top` rows (CSV has no footer, so
# it compares exactly the rows: keys, counts, errors, latency percentiles, cost, first/last).
source "$(dirname "$0")/lib.sh"
bin=$1
args=(top --by agent,user,verb,resource,namespace,name,code,source_ip --top 0 -f csv)
reference=$("$bin" "${args[@]}" samples/formats/audit.jsonl 2>/dev/null)
rows=$(printf '%s\n' "$reference" | wc -l)
check "reference has many rows ($rows)" $([ "$rows" -gt 50 ]; echo $?)
for file in samples/formats/*; do
  case "$file" in *.md) continue ;; esac
  out=$("$bin" "${args[@]}" "$file" 2>/dev/null)
  if [ "$out" = "$reference" ]; then echo "ok   $file"; else
    echo "FAIL $file differs from audit.jsonl"; diff <(echo "$reference") <(echo "$out") | head -6; fail=1; fi
  # Also through stdin, where detection sees the same bytes without a file name.
  out=$("$bin" "${args[@]}" < "$file" 2>/dev/null)
  if [ "$out" = "$reference" ]; then echo "ok   stdin < $file"; else echo "FAIL stdin < $file differs"; fail=1; fi
done

# Control-plane logs: the same kube-apiserver, controller-manager and scheduler lines exported as
# AKSControlPlane rows (az -o json, REST, portal CSV) and as storage-account records give
# identical `errors` rows at every level (CSV: rows only; the footer names the formats).
for level in error warning info; do
  cp_args=(errors --level "$level" --top 0 -f csv)
  cp_reference=$("$bin" "${cp_args[@]}" samples/controlplane/akscontrolplane-az.json 2>/dev/null)
  cp_rows=$(printf '%s\n' "$cp_reference" | wc -l)
  check "control-plane reference at --level $level has rows ($cp_rows)" $([ "$cp_rows" -gt 5 ]; echo $?)
  for file in samples/controlplane/akscontrolplane-rest.json samples/controlplane/akscontrolplane-portal.csv \
              samples/controlplane/storage-kube-apiserver-PT1H.json; do
    out=$("$bin" "${cp_args[@]}" "$file" 2>/dev/null)
    if [ "$out" = "$cp_reference" ]; then echo "ok   errors --level $level $file"; else
      echo "FAIL errors --level $level: $file differs from akscontrolplane-az.json"
      diff <(echo "$cp_reference") <(echo "$out") | head -6; fail=1; fi
  done
done
finish
