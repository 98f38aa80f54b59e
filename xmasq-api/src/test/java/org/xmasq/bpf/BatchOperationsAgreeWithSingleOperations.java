package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** putAll / lookupAll / deleteAll over many chunks give what the single-key operations would. */
class BatchOperationsAgreeWithSingleOperations {
    @Test
    void manyStructEntries() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<TestKey, TestValue> m = o.map("test_hash", TestKey.CODEC, TestValue.CODEC);
            Map<TestKey, TestValue> want = new LinkedHashMap<>();
            for (int i = 0; i < 1000; i++) {
                want.put(TestKey.of("10.1." + (i / 256) + "." + (i % 256), i, 6), TestValue.of(i));
            }
            m.putAll(want);
            assertEquals(want, m.lookupAll());
            assertTrue(fake.calls("mapLookupBatch") >= 4, "256 per chunk: " + fake.calls("mapLookupBatch"));
            for (TestKey k : List.copyOf(want.keySet()).subList(0, 10)) {
                assertEquals(want.get(k), m.lookup(k).orElseThrow());
            }

            List<TestKey> delete = new ArrayList<>(List.copyOf(want.keySet()).subList(0, 100));
            delete.add(50, TestKey.of("192.0.2.1", 1, 1)); // absent, in the middle
            delete.add(TestKey.of("192.0.2.2", 1, 1)); // absent, at the end
            assertEquals(100, m.deleteAll(delete));
            assertEquals(900, m.size());
            assertTrue(m.lookup(TestKey.of("10.1.0.5", 5, 6)).isEmpty());
            m.clear();
            assertEquals(0, m.size());
            assertEquals(Map.of(), m.lookupAll());
        }
    }

    @Test
    void lookupAllIsBoundedByMaxEntries() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            Map<Integer, Long> many = new LinkedHashMap<>();
            for (int i = 0; i < 300; i++) {
                many.put(i, (long) i);
            }
            m.putAll(many); // LRU with 256 slots: the oldest 44 are evicted
            Map<Integer, Long> all = m.lookupAll();
            assertEquals(256, all.size());
            assertTrue(all.containsKey(299) && !all.containsKey(0));
        }
    }
}
