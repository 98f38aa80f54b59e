package org.xmasq.examples.bench;

import java.util.List;

/** One reported number of a workload, with its unit and whether bigger is better. */
public enum Metric {
    GBPS("Gbit/s", true),
    LOSS_PCT("% lost", false),
    CPU_US_PER_MB("CPU us/MB", false),
    RATE("tx/s", true),
    P50_US("p50 us", false),
    P99_US("p99 us", false),
    CPU_US_PER_TX("CPU us/tx", false),
    /** Busy time of the whole machine (/proc/stat), not only our processes: other load shows up here. */
    SYS_CPU_US_PER_TX("sys CPU us/tx", false),
    SYS_CPU_US_PER_MB("sys CPU us/MB", false),
    /** XMasq fast-path hits (all hosts, all HIT_* counters) during the test. */
    XMASQ_HITS("XMasq hits", true),
    /** XMasq misses (all MISS_* counters) during the test. */
    XMASQ_MISSES("XMasq misses", false),
    /** Hits per transaction: 4 when all four legs of an inter-host round trip were fast, 2 intra-host. */
    XMASQ_HITS_PER_TX("XMasq hits/tx", true);

    private final String unit;
    private final boolean higherIsBetter;

    Metric(String unit, boolean higherIsBetter) {
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether the ratio to the host network means something (not for XMasq's own counters or loss). */
    public boolean comparable() {
        return !name().startsWith("XMASQ") && this != LOSS_PCT;
    }

    /** The metrics a workload reports, in table order. */
    public static List<Metric> of(Workload w) {
        return w.stream()
                ? (w.udp() ? List.of(GBPS, LOSS_PCT, CPU_US_PER_MB, SYS_CPU_US_PER_MB, XMASQ_HITS, XMASQ_MISSES)
                        : List.of(GBPS, CPU_US_PER_MB, SYS_CPU_US_PER_MB, XMASQ_HITS, XMASQ_MISSES))
                : List.of(RATE, P50_US, P99_US, CPU_US_PER_TX, SYS_CPU_US_PER_TX, XMASQ_HITS_PER_TX, XMASQ_MISSES);
    }
}
