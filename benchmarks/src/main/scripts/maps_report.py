#!/usr/bin/env python3
"""Summarises one bin/bench-maps run: medians over interleaved rounds, ratios to C, targets.

Reads, from the results directory given as the only argument:
  c-<round>-<op>.tsv         mapbench output: op, median wall ns/op, ..., median CPU ns/op
  <column>-<round>-<op>.json JMH JSON (-rf json) of MapOpsBenchmark for one column (ffm25, jna17, jna25):
                             primary metric = wall ns/op, secondary cpuNsPerElement, gc.alloc.rate.norm
Writes rounds.csv (one row per round, column, operation) and summary.csv next to them, and prints the tables.

Two metrics, both per operation (per element for batches):
  wall  wall-clock time (JMH AverageTime; CLOCK_MONOTONIC in C), what the issue's targets are stated in;
  cpu   the benchmark thread's CPU time (ThreadMXBean; CLOCK_THREAD_CPUTIME_ID in C), which leaves out the time
        spent waiting for a CPU and so varies far less when other tenants load the machine.
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
METRICS = [
    ("wall", "wall-clock"),
    ("cpu", "thread CPU time"),
]
# The targets: FFM single ops >= 0.90x C, JNA single ops >= 0.75x C, batch ops >= 0.90x C (either backend).
TARGETS = {("ffm", False): 0.90, ("jna", False): 0.75, ("ffm", True): 0.90, ("jna", True): 0.90}


def read_c(path):
    """{(metric, op): ns}"""
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            out[("wall", fields[0])] = float(fields[1])
            out[("cpu", fields[0])] = float(fields[6])
    return out


def iterations_median(metric):
    return statistics.median(v for fork in metric["rawData"] for v in fork)


def read_jmh(path):
    """{(metric, op): value} with metrics wall, cpu and alloc (bytes per op)."""
    out = {}
    with open(path) as f:
        results = json.load(f)
    for r in results:
        op = r["benchmark"].rsplit(".", 1)[1]
        if r["primaryMetric"]["scoreUnit"] != "ns/op":
            raise SystemExit(f"{path}: unexpected unit {r['primaryMetric']['scoreUnit']}")
        out[("wall", op)] = iterations_median(r["primaryMetric"])
        secondary = r.get("secondaryMetrics", {})
        if "cpuNsPerElement" in secondary:
            out[("cpu", op)] = iterations_median(secondary["cpuNsPerElement"])
        if "gc.alloc.rate.norm" in secondary:
            # median, not JMH's mean: the first iteration can still carry JIT-time allocation
            out[("alloc", op)] = iterations_median(secondary["gc.alloc.rate.norm"])
    return out


def round_of(path):
    return int(re.search(r"-(\d+)-\w+\.(tsv|json)$", path).group(1))


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def main(results):
    per_round = {}  # (column, metric, op) -> {round: value}
    for path in glob.glob(os.path.join(results, "c-*.tsv")):
        for (metric, op), v in read_c(path).items():
            per_round.setdefault(("c", metric, op), {})[round_of(path)] = v
    columns = []
    for column in COLUMNS:
        paths = glob.glob(os.path.join(results, f"{column[0]}-*.json"))
        if paths:
            columns.append(column)
        for path in paths:
            for (metric, op), v in read_jmh(path).items():
                per_round.setdefault((column[0], metric, op), {})[round_of(path)] = v

    with open(os.path.join(results, "rounds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "column", "metric", "op", "value"])
        for (col, metric, op), rounds in sorted(per_round.items()):
            for rnd, v in sorted(rounds.items()):
                w.writerow([rnd, col, metric, op, f"{v:.2f}"])

    def median(col, metric, op):
        rounds = per_round.get((col, metric, op))
        return statistics.median(rounds.values()) if rounds else None

    def ratio_range(col, metric, op):
        c, b = per_round.get(("c", metric, op), {}), per_round.get((col, metric, op), {})
        ratios = [c[r] / b[r] for r in c if r in b]
        return (min(ratios), max(ratios)) if ratios else (None, None)

    n_rounds = len(per_round.get(("c", "wall", OPS[0]), {}))
    summary = []
    met_by_metric = {}
    for metric, title in METRICS:
        print(f"\n[{title}] ns per operation (batch: per element, 256 per call), median of {n_rounds} rounds")
        print(f"{'operation':<14}{'C':>10}" + "".join(f"{h:>12}" for _, h, _ in columns))
        for op in OPS:
            print(f"{op:<14}{fmt(median('c', metric, op), '10.1f')}"
                  + "".join(f"{fmt(median(p, metric, op), '12.1f')}" for p, _, _ in columns))

        print(f"[{title}] throughput relative to C = C_ns / backend_ns, target, met? [lowest..highest round]")
        print(f"{'operation':<14}" + "".join(f"{h:>30}" for _, h, _ in columns))
        all_met = True
        for op in OPS:
            batch = op.startswith("batch")
            cells = []
            for prefix, _, backend in columns:
                c, b = median("c", metric, op), median(prefix, metric, op)
                target = TARGETS[(backend, batch)]
                if c is None or b is None:
                    cells.append(f"{'-':>30}")
                    all_met = False
                    continue
                ratio = c / b
                met = ratio >= target
                all_met &= met
                lo, hi = ratio_range(prefix, metric, op)
                cells.append(f"{ratio:5.2f} >={target:.2f} {'yes' if met else 'NO':<3} [{lo:.2f}..{hi:.2f}]".rjust(30))
                summary.append([metric, op, prefix, f"{c:.2f}", f"{b:.2f}", f"{ratio:.3f}", f"{target:.2f}",
                                "yes" if met else "no", f"{lo:.3f}", f"{hi:.3f}",
                                fmt(median(prefix, "alloc", op), ".1f")])
            print(f"{op:<14}" + "".join(cells))
        met_by_metric[metric] = all_met

    print("\nJava heap bytes allocated per operation (JMH -prof gc, gc.alloc.rate.norm, median; should be ~0)")
    print(f"{'operation':<14}" + "".join(f"{h:>12}" for _, h, _ in columns))
    for op in OPS:
        print(f"{op:<14}" + "".join(f"{fmt(median(p, 'alloc', op), '12.1f')}" for p, _, _ in columns))

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
