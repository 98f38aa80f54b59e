package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;

/** keys(), entries(), forEach() and size() see every entry once; array maps have every index. */
class IterationVisitsEachKeyOnce {
    @Test
    void aHashMap() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            for (int i = 0; i < 100; i++) {
                m.put(i, i * 3L);
            }
            assertEquals(100, m.size());
            assertEquals(100, new HashSet<>(m.keys()).size());
            Map<Integer, Long> all = m.entries();
            assertEquals(100, all.size());
            all.forEach((k, v) -> assertEquals(k * 3L, v));
            List<Integer> seen = new ArrayList<>();
            m.forEach((k, v) -> seen.add(k));
            assertEquals(m.keys(), seen);
        }
    }

    @Test
    void anArrayMapHasEveryIndex() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> a = o.map("test_array", Codecs.u32(), Codecs.u64());
            a.put(2, 7L);
            assertEquals(List.of(0, 1, 2, 3), a.keys());
            assertEquals(Map.of(0, 0L, 1, 0L, 2, 7L, 3, 0L), a.entries());
            a.clear();
            assertEquals(Set.of(0L), new HashSet<>(a.entries().values()), "clear zeroes an array");
        }
    }
}
