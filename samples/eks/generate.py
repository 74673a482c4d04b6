#!/usr/bin/env python3
"""Writes samples/eks/: the events of samples/formats/audit.jsonl as EKS exports them out of
CloudWatch Logs, one small file per shape. Run it from the repository root, after
samples/generate.py:

    python3 samples/eks/generate.py

Each audit event (one line of audit.jsonl, kept byte for byte as the CloudWatch message) is one
CloudWatch log event in log group /aws/eks/eks-prod/cluster, so `kubeblame top` prints the same
rows for every file here as for audit.jsonl. Python 3 standard library only, deterministic:
fixed seeds, no wall clock, gzip with mtime=0.
"""

import csv
import datetime
import gzip
import io
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "formats", "audit.jsonl")

ACCOUNT = "418295736104"
CLUSTER = "eks-prod"
LOG_GROUP = "/aws/eks/%s/cluster" % CLUSTER
STREAMS = ["kube-apiserver-audit-5e1c0b7a9d2f4e6a8b3c1d0e9f7a6b5c",
           "kube-apiserver-audit-a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8"]
FILTER = "eks-audit-to-firehose"
UTC = datetime.timezone.utc


def ms_of(text):
    """RFC 3339 (whole milliseconds in these samples) to epoch milliseconds."""
    when = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return int(when.timestamp() * 1000 + 0.5)


def iso_ms(ms, sep="T", zone="Z"):
    when = datetime.datetime.fromtimestamp(ms / 1000, tz=UTC)
    return when.strftime("%Y-%m-%d" + sep + "%H:%M:%S.") + "%03d" % (ms % 1000) + zone


def load_events(rng):
    """The log events: message = the audit line; timestamp = the stage time (when the apiserver
    wrote it); two streams (two apiserver instances), each event's stream fixed by a seeded draw."""
    events = []
    with open(SOURCE, encoding="utf-8") as f:
        for index, line in enumerate(f):
            message = line.rstrip("\n")
            event = json.loads(message)
            ts = ms_of(event.get("stageTimestamp") or event["requestReceivedTimestamp"])
            events.append({"index": index, "message": message, "timestamp": ts,
                           "ingestionTime": ts + 400 + rng.randrange(900),
                           "logStreamName": STREAMS[rng.randrange(2)]})
    events.sort(key=lambda e: (e["timestamp"], e["index"]))
    for n, e in enumerate(events):  # CloudWatch event IDs: 56 digits, increasing with time
        e["eventId"] = "%037d%019d" % (n + 1, e["timestamp"] * 1000 + n)
    return events


def cli_json(doc):
    """The AWS CLI's --output json: indent 4, non-ASCII kept."""
    return json.dumps(doc, indent=4, ensure_ascii=False) + "\n"


def filter_log_events(events):
    return cli_json({
        "events": [{k: e[k] for k in ("logStreamName", "timestamp", "message", "ingestionTime",
                                      "eventId")} for e in events],
        "searchedLogStreams": [{"logStreamName": s, "searchedCompletely": True} for s in STREAMS],
    })


def get_log_events(events):
    token = "f/%056d/s" % events[-1]["timestamp"]
    return cli_json({
        "events": [{k: e[k] for k in ("timestamp", "message", "ingestionTime")} for e in events],
        "nextForwardToken": token,
        "nextBackwardToken": "b/%056d/s" % events[0]["timestamp"],
    })


def subscription_document(message_type, stream, log_events):
    return json.dumps({"messageType": message_type, "owner": ACCOUNT, "logGroup": LOG_GROUP,
                       "logStream": stream, "subscriptionFilters": [FILTER],
                       "logEvents": log_events}, separators=(",", ":"))


def firehose_object(events, rng):
    """One gzip member per CloudWatch record (a control message first, then DATA_MESSAGE
    documents of 1 to 25 events of one stream), concatenated, then gzipped again (Firehose
    compression on)."""
    control = json.dumps({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs",
                          "logGroup": "", "logStream": "", "subscriptionFilters": [],
                          "logEvents": [{"id": "", "timestamp": events[0]["timestamp"] - 60000,
                                         "message": "CWL CONTROL MESSAGE: Checking health of "
                                                    "destination Firehose."}]},
                         separators=(",", ":"))
    members = [gzip.compress(control.encode(), mtime=0)]
    pending = {s: [e for e in events if e["logStreamName"] == s] for s in STREAMS}
    while any(pending.values()):
        stream = rng.choice([s for s in STREAMS if pending[s]])
        size = 1 + rng.randrange(25)
        take, pending[stream] = pending[stream][:size], pending[stream][size:]
        doc = subscription_document("DATA_MESSAGE", stream,
                                    [{"id": e["eventId"], "timestamp": e["timestamp"],
                                      "message": e["message"]} for e in take])
        members.append(gzip.compress(doc.encode(), mtime=0))
    return gzip.compress(b"".join(members), mtime=0)


def export_task(events):
    """A create-export-task object (one stream's 000000.gz holds its lines; here both streams'
    events in time order, as one object): `<RFC 3339 time> <message>` lines, gzipped."""
    text = "".join("%s %s\n" % (iso_ms(e["timestamp"]), e["message"]) for e in events)
    return gzip.compress(text.encode(), mtime=0)


def insights_rows(events):
    """Logs Insights `fields @timestamp, @message, @logStream, @log | sort @timestamp desc`."""
    return [{"@timestamp": iso_ms(e["timestamp"], " ", ""), "@message": e["message"],
             "@logStream": e["logStreamName"], "@log": "%s:%s" % (ACCOUNT, LOG_GROUP)}
            for e in sorted(events, key=lambda e: (-e["timestamp"], -e["index"]))]


def insights_csv(events):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["@timestamp", "@message", "@logStream", "@log"])
    for row in insights_rows(events):
        writer.writerow([row["@timestamp"], row["@message"], row["@logStream"], row["@log"]])
    return out.getvalue()


def insights_json(events):
    return json.dumps(insights_rows(events), indent=2, ensure_ascii=False) + "\n"


def get_query_results(events):
    rows = []
    for n, row in enumerate(insights_rows(events)):
        cells = [{"field": k, "value": v} for k, v in row.items()]
        cells.append({"field": "@ptr", "value": "CmAKJwojNDE4Mjk1NzM2MTA0Oi9hd3MvZWtzL2Vrcy1wcm9k%06d" % n})
        rows.append(cells)
    return cli_json({"results": rows,
                     "statistics": {"recordsMatched": float(len(rows)),
                                    "recordsScanned": float(len(rows)),
                                    "bytesScanned": float(sum(len(e["message"]) for e in events))},
                     "status": "Complete"})


def truncated_sample(events):
    """filter-log-events with two messages CloudWatch cut at its event size limit (the text ends
    `[Truncated...]`) between three whole ones."""
    picked = events[:5]
    cut = [dict(e) for e in picked]
    for i in (1, 3):
        cut[i]["message"] = cut[i]["message"][:300] + "[Truncated...]"
    return filter_log_events(cut)


def write(name, data):
    path = os.path.join(HERE, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(data)


def main():
    events = load_events(random.Random(20250225))
    write("filter-log-events.json", filter_log_events(events))
    write("get-log-events.json", get_log_events(events))
    write("firehose-object.gz", firehose_object(events, random.Random(7)))
    write("export-task-000000.gz", export_task(events))
    write("insights.csv", insights_csv(events))
    write("insights.json", insights_json(events))
    write("get-query-results.json", get_query_results(events))
    write("filter-log-events-truncated.json", truncated_sample(events))


if __name__ == "__main__":
    main()
