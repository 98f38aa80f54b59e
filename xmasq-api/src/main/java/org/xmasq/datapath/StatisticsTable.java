package org.xmasq.datapath;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xmasq.bpf.PerCpuMap;

/** The {@code stats} map: one u64 per counter per CPU, read here summed over the CPUs. */
public final class StatisticsTable {
    private final PerCpuMap<Integer, Long> map;
    private final Runnable guard;
    private final Clock clock;

    public StatisticsTable(PerCpuMap<Integer, Long> map, Runnable guard) {
        this(map, guard, Clock.systemUTC());
    }

    public StatisticsTable(PerCpuMap<Integer, Long> map, Runnable guard, Clock clock) {
        this.map = Objects.requireNonNull(map, "map");
        this.guard = guard == null ? () -> { } : guard;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One counter summed over the CPUs. */
    public long get(Stat stat) {
        Objects.requireNonNull(stat, "stat");
        guard.run();
        return map.lookupCombined(stat.index(), Long::sum).orElse(0L);
    }

    /** One counter by its Java or C name. */
    public long get(String name) {
        return get(Statistics.stat(name));
    }

    /** Every counter, summed over the CPUs, at one moment. */
    public Statistics snapshot() {
        guard.run();
        Map<Stat, Long> sums = new EnumMap<>(Stat.class);
        for (Map.Entry<Integer, List<Long>> e : map.lookupAll().entrySet()) {
            int idx = e.getKey();
            if (idx >= 0 && idx < Stat.COUNT) {
                sums.put(Stat.of(idx), e.getValue().stream().mapToLong(Long::longValue).sum());
            }
        }
        return new Statistics(clock.instant(), sums);
    }

    /** Sets every counter to 0 on every CPU (a datapath running meanwhile may add to them at once). */
    public void reset() {
        guard.run();
        for (Stat s : Stat.values()) {
            map.putOnAllCpus(s.index(), 0L);
        }
    }
}
