#!/usr/bin/env python3
"""Prints the criterion results of benches/verify.rs as Markdown tables with ratios.

Reads target/criterion/*/*/new/{benchmark,estimates}.json (written by
`cargo bench -p httpseal-bench --bench verify`); the ratio of each row is to the first row of its group,
the bare ed25519-dalek floor (httpseal's default backend) where the group has one.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
ORDER = ["ed25519-dalek (floor)", "ed25519-compact (floor)", "httpseal parse+base", "httpseal parse+base+policy",
         "httpseal", "httpseal incl. HttpMessage", "web-bot-auth", "httpsig"]
GROUPS = ["E.2.1", "verify E.2.1", "verify E.2.1 httpsig-order", "sign E.2.1"]

groups = {}
for meta_path in ROOT.glob("*/*/new/benchmark.json"):
    meta = json.loads(meta_path.read_text())
    est = json.loads((meta_path.parent / "estimates.json").read_text())["median"]
    groups.setdefault(meta["group_id"], []).append(
        (meta["function_id"], est["point_estimate"], est["confidence_interval"]))

for group in GROUPS:
    rows = sorted(groups.get(group, []), key=lambda r: ORDER.index(r[0]) if r[0] in ORDER else 99)
    if not rows:
        continue
    base = rows[0][1]
    print(f"\n**{group}** (median of criterion samples; ratio to the first row)\n")
    print("| implementation | median | 95% CI | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, med, ci in rows:
        lo, hi = ci["lower_bound"] / 1000, ci["upper_bound"] / 1000
        print(f"| {name} | {med / 1000:.2f} µs | {lo:.2f}–{hi:.2f} µs | {med / base:.3f} |")
