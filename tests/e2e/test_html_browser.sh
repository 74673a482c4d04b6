#!/usr/bin/env bash
# `kubeblame report --format html` in a real browser: headless Chromium renders the incident
# report to PNG and PDF and dumps the DOM; the page must load without console messages (the
# page's Content-Security-Policy turns any script or fetch into one), show the key numbers,
# and produce a real image and a real PDF. A page with a broken inline script proves the
# console check can fail. Skipped (exit 77) without chromium.
source "$(dirname "$0")/lib.sh"
bin=$1

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (apt-get install -y --no-install-recommends chromium)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Chromium's own noise on a machine without D-Bus, GPU or a desktop session, the Debian
# wrapper script's complaint, and its internal IPC between its own processes ("Message N rejected
# by interface blink.mojom.FrameWidgetHost" from mojo/public/cpp/bindings, seen once in CI on a
# loaded machine as headless Chromium tore a frame down): anything else it logs counts, and page
# errors come as CONSOLE, Uncaught, CSP or failed-load lines whatever the process.
noise='ERROR:mojo/public/cpp/bindings/|ERROR:dbus/|WARNING:dbus/|WARNING:device/bluetooth/|WARNING:media/gpu/|WARNING:sandbox/policy/|WARNING:ui/base/idle/|/usr/bin/chromium: [0-9]+: \[: .*unexpected operator|bytes written to file|Written to file'

# run_browser LOG ARG...: one headless run with its own profile, stderr logged to LOG.
run_browser() {
  local log=$1
  shift
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@" 2>"$log"
}

# console_problems LOG: console messages, uncaught exceptions, blocked or failed loads and
# errors, after the known noise is dropped (prints them; empty when the page is clean).
console_problems() {
  grep -Ev "$noise" "$1" | grep -E 'CONSOLE|Uncaught|Refused to|violates the following Content Security|Failed to load|net::ERR_|:ERROR:|:FATAL:' || true
}

"$bin" report --format html samples/incident/ > "$tmp/report.html" 2>/dev/null
expect_eq "report --format html: exit 0" 0 $?
html=$(cat "$tmp/report.html")
# Nothing in the page may reach out: no src/href other than in-page anchors, no CSS url().
external=$(grep -Eo '(src|href)="[^#][^"]*"|url\(|@import' "$tmp/report.html" | head -3)
expect_eq "page references nothing outside itself" "" "$external"

run_browser "$tmp/dom.log" --dump-dom "file://$tmp/report.html" > "$tmp/dom.html"
expect_eq "dump-dom: exit 0" 0 $?
dom=$(cat "$tmp/dom.html")
expect_eq "no console errors or failed loads" "" "$(console_problems "$tmp/dom.log")"
expect_contains "DOM: total requests" '<span class="n">2,021</span><span class="l">requests</span>' "$dom"
expect_contains "DOM: top agent and its count" '<tr><td class="key">kubelet</td><td class="num">908</td>' "$dom"
expect_contains "DOM: timeline legend" '<span class="sw s0"></span>kubelet <span class="muted">908</span>' "$dom"
expect_contains "DOM: the fight's object" \
  '<code>customresourcedefinitions.apiextensions.k8s.io/subscriptions.dapr.io</code>' "$dom"
expect_contains "DOM: an error signature" \
  '<code>500: conversion webhook for &lt;group&gt;/&lt;version&gt;, Kind=&lt;kind&gt; failed: &lt;cause&gt;</code>' "$dom"
svgs=$(grep -o '<svg class="chart' "$tmp/dom.html" | wc -l)
expect_eq "DOM: three charts (timeline, cost, where the time went)" 3 "$svgs"
expect_contains "DOM: the time split's legend" \
  '<li><span class="sw s0"></span>etcd</li><li><span class="sw s1"></span>admission webhooks</li>' "$dom"
expect_contains "DOM: argocd's etcd seconds in the stacked bar" \
  '<title>argocd-application-controller list pods: etcd 15.24 s</title>' "$dom"

run_browser "$tmp/png.log" --window-size=1280,2000 --screenshot="$tmp/report.png" "file://$tmp/report.html" > /dev/null
expect_eq "screenshot: no console errors" "" "$(console_problems "$tmp/png.log")"
expect_eq "PNG signature" "89504e470d0a1a0a" "$(head -c 8 "$tmp/report.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')"
png_size=$(stat -c %s "$tmp/report.png" 2>/dev/null || echo 0)
check "PNG is a real render (> 50 KB: $png_size bytes)" $([ "$png_size" -gt 50000 ] && echo 0 || echo 1)

run_browser "$tmp/pdf.log" --no-pdf-header-footer --print-to-pdf="$tmp/report.pdf" "file://$tmp/report.html" > /dev/null
expect_eq "print: no console errors" "" "$(console_problems "$tmp/pdf.log")"
expect_eq "PDF header" "%PDF-" "$(head -c 5 "$tmp/report.pdf" 2>/dev/null)"
# The page tree's /Count is the number of pages (the PDF is uncompressed at that level).
pages=$(grep -a -o '/Count [0-9]*' "$tmp/report.pdf" 2>/dev/null | grep -o '[0-9]*$' | sort -n | tail -1)
check "PDF has pages (${pages:-0}; one section per page after the overview)" $([ "${pages:-0}" -ge 5 ] && echo 0 || echo 1)

# Hostile strings from a log stay text in a real browser: no element, no script, no console line.
python3 - "$tmp/hostile.log" <<'PY'
import json, sys
event = json.loads(open("samples/incident/audit.log").readline())
event["userAgent"] = '<script>console.error("pwned")</script><img src=x onerror="console.error(1)">\u001b[31m'
event["user"]["username"] = "\"'><svg onload=console.error(2)>"
event["objectRef"]["name"] = "]]><iframe src=javascript:alert(3)>"
open(sys.argv[1], "w").write(json.dumps(event) + "\n")
PY
"$bin" report --format html "$tmp/hostile.log" > "$tmp/hostile.html" 2>/dev/null
run_browser "$tmp/hostile.log.err" --dump-dom "file://$tmp/hostile.html" > "$tmp/hostile.dom"
expect_eq "hostile input: no console output" "" "$(console_problems "$tmp/hostile.log.err")"
elements=$(grep -Eoi '<(script|img|iframe)|<svg onload' "$tmp/hostile.dom" | head -3)
expect_eq "hostile input: no element made from it" "" "$elements"
expect_contains "hostile input: shown as text" '&lt;script&gt;console.error("pwned")&lt;' "$(cat "$tmp/hostile.dom")"

# The anatomy sections: webhooks with the failing-open finding, the APF view with the AKS guard.
"$bin" report --format html samples/anatomy/audit.jsonl samples/anatomy/kube-apiserver.log > "$tmp/anatomy.html" 2>/dev/null
run_browser "$tmp/anatomy.log" --dump-dom "file://$tmp/anatomy.html" > "$tmp/anatomy.dom"
expect_eq "anatomy: no console output" "" "$(console_problems "$tmp/anatomy.log")"
anatomy=$(cat "$tmp/anatomy.dom")
expect_contains "anatomy: spark's webhook seconds" \
  '<title>spark-operator create pods: admission webhooks 103.03 s</title>' "$anatomy"
expect_contains "anatomy: the failing-open webhook" \
  'webhook validate.kyverno.svc-fail failed open on 10 calls;' "$anatomy"
expect_contains "anatomy: the guard's row" \
  '<td class="key">aks-managed-apiserver-guard</td><td class="key">aks-managed-apiserver-guard</td><td class="num">104</td><td class="num">28.6%</td><td class="num">24</td><td class="num">24</td>' "$anatomy"
expect_contains "anatomy: the guard finding" \
  "flow schema throttled 24 of its 104 requests (429)" "$anatomy"

# Hostile webhook and flow-schema names stay text too.
python3 - "$tmp/hostile-anatomy.jsonl" "$tmp/hostile-http.log" <<'PY'
import json, sys
line = next(l for l in open("samples/anatomy/audit.jsonl") if "kyverno" in l)
event = json.loads(line)
event["annotations"]["failed-open.validating.webhook.admission.k8s.io/round_0_index_0"] = '<img src=x onerror="console.error(5)">'
open(sys.argv[1], "w").write(json.dumps(event) + "\n")
http = next(l for l in open("samples/anatomy/kube-apiserver.log") if event["auditID"] in l)
http = http.replace('apf_fs="aks-managed-apiserver-guard"', 'apf_fs="<script>console.error(6)</script>"')
open(sys.argv[2], "w").write(http)
PY
"$bin" report --format html "$tmp/hostile-anatomy.jsonl" "$tmp/hostile-http.log" > "$tmp/hostile-anatomy.html" 2>/dev/null
run_browser "$tmp/hostile-anatomy.err" --dump-dom "file://$tmp/hostile-anatomy.html" > "$tmp/hostile-anatomy.dom"
expect_eq "hostile anatomy: no console output" "" "$(console_problems "$tmp/hostile-anatomy.err")"
elements=$(grep -Eoi '<(script|img)' "$tmp/hostile-anatomy.dom" | head -3)
expect_eq "hostile anatomy: no element made from it" "" "$elements"
expect_contains "hostile anatomy: the webhook shown as text" '&lt;img src=x onerror="console.error(5)"&gt;' "$(cat "$tmp/hostile-anatomy.dom")"
expect_contains "hostile anatomy: the flow schema shown as text" '<td class="key">&lt;script&gt;console.<wbr>error(6)&lt;/<wbr>script&gt;</td>' "$(cat "$tmp/hostile-anatomy.dom")"

# The check itself must be able to fail: a page with a broken inline script.
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>broken</title></head><body><p>x</p><script>no_such_function();</script></body></html>\n' > "$tmp/broken.html"
run_browser "$tmp/broken.log" --dump-dom "file://$tmp/broken.html" > /dev/null
expect_contains "a broken script is caught" "Uncaught ReferenceError: no_such_function is not defined" \
  "$(console_problems "$tmp/broken.log")"

finish
