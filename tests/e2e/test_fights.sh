#!/usr/bin/env bash
# `kubeblame fights` on the samples: the incident's fight ranks first with both writers and an
# ArgoCD hint whose YAML parses (PyYAML, when installed) and names the right group, kind, name
# and paths; every YAML hint of every sample parses; decoys never appear; all formats render.
source "$(dirname "$0")/lib.sh"
bin=$1

incident=$("$bin" fights -f json samples/incident 2>/dev/null)
check "incident: exit 0" $?
expect_contains "incident: the CRD fight" \
  '"kind":"fight","object":"customresourcedefinitions.apiextensions.k8s.io/subscriptions.dapr.io"' "$incident"
expect_contains "incident: writers" '"writer":"argocd-controller"' "$incident"
expect_contains "incident: operator unified" '"writer":"dapr-operator","user":"system:serviceaccount:dapr-system:dapr-operator","agent":"dapr-operator","writes":113,"conflicts":15' "$incident"
expect_contains "incident: contested namespace" \
  '{"path":".spec.conversion.webhook.clientConfig.service.namespace","values":[{"writer":"argocd-controller","value":"\"replaceme\""},{"writer":"dapr-operator","value":"\"dapr-system\""}]}' "$incident"
for decoy in '"object":"leases' '/status/' '"object":"applications.argoproj.io'; do
  case "$incident" in *"$decoy"*) echo "FAIL incident: decoy $decoy reported"; fail=1 ;; *) echo "ok   incident: no $decoy" ;; esac
done

bodies=$("$bin" fights -f json samples/fights/fight-with-bodies.jsonl 2>/dev/null)
expect_contains "sample: Flux vs HPA first" '"rows":[{"kind":"fight","object":"deployments.apps/shop/web"' "$bodies"
case "$bodies" in *'deployments.apps/shop/api'*) echo "FAIL sample: the HPA/kubectl handoff is reported"; fail=1 ;;
  *) echo "ok   sample: the handoff is not a fight" ;; esac
without=$("$bin" fights -f json samples/fights/fight-without-bodies.jsonl 2>/dev/null)
expect_contains "sample without bodies: still found" \
  '"object":"deployments.apps/shop/web","resource":"deployments.apps"' "$without"
expect_contains "sample without bodies: bodies=false" '"fields":[],"fields_omitted":0,"bodies":false' "$without"

for format in table markdown csv; do
  out=$("$bin" fights -f "$format" samples/incident samples/fights 2>/dev/null)
  check "format $format: exit 0" $?
  expect_contains "format $format: names the CRD" "subscriptions.dapr.io" "$out"
done
markdown=$("$bin" fights -f markdown samples/incident 2>/dev/null)
expect_contains "markdown: yaml fence" $'```yaml\n# ArgoCD (argocd-controller)' "$markdown"

# PyYAML comes from Debian (python3-yaml, installed by .ci/setup) for /usr/bin/python3; another
# python3 earlier in PATH may lack it.
py=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import yaml' 2>/dev/null; then py=$candidate; break; fi
done
if [ -n "$py" ]; then
  printf '%s\n' "$incident" | "$py" -c '
import json, sys, yaml
row = json.load(sys.stdin)["rows"][0]
doc = yaml.safe_load(row["hint"])
entry = doc["spec"]["ignoreDifferences"][0]
assert entry["group"] == "apiextensions.k8s.io", entry
assert entry["kind"] == "CustomResourceDefinition", entry
assert entry["name"] == "subscriptions.dapr.io", entry
assert entry["jqPathExpressions"] == [".spec.conversion.webhook.clientConfig.caBundle",
                                      ".spec.conversion.webhook.clientConfig.service.namespace"], entry
assert doc["spec"]["syncPolicy"]["syncOptions"] == ["RespectIgnoreDifferences=true"]
'
  check "incident: the ArgoCD hint parses as YAML and names group/kind/name/paths" $?
  for input in samples/incident samples/fights/fight-with-bodies.jsonl samples/fights/fight-without-bodies.jsonl \
               samples/fights/fight-aksaudit-az.json; do
    "$bin" fights -f json --top 0 "$input" 2>/dev/null | "$py" -c '
import json, sys, yaml
for row in json.load(sys.stdin)["rows"]:
    if row["hint"].startswith("#"):
        assert isinstance(yaml.safe_load(row["hint"]), dict), row["object"]
'
    check "every YAML hint parses: $input" $?
  done
else
  echo "skip YAML parsing (python3 with PyYAML not installed)"
fi
finish
