package org.xmasq.examples.bench;

import java.util.Map;

/** An accelerator attached to a testbed: its counters while it runs; {@link #close()} takes it away completely. */
public interface Acceleration extends AutoCloseable {
    /** Counter name -> value summed over all nodes (names as in org.xmasq.datapath.Stat: HIT_*, MISS_*, ...). */
    Map<String, Long> counters();

    /** Detaches everything from the testbed and removes its state, leaving the plain overlay. */
    @Override
    void close();

    /** Sum of the counters whose name starts with {@code prefix}. */
    static long sum(Map<String, Long> counters, String prefix) {
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
