package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;

/**
 * A walk visits at most max_entries keys and takes a bounded number of steps, even when every visit deletes the
 * current key and inserts a new one (a map that never holds still).
 */
class IterationEndsEvenWhenTheMapChurns {
    @Test
    void endlessReplacementStopsAtMaxEntries() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            for (int i = 0; i < 10; i++) {
                m.put(i, 0L);
            }
            AtomicInteger next = new AtomicInteger(1000);
            AtomicInteger visits = new AtomicInteger();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> m.forEach((k, v) -> {
                visits.incrementAndGet();
                m.delete(k);
                m.put(next.getAndIncrement(), 0L);
            }));
            assertTrue(visits.get() <= m.maxEntries(), "visited " + visits.get() + " > max " + m.maxEntries());
            assertTrue(visits.get() >= 10, "the original keys were visited: " + visits.get());
        }
    }
}
