#!/usr/bin/env python3
"""Summarises one bench/run: medians, per-round ratios against the reference, peak RSS, targets.

Usage: report.py RAW.jsonl RANGE.json OUT.json REVISION
Prints one table; writes every figure (and the raw runs) to OUT.json.
Ratios are taken per round (each Crate run against the reference run of the same round, which
ran moments before it) and the median of those ratios is reported, so slow spells on this
shared machine hit both sides of a pair.
"""
import json
import os
import statistics
import sys

raw_path, range_path, out_path, revision = sys.argv[1:5]
runs = [json.loads(line) for line in open(raw_path) if line.strip()]
measured = [r for r in runs if r["round"] >= 1]
REFERENCE = {"local": "cp -r + sync", "export": "cp -r + sync", "s3": "aws s3 cp --recursive"}
MIB = 1024

def rows_of(set_, group=None, name=None):
    return [r for r in measured if r["set"] == set_ and (group is None or r["group"] == group)
            and (name is None or r["name"] == name)]

def ref_group(group):
    return "local" if group == "export" else group

summary = []
seen = []
for r in measured:
    key = (r["set"], r["group"], r["name"])
    if key not in seen:
        seen.append(key)
for set_, group, name in seen:
    own = rows_of(set_, group, name)
    entry = {"set": set_, "group": group, "name": name, "runs": len(own),
             "median_s": statistics.median(r["seconds"] for r in own),
             "min_s": min(r["seconds"] for r in own), "max_s": max(r["seconds"] for r in own),
             "peak_rss_mib": max(r["rss_kib"] for r in own) / MIB, "ratio": None}
    ref_name = REFERENCE.get(group)
    if ref_name and name != ref_name:
        refs = {r["round"]: r["seconds"] for r in rows_of(set_, ref_group(group), ref_name)}
        ratios = [r["seconds"] / refs[r["round"]] for r in own if refs.get(r["round"])]
        if ratios:
            entry["ratio"] = statistics.median(ratios)
    summary.append(entry)

def find(set_, group, name):
    for e in summary:
        if (e["set"], e["group"], e["name"]) == (set_, group, name):
            return e
    return None

targets = []
def target(label, value, limit, ok, unit=""):
    targets.append({"target": label, "value": value, "limit": limit,
                    "met": None if value is None else ok, "unit": unit})

def ratio_target(label, set_, group, name, limit):
    e = find(set_, group, name)
    value = e and e["ratio"]
    target(label, value, limit, value is not None and value <= limit, "x")

ratio_target("A local import sealed+chunked <= 1.5 x cp", "A", "local", "crate import sealed-chunked", 1.5)
ratio_target("A local import plain whole-file <= 1.2 x cp", "A", "local", "crate import plain-whole", 1.2)
ratio_target("A export sealed+chunked <= 1.5 x cp", "A", "export", "crate export sealed-chunked", 1.5)
best = [e for e in summary if e["set"] == "A" and e["group"] == "s3" and e["name"].startswith("crate")
        and e["ratio"] is not None]
for e in best:
    ratio_target(f"A -> S3 {e['name'][13:]} <= 1.0 x aws", "A", "s3", e["name"], 1.0)
for combo in ("plain-chunked", "sealed-chunked"):
    e = find("B", "s3", f"crate import {combo}")
    if e and e["ratio"] is not None:
        target(f"B -> S3 {combo} >= 3 x faster than aws", 1 / e["ratio"], 3.0, 1 / e["ratio"] >= 3.0, "x faster")
crate_a = [r for r in measured if r["set"] == "A" and r["name"].startswith("crate")]
if crate_a:
    peak = max(r["rss_kib"] for r in crate_a) / MIB
    target("peak RSS of every Crate run on A <= 150 MiB", peak, 150, peak <= 150, "MiB")
for combo in ("plain-whole", "sealed-chunked"):
    c = find("C", "memory", f"crate import {combo}")
    a = find("A", "local", f"crate import {combo}")
    if c and a:
        growth = c["peak_rss_mib"] / a["peak_rss_mib"]
        target(f"peak RSS {combo}: C (4 GiB) / A <= 1.10", growth, 1.10, growth <= 1.10, "x")
range_counts = None
if os.path.exists(range_path):
    range_counts = json.load(open(range_path))
    fetched = range_counts["bytesRead"]
    target("64 KiB range read fetches <= one chunk (4 MiB)", fetched, range_counts["chunk_size"],
           fetched <= range_counts["chunk_size"], "bytes")

rounds = sorted({r["round"] for r in measured if r["group"] != "memory"})
lines = [f"Crate benchmarks ({revision}); {len(rounds)} measured round(s) after "
         f"{'a warm-up' if any(r['round'] == 0 for r in runs) else 'no warm-up'}; "
         "ratio = median over rounds of (run / reference of the same round)",
         f"{'set':<3} {'group':<6} {'run':<30} {'median s':>9} {'min-max s':>13} {'ratio':>7} {'peak RSS':>9}"]
lines.append("-" * len(lines[1]))
for e in summary:
    ratio = "" if e["ratio"] is None else f"{e['ratio']:.2f}x"
    if e["name"] == REFERENCE.get(e["group"]):
        ratio = "ref"
    lines.append(f"{e['set']:<3} {e['group']:<6} {e['name']:<30} {e['median_s']:>9.2f} "
                 f"{e['min_s']:>6.2f}-{e['max_s']:<6.2f} {ratio:>7} {e['peak_rss_mib']:>6.0f} MiB")
if range_counts:
    lines.append(f"range read: 64 KiB at offset {range_counts['offset']} of a 40 MiB file, sealed chunked S3: "
                 f"{range_counts['bytesRead']} bytes in {range_counts['gets']} GETs "
                 f"(returned {range_counts['returned']} bytes)")
lines.append("")
lines.append("targets:")
for t in targets:
    verdict = {True: "met", False: "MISSED", None: "n/a"}[t["met"]]
    value = "n/a" if t["value"] is None else (f"{t['value']:.2f}" if isinstance(t["value"], float) else t["value"])
    lines.append(f"  {verdict:<6} {t['target']}: {value} {t['unit']}")
print("\n".join(lines))
json.dump({"revision": revision, "summary": summary, "targets": targets, "range_read": range_counts,
           "runs": runs}, open(out_path, "w"), indent=1)
