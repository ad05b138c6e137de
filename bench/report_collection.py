#!/usr/bin/env python3
"""Reports bench/collection's runs: per tool the median wall time, CPU (user+sys) and peak RSS;
ratios are medians over rounds of (run / reference of the same round); the cost of a release
beyond its bytes (the tree as releases minus the same tree as one release, per release); then
the issue-22 targets with their verdicts."""
import json
import statistics
import sys
from collections import defaultdict

from verdicts import print_verdicts

raw, commit = sys.argv[1], sys.argv[2]
runs = [json.loads(line) for line in open(raw) if line.strip()]
by = defaultdict(dict)  # tool -> round -> run
for run in runs:
    by[run["tool"]][run["round"]] = run
albums = runs[0]["albums"]


def ratio(tool, ref):
    if tool not in by or ref not in by:
        return float("nan")
    values = [r["seconds"] / by[ref][n]["seconds"] for n, r in by[tool].items() if n in by[ref] and by[ref][n]["seconds"] > 0]
    return statistics.median(values) if values else float("nan")


def per_release(field):
    """Median over rounds of (tree as releases - tree as one release) / albums, in ms."""
    values = []
    for n, r in by["crate local plain-chunked"].items():
        one = by["crate local plain-chunked one release"].get(n)
        if one:
            values.append((field(r) - field(one)) / albums * 1000)
    return statistics.median(values) if values else float("nan")


rounds = max(len(v) for v in by.values())
mib = runs[0]["bytes"] / (1 << 20)
print(f"Crate collection benchmark ({commit}); {albums} albums, {mib:.0f} MiB; {rounds} interleaved round(s)")
print(f"{'tool':40} {'median s':>9} {'cpu s':>7} {'vs restic':>9} {'vs rclone':>9} {'peak RSS':>9}")
print("-" * 90)
for tool in ("restic backup", "crate local sealed-chunked", "crate local plain-chunked",
             "crate local plain-chunked one release", "rclone copy", "crate S3 plain-chunked"):
    if tool not in by:
        continue
    rs = list(by[tool].values())
    secs = statistics.median(r["seconds"] for r in rs)
    cpu = statistics.median(r["user"] + r["sys"] for r in rs)
    rss = max(r["rss_kib"] for r in rs) / 1024
    print(f"{tool:40} {secs:9.2f} {cpu:7.2f} {ratio(tool, 'restic backup'):8.2f}x {ratio(tool, 'rclone copy'):8.2f}x {rss:6.0f} MiB")

wall = per_release(lambda r: r["seconds"])
cpu = per_release(lambda r: r["user"] + r["sys"])
print()
print(f"per release beyond its bytes (tree as {albums} releases - same tree as one release): "
      f"{wall:.1f} ms wall, {cpu:.1f} ms CPU")

targets = [
    ("local sealed-chunked tree <= 1.5 x restic backup", ratio("crate local sealed-chunked", "restic backup"), 1.5),
    ("local plain-chunked tree <= 1.2 x restic backup", ratio("crate local plain-chunked", "restic backup"), 1.2),
    ("S3 over HTTPS tree <= 1.0 x rclone copy", ratio("crate S3 plain-chunked", "rclone copy"), 1.0),
    ("CPU per release beyond its bytes <= 10 ms", cpu, 10.0),
]
worst = max((r["rss_kib"] / 1024, r["tool"]) for r in runs if r["tool"].startswith("crate"))
print_verdicts(targets, worst[0], worst[1], unit="")
