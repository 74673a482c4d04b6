#!/usr/bin/env python3
"""Stand-in for Log Analytics: the result of `kubeblame kql top|timeline` on AKSAudit rows.

The Kusto engine cannot run in the tests, so this script computes, from AKSAudit rows as an
export holds them (az -o json, or the REST response), the table the printed query would return,
and writes it in the shapes kubeblame reads (az -o json, REST, portal CSV). It implements the
semantics of the query text (docs/kql.md, docs/counting.md) on its own, in Python, so that a
round trip through kubeblame's reader checks the query, the reader and the local pipeline
against each other. Python 3 standard library only.

  result_sim.py top --by agent,verb --shape az rows.json > top.json
  result_sim.py timeline --by verb --interval 5m --shape csv rows.json > timeline.csv
  result_sim.py top --by user --shape rest --split 6m --output parts/ rows.json
"""
import argparse
import calendar
import csv
import io
import json
import os
import random
import re
import sys
import time

TICKS_PER_SECOND = 10_000_000  # Kusto datetimes and timespans count 100 ns ticks
INGESTION_SLACK_TICKS = 3600 * TICKS_PER_SECOND  # the query's `+ 1h` on TimeGenerated
EXACT_VALUES = 64  # exact_us is kept up to this many latencies
LIST_CAP = 65  # the make_list_if caps of the query

AKSAUDIT_DATETIME = {"TimeGenerated", "RequestReceivedTime", "StageReceivedTime"}
AKSAUDIT_DYNAMIC = {"Annotations", "ObjectRef", "RequestObject", "ResponseObject",
                    "ResponseStatus", "SourceIps", "User"}

DIMENSIONS = ("agent", "user_agent", "user", "verb", "resource", "namespace", "name",
              "object", "code", "source_ip")
REFUSED = {
    "error": "its signature masks text with rules KQL has no equivalent for",
    "impersonated_user": "AKSAudit has no impersonated-user column",
    "webhook": "it needs the admission-webhook annotations expanded into rows",
    "priority_level": "it comes from kube-apiserver HTTP log lines",
    "flow_schema": "it comes from kube-apiserver HTTP log lines",
}

# Built-in cluster-scoped resources, as `resource/apiGroup` (docs/counting.md#dimensions).
CLUSTER_SCOPED = {
    "nodes/", "namespaces/", "persistentvolumes/", "componentstatuses/",
    "clusterroles/rbac.authorization.k8s.io", "clusterrolebindings/rbac.authorization.k8s.io",
    "customresourcedefinitions/apiextensions.k8s.io", "apiservices/apiregistration.k8s.io",
    "storageclasses/storage.k8s.io", "csidrivers/storage.k8s.io", "csinodes/storage.k8s.io",
    "volumeattachments/storage.k8s.io", "priorityclasses/scheduling.k8s.io",
    "runtimeclasses/node.k8s.io", "ingressclasses/networking.k8s.io",
    "mutatingwebhookconfigurations/admissionregistration.k8s.io",
    "validatingwebhookconfigurations/admissionregistration.k8s.io",
    "validatingadmissionpolicies/admissionregistration.k8s.io",
    "validatingadmissionpolicybindings/admissionregistration.k8s.io",
    "certificatesigningrequests/certificates.k8s.io",
    "flowschemas/flowcontrol.apiserver.k8s.io",
    "prioritylevelconfigurations/flowcontrol.apiserver.k8s.io",
    "tokenreviews/authentication.k8s.io", "selfsubjectreviews/authentication.k8s.io",
    "subjectaccessreviews/authorization.k8s.io",
    "selfsubjectaccessreviews/authorization.k8s.io",
    "selfsubjectrulesreviews/authorization.k8s.io",
}
COLLECTION_VERBS = ("list", "watch", "deletecollection")

METRIC_COLUMNS = [("requests", "long"), ("errors", "long"), ("watches", "long"),
                  ("cost_ns", "long"), ("latency_n", "long"), ("min_us", "long"),
                  ("max_ns", "long"), ("first", "datetime"), ("last", "datetime"),
                  ("histogram", "dynamic"), ("exact_us", "dynamic")]


class UsageError(Exception):
    pass


# ---- time ----------------------------------------------------------------------------------

DATETIME_RE = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$")


def parse_datetime(text):
    """ISO 8601 text to 100 ns ticks since the epoch (digits past the 7th are dropped)."""
    m = DATETIME_RE.match(text.strip())
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    fraction = (m.group(7) or "")[:7].ljust(7, "0")
    seconds = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0))
    zone = m.group(8) or "Z"
    if zone != "Z":
        sign = -1 if zone[0] == "+" else 1
        digits = zone[1:].replace(":", "")
        seconds += sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return seconds * TICKS_PER_SECOND + int(fraction)


def split_ticks(ticks):
    return divmod(ticks, TICKS_PER_SECOND)


def iso_datetime(ticks):
    """2024-06-30T12:00:00.1234567Z, as the Log Analytics REST API writes datetimes."""
    seconds, rest = split_ticks(ticks)
    t = time.gmtime(seconds)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ" % (t[0], t[1], t[2], t[3], t[4], t[5], rest)


def portal_datetime(ticks):
    """6/30/2024, 12:00:00.123 PM: the portal's CSV export, milliseconds only."""
    seconds, rest = split_ticks(ticks)
    t = time.gmtime(seconds)
    hour12 = t[3] % 12 or 12
    return "%d/%d/%d, %d:%02d:%02d.%03d %s" % (t[1], t[2], t[0], hour12, t[4], t[5],
                                                rest // 10_000, "AM" if t[3] < 12 else "PM")


DURATION_RE = re.compile(r"(\d+)([smhd])")
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text):
    """30s, 5m, 6h, 1d, 1h30m, or a bare number of seconds, to seconds."""
    if text.isdigit():
        seconds = int(text)
    else:
        parts = DURATION_RE.findall(text)
        if not parts or "".join(n + u for n, u in parts) != text:
            raise UsageError("not a duration: %r (30s, 5m, 6h, 1d, 1h30m)" % text)
        seconds = sum(int(n) * DURATION_UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise UsageError("a duration must be positive: %r" % text)
    return seconds


# ---- input rows ----------------------------------------------------------------------------

def parse_dynamic(value):
    """A dynamic cell: JSON text (az, REST) or an already parsed value; None for null."""
    if value is None or value == "None" or value == "":
        return None
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # Kusto keeps text that is not JSON as a string value


def typed_row(row):
    """One AKSAudit row with datetimes as ticks, dynamics parsed and strings as text."""
    out = {}
    for name, value in row.items():
        if name in AKSAUDIT_DATETIME:
            out[name] = None if value in (None, "None", "") else parse_datetime(str(value))
        elif name in AKSAUDIT_DYNAMIC:
            out[name] = parse_dynamic(value)
        else:
            out[name] = "" if value is None else str(value)
    return out


def read_rows(path):
    """AKSAudit rows from an az -o json array or a REST response ({"tables": [...]})."""
    with open(path, encoding="utf-8-sig") as f:
        doc = json.load(f)
    if isinstance(doc, list):
        return [typed_row(r) for r in doc if isinstance(r, dict)]
    if isinstance(doc, dict) and isinstance(doc.get("tables"), list):
        rows = []
        for table in doc["tables"]:
            names = [c["name"] for c in table.get("columns", [])]
            rows += [typed_row(dict(zip(names, r))) for r in table.get("rows", [])]
        return rows
    raise UsageError("%s: neither an az -o json array nor a REST response" % path)


# ---- the query's per-request columns -------------------------------------------------------

def member(value, key):
    """dynamic.key: null unless value is an object holding key."""
    return value.get(key) if isinstance(value, dict) else None


def kusto_tostring(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def kusto_toint(value):
    """toint(): a number or numeric text, else null."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value)) if "." in value else int(value.strip())
        except ValueError:
            return None
    return None


def or_none(text):
    return text if text else "(none)"


def dim_agent(r):
    return or_none(r["UserAgent"].split("/")[0].rstrip(" "))


def dim_resource(r):
    if not r["Res"]:
        return or_none(r["RequestUri"].split("?")[0])
    out = r["Res"]
    if r["ApiGroup"]:
        out += "." + r["ApiGroup"]
    if r["Sub"]:
        out += "/" + r["Sub"]
    return out


def dim_namespace(r):
    if not r["Res"]:
        return "(none)"
    if r["Ns"]:
        return r["Ns"]
    if r["Res"] + "/" + r["ApiGroup"] in CLUSTER_SCOPED:
        return "(cluster)"
    return "(all)" if r["Verb"] in COLLECTION_VERBS else "(cluster)"


def dim_name(r):
    if r["ObjName"]:
        return r["ObjName"]
    return "(all)" if r["Res"] and r["Verb"] in COLLECTION_VERBS else "(none)"


def dim_object(r):
    namespace = dim_namespace(r)
    if namespace == "(none)":
        return dim_resource(r)
    middle = "" if namespace == "(cluster)" else "/" + namespace
    return dim_resource(r) + middle + "/" + dim_name(r)


def dim_source_ip(r):
    ips = r["SourceIps"]
    if isinstance(ips, list):
        entries = [kusto_tostring(ip) for ip in ips]
        return or_none(next((ip for ip in reversed(entries) if ip), ""))
    return or_none(kusto_tostring(ips))


DIMENSION_VALUE = {
    "agent": dim_agent,
    "user_agent": lambda r: or_none(r["UserAgent"]),
    "user": lambda r: or_none(kusto_tostring(member(r["User"], "username"))),
    "verb": lambda r: or_none(r["Verb"]),
    "resource": dim_resource,
    "namespace": dim_namespace,
    "name": dim_name,
    "object": dim_object,
    "code": lambda r: "(none)" if r["Code"] <= 0 else str(r["Code"]),
    "source_ip": dim_source_ip,
}


def is_counted(stage, code):
    """The stage rule (docs/counting.md#requests-and-events-the-stage-rule)."""
    if stage in ("ResponseComplete", "Panic", ""):
        return not (stage == "ResponseComplete" and code == 101)
    return stage == "ResponseStarted" and code in (401, 101)


def in_window(ticks, since, until):
    """Kusto comparisons with null are false: a null time is outside any bound."""
    if since is not None and (ticks is None or ticks < since):
        return False
    if until is not None and (ticks is None or ticks >= until):
        return False
    return True


def request_of(row, since, until):
    """The query's `requests` row for one audit row, or None when it is not selected."""
    r = {k: row.get(k) for k in ("TimeGenerated", "RequestReceivedTime", "StageReceivedTime",
                                 "ResponseStatus", "ObjectRef", "User", "SourceIps")}
    for k in ("Stage", "Verb", "UserAgent", "RequestUri"):
        r[k] = row.get(k) or ""
    slack_until = None if until is None else until + INGESTION_SLACK_TICKS
    if not in_window(r["TimeGenerated"], since, slack_until):
        return None
    received = r["RequestReceivedTime"]
    r["Received"] = received if received is not None else r["TimeGenerated"]
    code = kusto_toint(member(r["ResponseStatus"], "code"))
    r["Code"] = code if code is not None else 0
    if not is_counted(r["Stage"], r["Code"]) or not in_window(r["Received"], since, until):
        return None
    r["LongRunning"] = r["Verb"] == "watch" or r["Code"] == 101
    stage_time = r["StageReceivedTime"]
    r["LatencyNs"] = None
    if (not r["LongRunning"] and stage_time is not None and r["Received"] is not None
            and stage_time >= r["Received"]):
        r["LatencyNs"] = (stage_time - r["Received"]) * 100
    for column, key in (("Res", "resource"), ("ApiGroup", "apiGroup"), ("Sub", "subresource"),
                        ("Ns", "namespace"), ("ObjName", "name")):
        r[column] = kusto_tostring(member(r["ObjectRef"], key))
    return r


# ---- the aggregation -----------------------------------------------------------------------

def bucket_of(micros):
    """kubeblame's latency sketch bucket: exact below 128 µs, 64 per power of two above."""
    if micros < 128:
        return micros
    msb = micros.bit_length() - 1
    return (msb - 5) * 64 + (micros >> (msb - 6)) - 64


class Group:
    def __init__(self):
        self.requests = self.errors = self.watches = 0
        self.latencies_ns = []
        self.first = self.last = None

    def add(self, r):
        self.requests += 1
        self.errors += r["Code"] >= 400
        self.watches += r["LongRunning"]
        if r["LatencyNs"] is not None:
            self.latencies_ns.append(r["LatencyNs"])
        t = r["Received"]
        if t is not None:
            self.first = t if self.first is None else min(self.first, t)
            self.last = t if self.last is None else max(self.last, t)

    def metrics(self, null_sum):
        """The metric columns, as the two summarize steps of the query produce them."""
        us = [ns // 1000 for ns in self.latencies_ns]
        per_bucket = {}
        for v in us:
            per_bucket.setdefault(bucket_of(v), []).append(v)
        histogram = {str(b): len(vs) for b, vs in sorted(per_bucket.items())}
        exact = [vs[:LIST_CAP] for _, vs in sorted(per_bucket.items())][:LIST_CAP]
        cost = sum(self.latencies_ns) if self.latencies_ns else (None if null_sum else 0)
        return {
            "requests": self.requests, "errors": self.errors, "watches": self.watches,
            "cost_ns": cost, "latency_n": len(us),
            "min_us": min(us) if us else None,
            "max_ns": max(self.latencies_ns) if self.latencies_ns else None,
            "first": self.first, "last": self.last, "histogram": histogram,
            "exact_us": exact if len(us) <= EXACT_VALUES else None,
        }


def aggregate(rows, opts, since, until):
    """The result table: (columns [(name, type)], rows [dict]) of one query."""
    groups = {}
    interval = None if opts.command == "top" else opts.interval_s * TICKS_PER_SECOND
    for row in rows:
        r = request_of(row, since, until)
        if r is None:
            continue
        key = tuple(DIMENSION_VALUE[d](r) for d in opts.dims)
        if interval is not None:
            t = r["Received"]
            key = (None if t is None else t - t % interval,) + key
        groups.setdefault(key, Group()).add(r)
    marker = "top/v1" if opts.command == "top" else "timeline/v1"
    columns = [("kubeblame", "string")]
    if interval is not None:
        columns.append(("time", "datetime"))
    columns += [(d, "string") for d in opts.dims] + METRIC_COLUMNS
    if interval is not None:
        columns.append(("interval_s", "long"))  # the bucket width, for re-binning
    out = []
    for key in sorted(groups, key=lambda k: [(x is None, x) for x in k]):
        values = [marker] + list(key)
        row = dict(zip([c for c, _ in columns], values))
        row.update(groups[key].metrics(opts.null_sum))
        if interval is not None:
            row["interval_s"] = opts.interval_s
        out.append(row)
    return columns, out


# ---- output shapes -------------------------------------------------------------------------

def dynamic_text(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def rest_cell(value, kind):
    if value is None:
        return None
    if kind == "datetime":
        return iso_datetime(value)
    if kind == "dynamic":
        return dynamic_text(value)
    return value


def write_rest(columns, rows):
    table = {"name": "PrimaryResult",
             "columns": [{"name": n, "type": t} for n, t in columns],
             "rows": [[rest_cell(row[n], t) for n, t in columns] for row in rows]}
    return json.dumps({"tables": [table]}, indent=1, ensure_ascii=False) + "\n"


def write_az(columns, rows):
    """az -o json: every REST value str()'d (null as "None"), keys sorted, plus TableName."""
    out = []
    for row in rows:
        obj = {n: str(rest_cell(row[n], t)) for n, t in columns}
        obj["TableName"] = "PrimaryResult"
        out.append(obj)
    return json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def csv_cell(value, kind):
    if value is None:
        return ""
    if kind == "datetime":
        return portal_datetime(value)
    if kind == "dynamic":
        return dynamic_text(value)
    return str(value)


def write_csv(columns, rows):
    """The portal's Export to CSV: BOM, CRLF, `name [UTC]` headers, RFC 4180 quoting."""
    buf = io.StringIO()
    header = ",".join('"%s [UTC]"' % n if t == "datetime" else n for n, t in columns)
    buf.write("\ufeff" + header + "\r\n")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([csv_cell(row[n], t) for n, t in columns])
    return buf.getvalue()


WRITERS = {"az": (write_az, "json"), "rest": (write_rest, "json"), "csv": (write_csv, "csv")}


def shuffled(rows, seed):
    """The same result in another order: Log Analytics promises no row, bag or list order."""
    rng = random.Random(seed)
    out = []
    for row in rows:
        row = dict(row)
        items = list(row["histogram"].items())
        rng.shuffle(items)
        row["histogram"] = dict(items)
        if row["exact_us"] is not None:
            lists = [rng.sample(vs, len(vs)) for vs in row["exact_us"]]
            rng.shuffle(lists)
            row["exact_us"] = lists
        out.append(row)
    rng.shuffle(out)
    return out


# ---- command line --------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=("top", "timeline"))
    p.add_argument("inputs", nargs="+", help="AKSAudit rows: az -o json arrays or REST responses")
    p.add_argument("--by", default="agent", help="comma-separated dimensions (default agent)")
    p.add_argument("--interval", default="1h", help="timeline bucket width (default 1h)")
    p.add_argument("--since", help="RFC 3339: keep events at or after it")
    p.add_argument("--until", help="RFC 3339: keep events before it")
    p.add_argument("--shape", choices=sorted(WRITERS), default="az")
    p.add_argument("--split", help="one result per window of this length (events by event time)")
    p.add_argument("--output", "-o", help="file (default stdout); with --split, a directory")
    p.add_argument("--shuffle", type=int, metavar="SEED",
                   help="scramble row, histogram and exact_us order (the engine promises none)")
    p.add_argument("--zero-sums", dest="null_sum", action="store_false",
                   help="cost_ns of a group without latencies is 0 (default: null)")
    opts = p.parse_args(argv)
    opts.dims = [d.strip() for d in opts.by.split(",") if d.strip()]
    for d in opts.dims:
        if d in REFUSED:
            raise UsageError("kql cannot compute the dimension %r: %s" % (d, REFUSED[d]))
        if d not in DIMENSIONS:
            raise UsageError("unknown dimension %r (one of %s)" % (d, ", ".join(DIMENSIONS)))
    if len(set(opts.dims)) != len(opts.dims) or not opts.dims:
        raise UsageError("--by needs distinct dimensions")
    opts.interval_s = parse_duration(opts.interval)
    return opts


def time_option(text, name):
    if text is None:
        return None
    ticks = parse_datetime(text)
    if ticks is None:
        raise UsageError("%s: not an RFC 3339 time: %r" % (name, text))
    return ticks


def windows(opts, rows):
    """[(since, until)] in ticks: one window, or --split windows from --since to --until."""
    since = time_option(opts.since, "--since")
    until = time_option(opts.until, "--until")
    if not opts.split:
        return [(since, until)]
    times = [r.get("RequestReceivedTime") or r.get("TimeGenerated") for r in rows]
    times = [t for t in times if t is not None]
    if not times and (since is None or until is None):
        raise UsageError("--split needs --since and --until when no row has a time")
    start = since if since is not None else min(times)
    end = until if until is not None else max(times) + 1
    step = parse_duration(opts.split) * TICKS_PER_SECOND
    return [(t, min(t + step, end)) for t in range(start, end, step)]


def emit(text, path):
    if path is None:
        sys.stdout.write(text)
        return
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def run(argv):
    opts = parse_args(argv)
    rows = []
    for path in opts.inputs:
        rows += read_rows(path)
    write, ext = WRITERS[opts.shape]
    parts = windows(opts, rows)
    if opts.split and not opts.output:
        raise UsageError("--split writes one file per window: give --output DIR")
    if opts.split:
        os.makedirs(opts.output, exist_ok=True)
    for i, (since, until) in enumerate(parts, 1):
        columns, result = aggregate(rows, opts, since, until)
        if opts.shuffle is not None:
            result = shuffled(result, opts.shuffle + i)
        path = os.path.join(opts.output, "window-%03d.%s" % (i, ext)) if opts.split else opts.output
        emit(write(columns, result), path)
    return 0


def main():
    try:
        return run(sys.argv[1:])
    except (UsageError, OSError, ValueError, KeyError, TypeError) as e:
        print("result_sim.py: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
