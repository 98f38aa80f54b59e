#!/usr/bin/env python3
"""Summarises one bin/bench-maps run: medians over interleaved rounds, ratios to C, targets.

Reads, from the results directory given as the only argument:
  c-<round>-<op>.tsv         mapbench output (op, median ns/op over its inner rounds, ...)
  <column>-<round>-<op>.json JMH JSON (-rf json) of MapOpsBenchmark for one column (ffm25, jna17, jna25)
Writes rounds.csv (one row per round, column and operation) and summary.csv next to them, and prints the table.

A round's figure is the median of its measurement iterations (JMH) or inner rounds (C); the reported figure is
the median of the rounds' figures. Ratios are throughput relative to C: C_ns / backend_ns (1.00 = as fast as C).
"""
import csv
import glob
import json
import os
import re
import statistics
import sys

OPS = ["singleUpdate", "singleLookup", "batchUpdate", "batchLookup"]
COLUMNS = [  # (file prefix, heading, backend for targets)
    ("ffm25", "FFM jdk25", "ffm"),
    ("jna17", "JNA jdk17", "jna"),
    ("jna25", "JNA jdk25", "jna"),
]
# The targets: FFM single ops >= 0.90x C, JNA single ops >= 0.75x C, batch ops >= 0.90x C (either backend).
TARGETS = {("ffm", False): 0.90, ("jna", False): 0.75, ("ffm", True): 0.90, ("jna", True): 0.90}


def read_c(path):
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            out[fields[0]] = float(fields[1])
    return out


def read_jmh(path):
    ns, alloc = {}, {}
    with open(path) as f:
        results = json.load(f)
    for r in results:
        op = r["benchmark"].rsplit(".", 1)[1]
        if r["primaryMetric"]["scoreUnit"] != "ns/op":
            raise SystemExit(f"{path}: unexpected unit {r['primaryMetric']['scoreUnit']}")
        iterations = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        ns[op] = statistics.median(iterations)
        norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        if norm is not None:
            # median, not JMH's mean: the first iteration can still carry JIT-time allocation
            alloc[op] = statistics.median(v for fork in norm["rawData"] for v in fork)
    return ns, alloc


def round_of(path):
    return int(re.search(r"-(\d+)-\w+\.(tsv|json)$", path).group(1))


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def main(results):
    per_round = {}  # (column, op) -> {round: ns}
    allocs = {}  # (column, op) -> [bytes/op per round]
    for path in glob.glob(os.path.join(results, "c-*.tsv")):
        for op, ns in read_c(path).items():
            per_round.setdefault(("c", op), {})[round_of(path)] = ns
    present = []
    for prefix, _, _ in COLUMNS:
        paths = glob.glob(os.path.join(results, f"{prefix}-*.json"))
        if paths:
            present.append(prefix)
        for path in paths:
            ns, alloc = read_jmh(path)
            for op, v in ns.items():
                per_round.setdefault((prefix, op), {})[round_of(path)] = v
            for op, v in alloc.items():
                allocs.setdefault((prefix, op), []).append(v)
    columns = [c for c in COLUMNS if c[0] in present]

    with open(os.path.join(results, "rounds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "column", "op", "ns_per_op"])
        for (col, op), rounds in sorted(per_round.items()):
            for rnd, ns in sorted(rounds.items()):
                w.writerow([rnd, col, op, f"{ns:.2f}"])

    def median(col, op):
        rounds = per_round.get((col, op))
        return statistics.median(rounds.values()) if rounds else None

    def ratio_range(col, op):
        c, b = per_round.get(("c", op), {}), per_round.get((col, op), {})
        ratios = [c[r] / b[r] for r in c if r in b]
        return (min(ratios), max(ratios)) if ratios else None

    n_rounds = len(per_round.get(("c", OPS[0]), {}))
    print(f"\nMap operations, median over {n_rounds} interleaved rounds "
          "(ns per operation; batch: ns per element, batches of 256)")
    head = f"{'operation':<14}{'C':>10}" + "".join(f"{h:>12}" for _, h, _ in columns)
    print(head)
    for op in OPS:
        print(f"{op:<14}{fmt(median('c', op), '10.1f')}"
              + "".join(f"{fmt(median(p, op), '12.1f')}" for p, _, _ in columns))

    print("\nThroughput relative to C (C_ns / backend_ns; 1.00 = as fast as C), target, met?"
          " [lowest..highest round]")
    print(f"{'operation':<14}" + "".join(f"{h:>34}" for _, h, _ in columns))
    summary = []
    all_met = True
    for op in OPS:
        batch = op.startswith("batch")
        cells = []
        for prefix, _, backend in columns:
            c, b = median("c", op), median(prefix, op)
            target = TARGETS[(backend, batch)]
            if c is None or b is None:
                cells.append(f"{'-':>34}")
                continue
            ratio = c / b
            met = ratio >= target
            all_met &= met
            lo, hi = ratio_range(prefix, op)
            cells.append(f"{ratio:6.2f} >={target:.2f} {'yes' if met else 'NO ':>3} [{lo:.2f}..{hi:.2f}]".rjust(34))
            a = allocs.get((prefix, op))
            summary.append([op, prefix, f"{c:.2f}", f"{b:.2f}", f"{ratio:.3f}", f"{target:.2f}",
                            "yes" if met else "no", f"{lo:.3f}", f"{hi:.3f}",
                            "" if not a else f"{statistics.median(a):.1f}"])
        print(f"{op:<14}" + "".join(cells))

    if allocs:
        print("\nJava heap allocated per operation (bytes, JMH -prof gc gc.alloc.rate.norm, median iteration; should be ~0)")
        print(f"{'operation':<14}" + "".join(f"{h:>12}" for _, h, _ in columns))
        for op in OPS:
            print(f"{op:<14}" + "".join(
                f"{fmt(statistics.median(allocs[(p, op)]) if (p, op) in allocs else None, '12.1f')}"
                for p, _, _ in columns))

    with open(os.path.join(results, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["op", "column", "c_ns", "backend_ns", "ratio_c_over_backend", "target", "met",
                    "ratio_min_round", "ratio_max_round", "alloc_bytes_per_op"])
        w.writerows(summary)
    print(f"\nAll targets met: {'yes' if all_met else 'NO'}")
    print(f"CSV: {os.path.join(results, 'summary.csv')} and rounds.csv")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: maps_report.py RESULTS_DIR")
    sys.exit(main(sys.argv[1]))
