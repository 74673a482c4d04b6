#!/usr/bin/env python3
"""Self-check of result_sim.py against kubeblame's local pipeline, without the kql reader.

For sample AKSAudit exports and a generated one (every stage, long-running requests, missing
times, hundreds of latencies per group so that the histogram path is taken), and for several
--by sets, the simulated `kql top` and `kql timeline` results, written in the az shape and read
back here, must give the numbers `kubeblame top|timeline --format json` gives on the same rows:
requests, errors, watches, cost, max, first/last exactly, and p50/p95/p99 from the histogram
and exact_us with the local sketch's nearest-rank rule (docs/counting.md#percentiles-the-error-bound).
Split results (--split) merged here must give the same numbers. The REST and CSV shapes must
hold the same table as the az shape. Usage: check_sim.py KUBEBLAME_BINARY (run from the repo root).
"""
import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import result_sim  # noqa: E402
import synth_aksaudit  # noqa: E402

TOP_BY = ["agent", "agent,verb", "user,verb,resource", "namespace,name", "object", "code",
          "source_ip", "user_agent", "resource,code"]
TIMELINE_BY = [("verb", "5m"), ("agent,code", "1m"), ("namespace", "10m")]
SAMPLES = ["samples/formats/aksaudit-az.json", "samples/formats/aksaudit-rest.json",
           "samples/fights/fight-aksaudit-az.json"]


# ---- reading the simulated result back --------------------------------------------------------

def az_table(path):
    """The az-shape result as typed dicts (what a reader of that shape must recover)."""
    with open(path, encoding="utf-8") as f:
        objs = json.load(f)
    out = []
    for o in objs:
        row = {}
        for k, v in o.items():
            if k in ("requests", "errors", "watches", "cost_ns", "latency_n", "min_us", "max_ns"):
                row[k] = None if v == "None" else int(v)
            elif k in ("first", "last", "time"):
                row[k] = None if v == "None" else result_sim.parse_datetime(v)
            elif k in ("histogram", "exact_us"):
                row[k] = None if v == "None" else json.loads(v)
            else:
                row[k] = v
        out.append(row)
    return out


def midpoint(bucket):
    if bucket < 128:
        return float(bucket)
    shift = (bucket >> 6) - 1
    low = (64 + (bucket & 63)) << shift
    return low + ((1 << shift) - 1) / 2.0


def quantile_us(row, q):
    """Nearest rank (rank ceil(q*n)) over exact_us, else over the histogram, clamped."""
    n = row["latency_n"]
    rank = min(max(math.ceil(q * n), 1), n)
    if row["exact_us"] is not None:
        values = sorted(v for vs in row["exact_us"] for v in vs)
        return float(values[rank - 1])
    seen = 0
    for bucket, count in sorted((int(b), c) for b, c in row["histogram"].items()):
        seen += count
        if seen >= rank:
            return min(max(midpoint(bucket), row["min_us"]), row["max_ns"] // 1000)
    return float(row["max_ns"] // 1000)


def fixed(value, decimals):
    return None if value is None else float("%.*f" % (decimals, value))


def expected_metrics(row):
    """A result row in the terms of `kubeblame top --format json`."""
    has = row["latency_n"] > 0
    out = {k: row[k] for k in ("requests", "errors", "watches")}
    for name, q in (("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99)):
        out[name] = fixed(quantile_us(row, q) / 1000.0, 3) if has else None
    out["max_ms"] = fixed(row["max_ns"] / 1e6, 3) if has else None
    out["cost_s"] = fixed(row["cost_ns"] / 1e9, 6) if has else None
    out["first"], out["last"] = row["first"], row["last"]
    return out


def local_metrics(row):
    out = {k: row[k] for k in ("requests", "errors", "watches", "p50_ms", "p95_ms", "p99_ms",
                               "max_ms", "cost_s")}
    for k in ("first", "last"):
        out[k] = None if row[k] is None else result_sim.parse_datetime(row[k])
    return out


def merge_rows(rows):
    """Merge the rows of one group from several windows (what a reader of --split must do)."""
    out = dict(rows[0])
    for r in rows[1:]:
        for k in ("requests", "errors", "watches", "latency_n"):
            out[k] += r[k]
        out["cost_ns"] = sum(x for x in (out["cost_ns"], r["cost_ns"]) if x is not None) \
            if (out["cost_ns"] is not None or r["cost_ns"] is not None) else None
        for k, pick in (("min_us", min), ("max_ns", max), ("first", min), ("last", max)):
            both = [x for x in (out[k], r[k]) if x is not None]
            out[k] = pick(both) if both else None
        hist = dict(out["histogram"])
        for b, c in r["histogram"].items():
            hist[b] = hist.get(b, 0) + c
        out["histogram"] = hist
        if out["exact_us"] is not None and r["exact_us"] is not None and out["latency_n"] <= 64:
            out["exact_us"] = out["exact_us"] + r["exact_us"]
        else:
            out["exact_us"] = None
    return out


# ---- comparisons ------------------------------------------------------------------------------

class Checker:
    def __init__(self, binary, tmp):
        self.binary, self.tmp, self.failures, self.checks = binary, tmp, 0, 0

    def fail(self, what, detail):
        self.failures += 1
        print("FAIL %s: %s" % (what, detail))

    def ok(self, what):
        self.checks += 1
        print("ok   %s" % what)

    def kubeblame(self, args):
        done = subprocess.run([self.binary] + args, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError("kubeblame %s: exit %d: %s" % (" ".join(args), done.returncode, done.stderr))
        return json.loads(done.stdout)

    def simulate(self, args, name):
        path = os.path.join(self.tmp, name)
        code = result_sim.run(args + ["--output", path])
        assert code == 0
        return path

    def compare_top(self, what, rows, by, local):
        dims = by.split(",")
        expected = {tuple(r[d] for d in dims): expected_metrics(r) for r in rows}
        got = {tuple(r["key"][d] for d in dims): local_metrics(r) for r in local["rows"]}
        if local["other"] is not None:
            return self.fail(what, "the local run folded rows into (other)")
        if expected.keys() != got.keys():
            return self.fail(what, "groups differ: only simulated %s, only local %s" % (
                sorted(expected.keys() - got.keys())[:3], sorted(got.keys() - expected.keys())[:3]))
        for key in sorted(expected):
            if expected[key] != got[key]:
                return self.fail(what, "%s: simulated %s, local %s" % (key, expected[key], got[key]))
        self.ok("%s (%d groups)" % (what, len(expected)))

    def top(self, path, by, window=()):
        window = list(window)
        local = self.kubeblame(["top", path, "--by", by, "--top", "0", "--format", "json", "-q"] + window)
        sim = self.simulate(["top", path, "--by", by, "--shape", "az", "--shuffle", "7"] + window, "top.json")
        self.compare_top("top --by %s %son %s" % (by, " ".join(window + [""]), path), az_table(sim), by, local)
        return local

    def split(self, path, by, length):
        out = os.path.join(self.tmp, "split-%s" % length)
        result_sim.run(["top", path, "--by", by, "--shape", "az", "--split", length, "--output", out])
        files = sorted(os.listdir(out))
        groups = {}
        dims = by.split(",")
        for name in files:
            for r in az_table(os.path.join(out, name)):
                groups.setdefault(tuple(r[d] for d in dims), []).append(r)
        merged = [merge_rows(rs) for rs in groups.values()]
        local = self.kubeblame(["top", path, "--by", by, "--top", "0", "--format", "json", "-q"])
        self.compare_top("top --by %s --split %s on %s (%d windows merged)" % (by, length, path, len(files)),
                         merged, by, local)
        return len(files)

    def timeline(self, path, by, interval):
        local = self.kubeblame(["timeline", path, "--by", by, "--interval", interval, "--top", "0",
                                "--format", "json", "-q"])
        sim = az_table(self.simulate(["timeline", path, "--by", by, "--interval", interval,
                                      "--shape", "az"], "timeline.json"))
        dims = by.split(",")
        start = result_sim.parse_datetime(local["start"])
        step = local["interval_s"] * result_sim.TICKS_PER_SECOND
        expected = {}
        for r in sim:
            key = tuple(r[d] for d in dims)
            counts = expected.setdefault(key, ([0] * local["buckets"], [0] * local["buckets"]))
            index = (r["time"] - start) // step
            counts[0][index] += r["requests"]
            counts[1][index] += r["errors"]
        got = {tuple(s["key"][d] for d in dims): (s["counts"], s["error_counts"]) for s in local["series"]}
        what = "timeline --by %s --interval %s on %s" % (by, interval, path)
        if expected != got or local["other"] is not None:
            diff = [k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k)]
            return self.fail(what, "series differ, e.g. %s" % sorted(diff)[:2])
        self.ok("%s (%d series)" % (what, len(expected)))

    def shapes(self, path, by):
        """REST and CSV hold the az table (CSV: datetimes to the millisecond, as the portal)."""
        base = ["top", path, "--by", by]
        az = az_table(self.simulate(base + ["--shape", "az"], "s.json"))
        with open(self.simulate(base + ["--shape", "rest"], "s.rest.json"), encoding="utf-8") as f:
            table = json.load(f)["tables"][0]
        names = [c["name"] for c in table["columns"]]
        rest = [dict(zip(names, r)) for r in table["rows"]]
        with open(self.simulate(base + ["--shape", "csv"], "s.csv"), encoding="utf-8", newline="") as f:
            text = f.read()
        records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        problems = []
        if not text.startswith("\ufeff") or "\r\n" not in text:
            problems.append("CSV without BOM or CRLF")
        if records[0][:1] != ["kubeblame"] or "first [UTC]" not in records[0]:
            problems.append("CSV header %s" % records[0])
        for a, r, c in zip(az, rest, records[1:]):
            cells = dict(zip(records[0], c))
            if r["requests"] != a["requests"] or json.loads(r["histogram"]) != a["histogram"]:
                problems.append("REST row %s" % r)
            if result_sim.parse_datetime(r["first"]) != a["first"]:
                problems.append("REST first %s" % r["first"])
            if int(cells["requests"]) != a["requests"] or json.loads(cells["histogram"]) != a["histogram"]:
                problems.append("CSV row %s" % c)
            if cells["first [UTC]"] != result_sim.portal_datetime(a["first"]):
                problems.append("CSV first %s" % cells["first [UTC]"])
        if len(az) != len(rest) or len(az) != len(records) - 1:
            problems.append("row counts %d %d %d" % (len(az), len(rest), len(records) - 1))
        if problems:
            return self.fail("shapes of top --by %s on %s" % (by, path), problems[:3])
        self.ok("az, REST and CSV shapes hold the same table (top --by %s on %s)" % (by, path))

    def query_columns(self, args):
        """The column names of the query's last `| project`, and the marker value."""
        done = subprocess.run([self.binary, "kql"] + args, capture_output=True, text=True)
        project = [line for line in done.stdout.splitlines() if line.startswith("| project kubeblame")]
        if done.returncode != 0 or not project:
            return None, None
        items = [item.strip() for item in project[-1][len("| project "):].split(",")]
        names = [item.split("=")[0].strip().strip("[]'") for item in items]
        return names, items[0].split("=")[1].strip().strip('"')

    def same_projection(self):
        """result_sim.py writes the columns the printed queries project, and refuses what they refuse."""
        for command, by in (("top", "agent,verb"), ("timeline", "resource,code"), ("top", "object,source_ip")):
            extra = ["--interval", "5m"] if command == "timeline" else []
            printed = self.query_columns([command, "--by", by] + extra)
            try:
                opts = result_sim.parse_args([command, "x.json", "--by", by] + extra)
            except result_sim.UsageError as e:
                return self.fail("result_sim.py %s --by %s" % (command, by), e)
            columns, _ = result_sim.aggregate([], opts, None, None)
            marker = "top/v1" if command == "top" else "timeline/v1"
            if printed != ([c for c, _ in columns], marker):
                return self.fail("kql %s --by %s projects what result_sim.py writes" % (command, by),
                                 "query %s, simulator %s" % (printed, [c for c, _ in columns]))
        # Every dimension `kubeblame top --help` lists: kql computes some and refuses the others.
        helptext = subprocess.run([self.binary, "top", "--help"], capture_output=True, text=True).stdout
        listed = helptext.split("Comma-separated dimensions:")[1].split("\n")[0]
        accepted = set()
        for d in [d.strip() for d in listed.split(",")]:
            if self.query_columns(["top", "--by", d])[0] is not None:
                accepted.add(d)
        if accepted != set(result_sim.DIMENSIONS):
            return self.fail("result_sim.py takes the dimensions kql top takes",
                             "kql %s, simulator %s" % (sorted(accepted), sorted(result_sim.DIMENSIONS)))
        self.ok("result_sim.py writes the columns the queries project and takes the dimensions kql takes")

    def can_fail(self, path):
        """The comparison notices one wrong count and one wrong bucket."""
        local = self.kubeblame(["top", path, "--by", "agent", "--top", "0", "--format", "json", "-q"])
        rows = az_table(self.simulate(["top", path, "--by", "agent", "--shape", "az"], "bad.json"))
        big = max(rows, key=lambda r: r["latency_n"])
        broken = [dict(r, errors=r["errors"] + (r is rows[0])) for r in rows]
        shifted = dict(big, histogram={str(int(b) + 1): c for b, c in big["histogram"].items()},
                       exact_us=None)
        before = self.failures
        quiet = Checker(self.binary, self.tmp)
        sys.stdout = io.StringIO()
        try:
            quiet.compare_top("broken errors", broken, "agent", local)
            quiet.compare_top("shifted buckets", [shifted if r is big else r for r in rows], "agent", local)
        finally:
            sys.stdout = sys.__stdout__
        if quiet.failures != 2:
            return self.fail("the check notices a wrong count and a wrong bucket", "%d of 2" % quiet.failures)
        self.failures = before
        self.ok("the check notices a wrong count and a shifted histogram")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        synth = os.path.join(tmp, "synth-aksaudit-az.json")
        with open(synth, "w", encoding="utf-8") as f:
            json.dump(synth_aksaudit.synth_rows(), f, indent=2, sort_keys=True, ensure_ascii=False)
        c = Checker(binary, tmp)
        c.same_projection()
        for path in SAMPLES + [synth]:
            for by in TOP_BY:
                c.top(path, by)
            for by, interval in TIMELINE_BY:
                c.timeline(path, by, interval)
        local = c.top(synth, "agent")
        if max(r["requests"] for r in local["rows"]) <= 64:
            c.fail("the generated export", "no group past 64 latencies: the histogram path is untested")
        c.top(synth, "agent,code", ["--since", "2025-03-01T10:20:00.5Z", "--until", "2025-03-01T11:07:00Z"])
        for length in ("10m", "17m"):
            c.split(synth, "agent,verb", length)
        c.split(SAMPLES[0], "agent", "2m")
        c.shapes(synth, "user,verb")
        c.can_fail(synth)
        print("%d checks, %d failures" % (c.checks, c.failures))
        return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
