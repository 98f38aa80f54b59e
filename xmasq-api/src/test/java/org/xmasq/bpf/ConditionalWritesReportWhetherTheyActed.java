package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;

/** putIfAbsent is false when the key exists, replace is false when it does not; neither then changes the map. */
class ConditionalWritesReportWhetherTheyActed {
    @Test
    void putIfAbsentAndReplace() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            assertFalse(m.replace(1, 10L), "replace of an absent key");
            assertTrue(m.lookup(1).isEmpty());
            assertTrue(m.putIfAbsent(1, 11L));
            assertFalse(m.putIfAbsent(1, 12L), "putIfAbsent of a present key");
            assertEquals(11L, m.lookup(1).orElseThrow());
            assertTrue(m.replace(1, 13L));
            assertEquals(13L, m.lookup(1).orElseThrow());
        }
    }
}
