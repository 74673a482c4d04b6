#!/usr/bin/env python3
"""Converts raw audit JSON lines into the GKE `gcloud logging read --format=json` array of the
same requests (as samples/gke/generate.py does: one LogEntry per counted request, plus the
`first` entry of each watch; 2-space indent, keys sorted), streaming, in the input's order.

    python3 bench/gke_array.py RAW.jsonl OUT.json
"""

import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "gke"))
import generate  # noqa: E402  (samples/gke/generate.py: the LogEntry mapping)


def main(raw, out):
    rng = random.Random(42)
    first = True
    with open(raw, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        dst.write("[\n")
        for line in src:
            event = json.loads(line)
            if not generate.is_counted(event):
                continue
            shapes = [(True, False), (False, True)] if event["verb"] == "watch" else [(True, True)]
            for opens, closes in shapes:
                text = json.dumps(generate.entry(event, rng, opens, closes), indent=2, sort_keys=True,
                                  ensure_ascii=False)
                dst.write(("" if first else ",\n") + "  " + text.replace("\n", "\n  "))
                first = False
        dst.write("\n]\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
