#!/usr/bin/env bash
# --redact: no user, namespace, object name or IP of the samples survives in any report or
# format; hashes are stable for one --redact-key (and KUBEBLAME_REDACT_KEY), differ between keys;
# user agents keep their product; the numbers do not change.
source "$(dirname "$0")/lib.sh"
bin=$1
in=samples/incident/
run() { "$bin" "$@" 2>/dev/null; }

all=""
for format in table markdown json csv; do
  all+=$(run top --by user,impersonated_user,namespace,name,object,source_ip,user_agent --top 0 --format "$format" --redact-key k1 "$in")
  all+=$(run errors --level info --top 0 --format "$format" --redact-key k1 "$in" samples/formats/azurediagnostics-az.json)
  all+=$(run top --by user,namespace,name,source_ip --top 0 --format "$format" --redact-key k1 samples/formats/)
  all+=$(run fights --top 0 --format "$format" --redact-key k1 "$in")
done
# Names, namespaces, users and IPs the samples contain (see samples/README.md).
for secret in alice bob carol "dapr-system" "argocd-cm" "/subscriptions.dapr.io" "platform" \
              "system:serviceaccount:argocd" "system:serviceaccount:dev" "aks-nodepool1" \
              "10.244." "10.224." "172.31." "replaceme"; do
  case "$all" in
    *"$secret"*) echo "FAIL redacted output still contains '$secret'"; fail=1 ;;
    *) echo "ok   '$secret' redacted" ;;
  esac
done
expect_contains "agents keep their product" "argocd-application-controller/h-" "$all"
expect_contains "users become user-<hash>" "user-" "$all"
expect_contains "built-in namespaces stay" "kube-system" "$all"
# Fights keep the contested paths, not the values writers set.
expect_contains "contested paths stay" ".spec.conversion.webhook.clientConfig.service.namespace" "$all"
expect_contains "field values become value-<hash>" "value-" "$all"
for value in '"dapr-system"' 'Cg=='; do
  case "$all" in *"$value"*) echo "FAIL field value $value survives --redact"; fail=1 ;; *) echo "ok   field value $value redacted" ;; esac
done

a=$(run top --by user,object --top 0 --format csv --redact-key k1 "$in")
b=$(KUBEBLAME_REDACT_KEY=k1 run top --by user,object --top 0 --format csv --redact "$in")
c=$(run top --by user,object --top 0 --format csv --redact-key k2 "$in")
expect_eq "same key, same hashes (flag and environment)" "$a" "$b"
[ "$a" != "$c" ]; check "another key, other hashes" $?
plain=$(run top --by verb,code --format csv "$in")
redacted=$(run top --by verb,code --format csv --redact "$in")
expect_eq "counts are unchanged by --redact" "$plain" "$redacted"
finish
