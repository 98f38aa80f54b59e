package org.xmasq.datapath;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The datapath's counters at one moment, each summed over every CPU.
 *
 * @param takenAt when they were read
 * @param counters every {@link Stat}, in index order
 */
public record Statistics(Instant takenAt, Map<Stat, Long> counters) {
    public Statistics {
        Objects.requireNonNull(takenAt, "takenAt");
        EnumMap<Stat, Long> all = new EnumMap<>(Stat.class);
        for (Stat s : Stat.values()) {
            all.put(s, counters.getOrDefault(s, 0L));
        }
        counters = Collections.unmodifiableMap(all);
    }

    public long get(Stat stat) {
        return counters.get(Objects.requireNonNull(stat, "stat"));
    }

    /** A counter by name: the Java name ({@code HIT_INGRESS}) or the C name ({@code STAT_HIT_INGRESS}), any case. */
    public long get(String name) {
        return get(Statistics.stat(name));
    }

    static Stat stat(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.strip().toUpperCase(java.util.Locale.ROOT);
        for (Stat s : Stat.values()) {
            if (s.name().equals(n) || s.cName().equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no counter named '" + name + "'");
    }

    /** Packets the fast paths redirected. */
    public long hits() {
        return counters.entrySet().stream().filter(e -> e.getKey().isHit()).mapToLong(Map.Entry::getValue).sum();
    }

    /** Packets the fast paths passed to the slow path marked for learning. */
    public long misses() {
        return counters.entrySet().stream().filter(e -> e.getKey().isMiss()).mapToLong(Map.Entry::getValue).sum();
    }

    /** What happened between {@code earlier} and this snapshot. */
    public Delta since(Statistics earlier) {
        Objects.requireNonNull(earlier, "earlier");
        EnumMap<Stat, Long> d = new EnumMap<>(Stat.class);
        for (Stat s : Stat.values()) {
            d.put(s, get(s) - earlier.get(s));
        }
        return new Delta(Duration.between(earlier.takenAt, takenAt), d);
    }

    /**
     * The change of every counter between two snapshots. A negative value means the counters were reset between them.
     *
     * @param elapsed time between the snapshots
     * @param counters change of every {@link Stat}
     */
    public record Delta(Duration elapsed, Map<Stat, Long> counters) {
        public Delta {
            Objects.requireNonNull(elapsed, "elapsed");
            counters = Collections.unmodifiableMap(new EnumMap<>(counters));
        }

        public long get(Stat stat) {
            return counters.getOrDefault(Objects.requireNonNull(stat, "stat"), 0L);
        }

        public long get(String name) {
            return get(Statistics.stat(name));
        }

        /** The counter's rate over the interval (0 for an empty interval). */
        public double perSecond(Stat stat) {
            long nanos = elapsed.toNanos();
            return nanos <= 0 ? 0 : get(stat) * 1e9 / nanos;
        }

        public long hits() {
            return counters.entrySet().stream().filter(e -> e.getKey().isHit()).mapToLong(Map.Entry::getValue).sum();
        }

        public long misses() {
            return counters.entrySet().stream().filter(e -> e.getKey().isMiss()).mapToLong(Map.Entry::getValue)
                    .sum();
        }

        /** Counters that changed, by name, in index order (for logs). */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("Statistics.Delta[" + elapsed.toMillis() + " ms");
            counters.forEach((s, v) -> {
                if (v != 0) {
                    b.append(", ").append(s).append('=').append(v);
                }
            });
            return b.append(']').toString();
        }
    }
}
