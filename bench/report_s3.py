#!/usr/bin/env python3
"""Reports bench/s3's runs: per network (https, latency), operation and tool, the median wall
time, CPU (user+sys) per MiB and peak RSS; ratios are medians over rounds of (run / reference
of the same round); then the issue-15 targets with their verdicts."""
import json
import statistics
import sys
from collections import defaultdict

from verdicts import print_verdicts

raw, commit = sys.argv[1], sys.argv[2]
runs = [json.loads(line) for line in open(raw) if line.strip()]
by = defaultdict(dict)  # (net, op, tool) -> round -> run
for run in runs:
    by[(run["net"], run["op"], run["tool"])][run["round"]] = run


def ratio(key, ref):
    values = [r["seconds"] / by[ref][n]["seconds"] for n, r in by[key].items() if n in by[ref] and by[ref][n]["seconds"] > 0]
    return statistics.median(values) if values else float("nan")


def cpu_ratio(key, ref):
    values = []
    for n, r in by[key].items():
        if n in by[ref]:
            other = by[ref][n]["user"] + by[ref][n]["sys"]
            if other > 0:
                values.append((r["user"] + r["sys"]) / other)
    return statistics.median(values) if values else float("nan")


rounds = max(len(v) for v in by.values())
print(f"Crate S3 benchmarks ({commit}); {rounds} interleaved round(s); ratio = median over rounds of (run / reference)")
print(f"{'net':8} {'op':5} {'tool':27} {'median s':>9} {'cpu s':>7} {'vs aws':>7} {'vs rclone':>9} {'peak RSS':>9}")
print("-" * 89)
for net in ("https", "latency"):
    for op in ("up", "down"):
        for tool in ("aws", "rclone", "crate plain-whole", "crate plain-chunked", "crate sealed-whole",
                     "crate sealed-chunked", "crate plain-chunked +audio"):
            key = (net, op, tool)
            if key not in by:
                continue
            rs = list(by[key].values())
            secs = statistics.median(r["seconds"] for r in rs)
            cpu = statistics.median(r["user"] + r["sys"] for r in rs)
            rss = max(r["rss_kib"] for r in rs) / 1024
            print(f"{net:8} {op:5} {tool:27} {secs:9.2f} {cpu:7.2f} {ratio(key, (net, op, 'aws')):6.2f}x "
                  f"{ratio(key, (net, op, 'rclone')):8.2f}x {rss:6.0f} MiB")

targets = []
for combo in ("plain-chunked", "sealed-chunked"):
    key = ("https", "up", "crate " + combo)
    targets.append((f"HTTPS upload {combo} <= 1.0 x rclone", ratio(key, ("https", "up", "rclone")), 1.0))
    targets.append((f"HTTPS upload {combo} <= 0.8 x aws", ratio(key, ("https", "up", "aws")), 0.8))
    key = ("latency", "up", "crate " + combo)
    targets.append((f"latency upload {combo} <= 0.8 x aws", ratio(key, ("latency", "up", "aws")), 0.8))
for combo in ("plain-whole", "sealed-whole"):
    key = ("https", "up", "crate " + combo)
    targets.append((f"HTTPS upload {combo} <= 1.0 x aws", ratio(key, ("https", "up", "aws")), 1.0))
for combo in ("plain-whole", "plain-chunked", "sealed-whole", "sealed-chunked"):
    key = ("https", "down", "crate " + combo)
    targets.append((f"HTTPS export {combo} <= 1.0 x rclone download", ratio(key, ("https", "down", "rclone")), 1.0))
    key = ("https", "up", "crate " + combo)
    targets.append((f"HTTPS upload {combo} CPU <= 1.5 x rclone's", cpu_ratio(key, ("https", "up", "rclone")), 1.5))
worst = max((r["rss_kib"] / 1024, r["tool"], r["net"], r["op"]) for r in runs
            if r["tool"].startswith("crate") and not r["tool"].endswith("+audio"))
print_verdicts(targets, worst[0], f"{worst[1]}, {worst[2]} {worst[3]}")
