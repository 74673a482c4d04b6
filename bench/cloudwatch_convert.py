#!/usr/bin/env python3
"""Wraps raw audit JSON lines (stdin) in an EKS CloudWatch Logs export shape (stdout), for
bench/run.sh: the same events as the raw input, so the timings compare the shapes alone.

    cloudwatch_convert.py filter-log-events < audit.jsonl > events.json
    cloudwatch_convert.py firehose < audit.jsonl > object.gz

filter-log-events: one `aws logs filter-log-events --output json` document (indent 4), each line
a log event's message. firehose: a Firehose S3 object: DATA_MESSAGE documents of 25 events, one
gzip member each (level 6, as CloudWatch), concatenated and gzipped once more (level 1). Both are
written as they go (constant memory); deterministic (no clock, gzip mtime 0). The byte count of
the shape's own decompressed text (the document, or the documents back to back) goes to stderr
as `bytes=N`.
"""

import gzip
import json
import sys

STREAMS = ["kube-apiserver-audit-5e1c0b7a9d2f4e6a8b3c1d0e9f7a6b5c",
           "kube-apiserver-audit-a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8"]
BASE_MS = 1740470400000
BATCH = 25


def messages():
    for line in sys.stdin.buffer:
        line = line.rstrip(b"\n")
        if line:
            yield line.decode("utf-8", "replace")


def filter_log_events(out):
    written = 0

    def put(text):
        nonlocal written
        data = text.encode()
        out.write(data)
        written += len(data)

    put('{\n    "events": [')
    for n, message in enumerate(messages()):
        event = {"logStreamName": STREAMS[n % 2], "timestamp": BASE_MS + n, "message": message,
                 "ingestionTime": BASE_MS + n + 700, "eventId": "%056d" % n}
        body = json.dumps(event, indent=4, ensure_ascii=False).replace("\n", "\n        ")
        put(("," if n else "") + "\n        " + body)
    put('\n    ],\n    "searchedLogStreams": [\n' +
        ",\n".join('        {\n            "logStreamName": "%s",\n'
                   '            "searchedCompletely": true\n        }' % s for s in STREAMS) +
        "\n    ]\n}\n")
    return written


def firehose(out):
    written = 0
    outer = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0)
    batch = []

    def flush(n):
        nonlocal written
        doc = json.dumps({"messageType": "DATA_MESSAGE", "owner": "418295736104",
                          "logGroup": "/aws/eks/bench/cluster", "logStream": STREAMS[n % 2],
                          "subscriptionFilters": ["bench"], "logEvents": batch},
                         separators=(",", ":"), ensure_ascii=False).encode()
        written += len(doc)
        outer.write(gzip.compress(doc, compresslevel=6, mtime=0))
        batch.clear()

    n = 0
    for n, message in enumerate(messages()):
        batch.append({"id": "%056d" % n, "timestamp": BASE_MS + n, "message": message})
        if len(batch) == BATCH:
            flush(n)
    if batch:
        flush(n)
    outer.close()
    return written


def main():
    shapes = {"filter-log-events": filter_log_events, "firehose": firehose}
    if len(sys.argv) != 2 or sys.argv[1] not in shapes:
        sys.exit("usage: cloudwatch_convert.py filter-log-events|firehose < audit.jsonl > out")
    written = shapes[sys.argv[1]](sys.stdout.buffer)
    sys.stdout.buffer.flush()
    print("bytes=%d" % written, file=sys.stderr)


if __name__ == "__main__":
    main()
