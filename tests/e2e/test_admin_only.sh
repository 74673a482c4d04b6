#!/usr/bin/env bash
# Admin-only exports: AKSAuditAdmin rows (their Type column) and kube-audit-admin records hold
# every audit event except get and list, so a top-talker list read from them has no read load.
# Every report says so, once, for each shape that carries the table or category: az -o json,
# REST, portal CSV, AzureDiagnostics, Storage (PT1H.json) and Event Hub. The same writes read
# from AKSAudit / kube-audit give no such warning.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$tmp" <<'EOF'
import csv, json, sys
out = sys.argv[1]
# Three writes, as an admin-only export holds them (no get, no list); audit IDs differ by file.
def writes_of(tag):
    return [(tag + "-1", "update", "2025-02-25T09:19:25.391Z"), (tag + "-2", "patch", "2025-02-25T09:19:26.5Z"),
            (tag + "-3", "create", "2025-02-25T09:19:27Z")]
def event(audit_id, verb, time):
    return {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": audit_id,
            "stage": "ResponseComplete", "verb": verb, "requestURI": "/api/v1/namespaces/a/configmaps/c",
            "user": {"username": "system:serviceaccount:argocd:argocd-application-controller"},
            "userAgent": "argocd-application-controller/v2.9.3", "objectRef": {"resource": "configmaps"},
            "responseStatus": {"code": 200}, "requestReceivedTimestamp": time, "stageTimestamp": time}

for table in ("AKSAuditAdmin", "AKSAudit"):
    writes = writes_of(table + "-az")
    rows = [{"TableName": "PrimaryResult", "Type": table, "AuditId": a, "Verb": v,
             "RequestUri": "/api/v1/namespaces/a/configmaps/c", "Stage": "ResponseComplete",
             "UserAgent": "argocd-application-controller/v2.9.3", "ResponseStatus": "{\"code\":200}",
             "RequestReceivedTime": t, "TimeGenerated": t} for a, v, t in writes]
    with open("%s/%s-az.json" % (out, table), "w") as f:
        json.dump(rows, f, indent=2)
    columns = ["TimeGenerated", "AuditId", "Verb", "RequestUri", "Type"]
    writes = writes_of(table + "-rest")
    with open("%s/%s-rest.json" % (out, table), "w") as f:
        json.dump({"tables": [{"name": "PrimaryResult",
                               "columns": [{"name": c, "type": "datetime" if c == "TimeGenerated" else "string"}
                                           for c in columns],
                               "rows": [[t, a, v, "/api/v1/namespaces/a/configmaps/c", table]
                                        for a, v, t in writes]}]}, f, indent=1)
    writes = writes_of(table + "-csv")
    with open("%s/%s-portal.csv" % (out, table), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["TimeGenerated [UTC]", "AuditId", "Verb", "RequestUri", "Type"])
        for i, (a, v, _) in enumerate(writes):
            writer.writerow(["2/25/2025, 9:19:%02d.000 AM" % (25 + i), a, v, "/api/v1/pods", table])

for category in ("kube-audit-admin", "kube-audit"):
    writes = writes_of(category + "-diag")
    with open("%s/%s-diagnostics.json" % (out, category), "w") as f:
        json.dump([{"Category": category, "Type": "AzureDiagnostics", "TimeGenerated": t,
                    "log_s": json.dumps(event(a, v, t))} for a, v, t in writes], f, indent=2)
    writes = writes_of(category + "-storage")
    records = [{"category": category, "operationName": "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read",
                "properties": {"log": json.dumps(event(a, v, t)) + "\n", "stream": "stdout", "pod": "kube-apiserver-1"},
                "resourceId": "/SUBSCRIPTIONS/X", "time": t} for a, v, t in writes]
    with open("%s/%s-PT1H.json" % (out, category), "w") as f:
        f.write("".join(json.dumps(r) + "\n" for r in records))
    writes = writes_of(category + "-hub")
    with open("%s/%s-eventhub.json" % (out, category), "w") as f:
        json.dump({"records": [dict(r, properties=dict(r["properties"], log=json.dumps(event(a, v, t))))
                               for r, (a, v, t) in zip(records, writes)]}, f)
EOF

table_warning="3 audit events come from the AKSAuditAdmin table, which AKS fills with every audit event except get and list: get and list requests are not in this input, so read load is not shown; export the AKSAudit table for the reads"
category_warning="3 audit events come from the kube-audit-admin diagnostic category, which AKS fills with every audit event except get and list: get and list requests are not in this input, so read load is not shown; send the kube-audit category to the diagnostic setting's destination for the reads"

# input FILE...: "formats | events | warnings" of `top -f json`.
input() {
  "$bin" top -f json "$@" | python3 -c '
import json, sys
i = json.load(sys.stdin)["input"]
print("%s | %d | %s" % (",".join(i["formats"]), i["events"], "\n".join(i["warnings"])))'
}

for shape in az.json:aksaudit-az-json rest.json:aksaudit-rest portal.csv:aksaudit-csv; do
  suffix=${shape%%:*} format=${shape#*:}
  expect_eq "AKSAuditAdmin $format warns" "$format | 3 | $table_warning" \
    "$(input "$tmp/AKSAuditAdmin-$suffix")"
  expect_eq "AKSAudit $format does not warn" "$format | 3 | " "$(input "$tmp/AKSAudit-$suffix")"
done
for shape in diagnostics.json:azurediagnostics-az-json PT1H.json:azure-storage eventhub.json:azure-eventhub; do
  suffix=${shape%%:*} format=${shape#*:}
  expect_eq "kube-audit-admin $format warns" "$format | 3 | $category_warning" \
    "$(input "$tmp/kube-audit-admin-$suffix")"
  expect_eq "kube-audit $format does not warn" "$format | 3 | " "$(input "$tmp/kube-audit-$suffix")"
done

# Both kinds in one run: one warning each, counting only the admin-only events; any split.
both="${table_warning/3 audit/9 audit}
${category_warning/3 audit/9 audit}"
expect_eq "every admin-only shape at once, -j 2" "$both" \
  "$("$bin" top -f json -j 2 --chunk-size 256 "$tmp"/AKSAuditAdmin-* "$tmp"/kube-audit-admin-* \
     | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["input"]["warnings"]))')"

# Every report says it, in every format (CSV on stderr), filters or not.
for command in top errors fights timeline report; do
  out=$("$bin" "$command" -f json --since 2025-02-25T09:19:26Z "$tmp/AKSAuditAdmin-az.json" 2>/dev/null)
  expect_contains "$command json names the admin-only table" "\"$table_warning\"" "$out"
done
for format in table markdown; do
  out=$("$bin" report -f "$format" "$tmp/kube-audit-admin-PT1H.json")
  expect_eq "report $format shows the warning once" 1 "$(printf '%s\n' "$out" | grep -c 'kube-audit-admin diagnostic category')"
done
expect_eq "csv puts the warning on stderr" "kubeblame: warning: $table_warning" \
  "$("$bin" top -f csv "$tmp/AKSAuditAdmin-rest.json" 2>&1 >/dev/null)"
finish
