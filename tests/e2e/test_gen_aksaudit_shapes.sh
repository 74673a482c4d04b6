#!/usr/bin/env bash
# kubeblame-gen --format aksaudit-az-json|aksaudit-rest|aksaudit-csv (the benchmark's generator,
# built next to the binary): the raw audit lines' events as AKSAudit rows, RequestReceived left
# out as AKS does. Each shape is what its exporter writes (the az and REST documents as Python's
# json writes them, the CSV as the portal does), every other event has exactly one row, and
# `kubeblame top` gives the raw lines' rows: byte for byte from az and REST, and from the portal
# CSV (whose datetimes keep milliseconds only) the same groups and counts.
. "$(dirname "$0")/lib.sh"
kb=$1
gen=$(dirname "$kb")/bench/kubeblame-gen
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$gen" --size 1M --seed 9 -o "$tmp/raw.jsonl" 2>/dev/null
for shape in aksaudit-az-json aksaudit-rest aksaudit-csv; do
  "$gen" --size 1M --seed 9 --format "$shape" -o "$tmp/$shape" 2>/dev/null
  check "kubeblame-gen --format $shape" $?
done
"$gen" --size 1M --seed 9 --format aksaudit-csv 2>/dev/null | cmp -s - "$tmp/aksaudit-csv"
check "same arguments, same bytes (aksaudit-csv to stdout)" $?

# The documents, parsed and written again as their exporters write them, and each visible event's
# columns against the raw line's.
python3 - "$tmp" <<'EOF'
import csv, io, json, sys
d = sys.argv[1]
raw = [json.loads(line) for line in open(d + "/raw.jsonl")]
visible = [e for e in raw if e["stage"] != "RequestReceived"]
assert len(visible) < len(raw), "the raw lines have RequestReceived events"
az_text = open(d + "/aksaudit-az-json", encoding="utf-8").read()
az = json.loads(az_text)
assert json.dumps(az, indent=2, sort_keys=True, ensure_ascii=False) + "\n" == az_text, "az bytes"
rest_text = open(d + "/aksaudit-rest", encoding="utf-8").read()
rest = json.loads(rest_text)
assert json.dumps(rest, separators=(",", ":"), ensure_ascii=False) == rest_text, "REST bytes"
table = rest["tables"][0]
names = [c["name"] for c in table["columns"]]
rest_rows = [dict(zip(names, r)) for r in table["rows"]]
csv_text = open(d + "/aksaudit-csv", encoding="utf-8", newline="").read()
assert csv_text.startswith("\ufeffTenantId,\"TimeGenerated [UTC]\",AuditId,"), "CSV header"
cells = list(csv.reader(io.StringIO(csv_text[1:], newline="")))
out = io.StringIO()
csv.writer(out, lineterminator="\r\n").writerows(cells)
head, body = out.getvalue().split("\r\n", 1)
head = ",".join('"%s"' % h if " " in h else h for h in head.split(","))
assert head + "\r\n" + body == csv_text[1:], "CSV bytes (RFC 4180, CRLF)"
csv_rows = [dict(zip(cells[0], r)) for r in cells[1:]]
assert len(az) == len(rest_rows) == len(csv_rows) == len(visible), "one row per visible event"

def dynamic(e, key):
    return json.dumps(e[key], separators=(",", ":")) if key in e else None

def portal(iso):  # 2025-02-25T08:00:00.004560Z -> 2/25/2025, 8:00:00.004 AM
    h = int(iso[11:13])
    return "%d/%d/%s, %d:%s.%s %s" % (int(iso[5:7]), int(iso[8:10]), iso[:4], h % 12 or 12,
                                      iso[14:19], iso[20:23], "AM" if h < 12 else "PM")

for e, a, r, c in zip(visible, az, rest_rows, csv_rows):
    want = {"AuditId": e["auditID"], "Stage": e["stage"], "Verb": e["verb"],
            "RequestUri": e["requestURI"], "UserAgent": e.get("userAgent", ""),
            "Level": e["level"], "Type": "AKSAudit",
            "RequestReceivedTime": e["requestReceivedTimestamp"],
            "StageReceivedTime": e["stageTimestamp"]}
    for key in ("objectRef", "responseStatus", "user", "sourceIPs", "requestObject",
                "responseObject", "annotations"):
        want[{"sourceIPs": "SourceIps"}.get(key, key[0].upper() + key[1:])] = dynamic(e, key)
    for key, value in want.items():
        assert r[key] == value, ("REST", key, r[key], value)
        assert a[key] == str(value), ("az", key, a[key], value)
        if key.endswith("ReceivedTime"):
            key, value = key + " [UTC]", portal(value)
        assert c[key] == ("" if value is None else value), ("CSV", key, c[key], value)
print("ok   documents as az, the REST API and the portal write them; %d rows of %d events"
      % (len(visible), len(raw)))
EOF
check "the shapes' bytes and columns" $?

top() { "$kb" top --by agent,verb,resource --top 0 "$@"; }
top --format csv "$tmp/raw.jsonl" >"$tmp/raw.csv"
grep -vF '"stage":"RequestReceived"' "$tmp/raw.jsonl" | top --format csv - >"$tmp/visible.csv"
cmp -s "$tmp/raw.csv" "$tmp/visible.csv"
check "RequestReceived events are not counted: the raw rows without them are the same" $?
for shape in aksaudit-az-json aksaudit-rest; do
  top --format csv "$tmp/$shape" >"$tmp/$shape.csv"
  cmp -s "$tmp/raw.csv" "$tmp/$shape.csv"
  check "top rows from $shape equal the raw lines' byte for byte" $?
done
format=$(top --format json "$tmp/aksaudit-csv" | python3 -c '
import json, sys
print(*(f"{k} {v}" for k, v in json.load(sys.stdin)["input"]["formats"].items()))')
lines=$(grep -cvF '"stage":"RequestReceived"' "$tmp/raw.jsonl")
expect_eq "the portal CSV's rows are read as aksaudit-csv" "aksaudit-csv $lines" "$format"
top --format json "$tmp/raw.jsonl" >"$tmp/raw.json"
top --format json "$tmp/aksaudit-csv" >"$tmp/csv.json"
python3 - "$tmp/raw.json" "$tmp/csv.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
def rows(doc):
    return {json.dumps(r["key"]): r for r in doc["rows"]}
ra, rb = rows(a), rows(b)
assert ra.keys() == rb.keys(), "the same groups"
exact = ("requests", "errors", "watches", "throttled", "traced")
for key, x in ra.items():
    y = rb[key]
    assert all(x[k] == y[k] for k in exact), (key, x, y)
    # Both times of a latency lose under a millisecond; the sketch is within 0.8% past 64 values.
    for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms"):
        assert (x[k] is None) == (y[k] is None), (key, k)
        if x[k] is not None:
            assert abs(x[k] - y[k]) <= 1 + 0.02 * max(x[k], y[k]), (key, k, x[k], y[k])
print("ok   %d groups" % len(ra))
EOF
check "top rows from the portal CSV: the raw lines' groups and counts, latencies within 1 ms" $?
finish
