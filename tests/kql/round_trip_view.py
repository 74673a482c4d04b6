#!/usr/bin/env python3
"""The part of a `kubeblame top|timeline --format json` report that a kql round trip must keep.

  round_trip_view.py top|timeline [--ms] < report.json

prints, one per line, the rows (top: key, requests, errors, watches, p50/p95/p99, max, cost,
first, last, and the (other) row) or the series (timeline: start, interval, buckets, each
series' key, requests, errors and per-bucket counts, and the total), so that the report of a
local run and the report of Log Analytics results read back can be compared line by line.
--ms cuts first/last to the millisecond: the portal's CSV export keeps no more.
"""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_sim  # noqa: E402

TOP_FIELDS = ("requests", "errors", "watches", "p50_ms", "p95_ms", "p99_ms", "max_ms", "cost_s")


def time_of(text, ms):
    if text is None:
        return None
    ticks = result_sim.parse_datetime(text)
    return result_sim.iso_datetime(ticks - ticks % 10_000 if ms else ticks)


def top_lines(report, ms):
    rows = report["rows"] + ([dict(report["other"], key="(other)")] if report.get("other") else [])
    for row in rows:
        view = {"key": row["key"]}
        view.update({k: row[k] for k in TOP_FIELDS[:3]})
        view.update({k: None if row[k] is None else float(row[k]) for k in TOP_FIELDS[3:]})  # 6 == 6.0
        view.update({k: time_of(row[k], ms) for k in ("first", "last")})
        yield json.dumps(view, sort_keys=True, ensure_ascii=False)


def timeline_lines(report):
    yield json.dumps({k: report[k] for k in ("start", "interval_s", "buckets")}, sort_keys=True)
    for s in report["series"] + ([dict(report["other"], key="(other)")] if report.get("other") else []):
        view = {k: s[k] for k in ("key", "requests", "errors", "counts", "error_counts")}
        yield json.dumps(view, sort_keys=True, ensure_ascii=False)
    total = report["total"]
    yield json.dumps({k: total[k] for k in ("requests", "errors", "counts", "error_counts")}, sort_keys=True)


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("top", "timeline"):
        print("usage: round_trip_view.py top|timeline [--ms] < report.json", file=sys.stderr)
        return 2
    try:
        report = json.load(sys.stdin)
        lines = top_lines(report, "--ms" in sys.argv) if sys.argv[1] == "top" else timeline_lines(report)
        for line in lines:
            print(line)
    except (ValueError, KeyError, TypeError) as e:
        print("round_trip_view.py: not a kubeblame %s JSON report: %r" % (sys.argv[1], e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
