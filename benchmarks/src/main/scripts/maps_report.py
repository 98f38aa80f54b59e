#!/usr/bin/env python3
"""Summarises one bin/bench-maps run: medians over interleaved rounds, ratios to C, targets.

Reads, from the results directory given as the only argument, <column>-<round>-<op>.json: JMH JSON (-rf json)
of one MapOpsBenchmark operation for one column (ffm25, jna17, jna25). Each measurement iteration holds the Java
figures (primary metric = wall ns/op, cpuNsPerElement, gc.alloc.rate.norm) and its C twin, the same operation
timed by mapbench --serve right after it (cNsPerElement, cCpuNsPerElement).
Writes rounds.csv (one row per round, column, operation, metric) and summary.csv next to them, and prints the
tables.

Two metrics, both per operation (per element for batches):
  wall  wall-clock time (JMH AverageTime; CLOCK_MONOTONIC in C), what the issue's targets are stated in;
  cpu   the benchmark thread's CPU time (ThreadMXBean; CLOCK_THREAD_CPUTIME_ID in C), which leaves out the time
        spent waiting for a CPU and so varies far less when other tenants load the machine.
Ratios are throughput relative to C, C_ns / backend_ns (1.00 = as fast as C). A run's ratio is the median over its
iterations of C twin / Java iteration; the reported ratio is the median over rounds of the runs' ratios, and the
ns figures are medians over rounds of the runs' medians.
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
METRICS = [
    ("wall", "wall-clock"),
    ("cpu", "thread CPU time"),
]
# The targets: FFM single ops >= 0.90x C, JNA single ops >= 0.75x C, batch ops >= 0.90x C (either backend).
TARGETS = {("ffm", False): 0.90, ("jna", False): 0.75, ("ffm", True): 0.90, ("jna", True): 0.90}


def flat(metric):
    return [v for fork in metric["rawData"] for v in fork]


def read_jmh(path):
    """{(what, metric, op): value}; what = java, c (the twin), ratio (paired) or alloc."""
    out = {}
    with open(path) as f:
        results = json.load(f)
    for r in results:
        op = r["benchmark"].rsplit(".", 1)[1]
        if r["primaryMetric"]["scoreUnit"] != "ns/op":
            raise SystemExit(f"{path}: unexpected unit {r['primaryMetric']['scoreUnit']}")
        secondary = r.get("secondaryMetrics", {})
        java = {"wall": flat(r["primaryMetric"]), "cpu": flat(secondary["cpuNsPerElement"])}
        twin = {"wall": flat(secondary["cNsPerElement"]), "cpu": flat(secondary["cCpuNsPerElement"])}
        for metric in ("wall", "cpu"):
            out[("java", metric, op)] = statistics.median(java[metric])
            pairs = [(c, j) for c, j in zip(twin[metric], java[metric]) if c > 0 and j > 0]
            if pairs:
                out[("c", metric, op)] = statistics.median(c for c, _ in pairs)
                out[("ratio", metric, op)] = statistics.median(c / j for c, j in pairs)
        if "gc.alloc.rate.norm" in secondary:
            # median, not JMH's mean: the first iteration can still carry JIT-time allocation
            out[("alloc", None, op)] = statistics.median(flat(secondary["gc.alloc.rate.norm"]))
    return out


def round_of(path):
    return int(re.search(r"-(\d+)-\w+\.json$", path).group(1))


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def main(results):
    per_round = {}  # (column, what, metric, op) -> {round: value}
    columns = []
    for column in COLUMNS:
        paths = glob.glob(os.path.join(results, f"{column[0]}-*.json"))
        if paths:
            columns.append(column)
        for path in paths:
            for (what, metric, op), v in read_jmh(path).items():
                per_round.setdefault((column[0], what, metric, op), {})[round_of(path)] = v

    with open(os.path.join(results, "rounds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "column", "what", "metric", "op", "value"])
        for (col, what, metric, op), rounds in sorted(per_round.items(), key=str):
            for rnd, v in sorted(rounds.items()):
                w.writerow([rnd, col, what, metric or "", op, f"{v:.3f}"])

    def rounds_of(col, what, metric, op):
        return list(per_round.get((col, what, metric, op), {}).values())

    def median(col, what, metric, op):
        v = rounds_of(col, what, metric, op)
        return statistics.median(v) if v else None

    def c_median(metric, op):
        v = [x for p, _, _ in columns for x in rounds_of(p, "c", metric, op)]
        return statistics.median(v) if v else None

    n_rounds = max((len(r) for r in per_round.values()), default=0)
    summary = []
    met_by_metric = {}
    for metric, title in METRICS:
        print(f"\n[{title}] ns per operation (batch: per element, 256 per call), median of {n_rounds} rounds;"
              " C = its twin slices")
        print(f"{'operation':<14}{'C':>10}" + "".join(f"{h:>12}" for _, h, _ in columns))
        for op in OPS:
            print(f"{op:<14}{fmt(c_median(metric, op), '10.1f')}"
                  + "".join(f"{fmt(median(p, 'java', metric, op), '12.1f')}" for p, _, _ in columns))

        print(f"[{title}] throughput relative to C = C_ns / backend_ns, target, met? [lowest..highest round]")
        print(f"{'operation':<14}" + "".join(f"{h:>30}" for _, h, _ in columns))
        all_met = True
        for op in OPS:
            batch = op.startswith("batch")
            cells = []
            for prefix, _, backend in columns:
                ratios = rounds_of(prefix, "ratio", metric, op)
                target = TARGETS[(backend, batch)]
                if not ratios:
                    cells.append(f"{'-':>30}")
                    all_met = False
                    continue
                ratio = statistics.median(ratios)
                met = ratio >= target
                all_met &= met
                lo, hi = min(ratios), max(ratios)
                cells.append(f"{ratio:5.2f} >={target:.2f} {'yes' if met else 'NO':<3} [{lo:.2f}..{hi:.2f}]".rjust(30))
                summary.append([metric, op, prefix, fmt(median(prefix, "c", metric, op), ".2f"),
                                fmt(median(prefix, "java", metric, op), ".2f"), f"{ratio:.3f}", f"{target:.2f}",
                                "yes" if met else "no", f"{lo:.3f}", f"{hi:.3f}",
                                fmt(median(prefix, "alloc", None, op), ".1f")])
            print(f"{op:<14}" + "".join(cells))
        met_by_metric[metric] = all_met

    print("\nJava heap bytes allocated per operation (JMH -prof gc, gc.alloc.rate.norm, median; should be ~0)")
    print(f"{'operation':<14}" + "".join(f"{h:>12}" for _, h, _ in columns))
    for op in OPS:
        print(f"{op:<14}" + "".join(f"{fmt(median(p, 'alloc', None, op), '12.1f')}" for p, _, _ in columns))

    with open(os.path.join(results, "summary.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["metric", "op", "column", "c_ns", "backend_ns", "ratio_c_over_backend", "target", "met",
                    "ratio_min_round", "ratio_max_round", "alloc_bytes_per_op"])
        w.writerows(summary)
    print("\nAll targets met: " + ", ".join(f"{m}: {'yes' if ok else 'NO'}" for m, ok in met_by_metric.items()))
    print(f"CSV: {os.path.join(results, 'summary.csv')} and rounds.csv")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: maps_report.py RESULTS_DIR")
    sys.exit(main(sys.argv[1]))
