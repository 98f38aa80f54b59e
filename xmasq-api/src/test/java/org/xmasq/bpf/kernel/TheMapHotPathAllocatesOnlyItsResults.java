package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.Codecs;

/**
 * put/replace/delete with ready-made key and value objects allocate nothing per call on the real backend; lookup
 * allocates only its Optional and the decoded value.
 */
class TheMapHotPathAllocatesOnlyItsResults {
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void singleKeyOperations() {
        try (BpfObject o = KernelObjects.openTest().load()) {
            BpfMap<Integer, Long> lru = o.map("test_lru", Codecs.u32(), Codecs.u64());
            Integer key = 1000;
            Long value = 123_456L;
            for (int i = 0; i < 20_000; i++) { // warm up (JIT, first-use allocations)
                lru.put(key, value);
                lru.lookup(key);
                lru.delete(key);
            }
            int n = 20_000;
            long before = allocated();
            for (int i = 0; i < n; i++) {
                lru.put(key, value);
                lru.replace(key, value);
                lru.delete(key);
            }
            long writes = allocated() - before;
            assertTrue(writes < 16L * n / 100, "put/replace/delete allocated " + writes + " bytes for " + n + " rounds");

            lru.put(key, value);
            before = allocated();
            for (int i = 0; i < n; i++) {
                lru.lookup(key);
            }
            long lookups = allocated() - before;
            assertTrue(lookups < 64L * n, "lookup allocated " + lookups / n + " bytes per call");
        }
    }
}
