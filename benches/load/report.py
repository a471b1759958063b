#!/usr/bin/env python3
"""Turns the results of benches/load/run.sh into markdown tables: report.py OUT_DIR."""

import json
import os
import sys


def load(results, name):
    path = os.path.join(results, name + ".json")
    return json.load(open(path)) if os.path.exists(path) else None


def agreement(reference, totals):
    """Share of queries whose total is within 2 papers or 1 % of ratsuche's."""
    pairs = list(zip(reference, totals))
    if not pairs:
        return 0.0, 0
    close = sum(1 for ours, theirs in pairs if abs(ours - theirs) <= max(2, 0.01 * ours))
    return close / len(pairs), len(pairs)


def main():
    out = sys.argv[1]
    results = os.path.join(out, "results")
    lines = []
    indexing = load(results, "indexing")
    if indexing:
        lines += [
            "| papers | wall | papers/s | MB/s of text | index / text | peak RSS (own memory) | CPU-s | load avg |",
            "|---|---|---|---|---|---|---|---|",
            f"| {indexing['papers']:,.0f} | {indexing['wall_s']:.1f} s | {indexing['papers_per_s']:,.0f} "
            f"| {indexing['text_mb_per_s']:.1f} | {indexing['index_over_text']:.2f} "
            f"({indexing['index_bytes'] / 1e6:,.0f} MB of {indexing['text_bytes'] / 1e6:,.0f} MB) "
            f"| {indexing['peak_rss_mb']:,.0f} MB ({indexing.get('peak_anon_mb', 0):,.0f} MB) "
            f"| {indexing['cpu_s']:.0f} | {indexing['loadavg']} |",
            "",
        ]
    ours = load(results, "inprocess")
    rows = [("in-process floor (no HTTP), 1 thread", ours)]
    for name in ["closed_c1", "closed_c4", "closed_c16"]:
        rows.append((f"ratsuche /api/search, wrk closed loop c={name.split('_c')[1]}", load(results, name)))
    for name in sorted((n[:-5] for n in os.listdir(results) if n.startswith("paced_r")),
                       key=lambda n: float(n[7:])):
        rows.append((f"ratsuche /api/search, paced at {name[7:]}/s (64 connections)", load(results, name)))
    for name in ["fixed_c1", "fixed_c4", "fixed_c16"]:
        rows.append((f"HTTP floor (fixed body), c={name.split('_c')[1]}", load(results, name)))
    pg, xapian = load(results, "pg"), load(results, "xapian")
    rows.append(("PostgreSQL 15, 1 connection", pg))
    rows.append(("Xapian 1.4 (Python bindings, in-process)", xapian))
    lines += [
        "| run | queries | req/s | p50 ms | p90 ms | p99 ms | max ms | CPU-s / 1,000 q | load avg |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, row in rows:
        if not row:
            continue
        n = row.get("requests", row.get("queries"))
        rps = row.get("rps", row.get("qps"))
        if rps is None and row.get("wall_s"):
            rps = n / row["wall_s"]
        cpu = row.get("server_cpu_s_per_1000", row.get("cpu_s_per_1000"))
        lines.append(
            f"| {label} | {n:,} | {rps:,.0f} | {row['p50_ms']:.2f} | {row['p90_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {row['max_ms']:.1f} | {cpu:.2f} | {row.get('loadavg', '')} |"
        )
    lines.append("")
    if ours:
        for label, peer in [("PostgreSQL", pg), ("Xapian", xapian)]:
            if not peer:
                continue
            share, n = agreement(ours["totals"], peer["totals"])
            lines.append(f"- totals of {label} within 2 papers or 1 % of ratsuche's on "
                         f"{share:.0%} of the {n} queries it ran")
            # Speed on the queries whose totals agree: mean latency per query, both sides.
            per_query = ours.get("query_mean_ms") or []
            same = [idx for idx, (a, b) in enumerate(zip(ours["totals"], peer["totals"]))
                    if abs(a - b) <= max(2, 0.01 * a) and idx < len(per_query)
                    and per_query[idx] is not None]
            if same and "query_ms" in peer:
                ours_ms = sum(ours["query_mean_ms"][idx] for idx in same) / len(same)
                peer_ms = sum(peer["query_ms"][idx] for idx in same) / len(same)
                lines.append(f"  - on those {len(same)} queries: mean {peer_ms:.2f} ms against "
                             f"ratsuche in-process {ours_ms:.2f} ms ({peer_ms / ours_ms:.0f}x)")
            lines.append(f"  - CPU-s per 1,000 queries over the mix: {peer['cpu_s_per_1000']:.1f} "
                         f"against ratsuche in-process {ours['cpu_s_per_1000']:.2f} "
                         f"({peer['cpu_s_per_1000'] / ours['cpu_s_per_1000']:.0f}x)")
    for name in ["cold_start", "serving_memory", "pg_load", "xapian_load"]:
        row = load(results, name)
        if row:
            lines.append(f"- {name}: " + ", ".join(f"{k} {v}" for k, v in row.items()))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
