package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * When the key the walk stands on vanishes, get-next-key restarts at the first key; the walk skips what it saw and
 * still visits every remaining key exactly once.
 */
class DeletingDuringIterationStillVisitsTheRest {
    @Test
    void deletingEachVisitedKey() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            for (int i = 0; i < 50; i++) {
                m.put(i, (long) i);
            }
            List<Integer> visited = new ArrayList<>();
            m.forEach((k, v) -> {
                visited.add(k);
                assertTrue(m.delete(k));
            });
            assertEquals(50, visited.size());
            assertEquals(50, new HashSet<>(visited).size(), "no key twice");
            assertEquals(0, m.size());
        }
    }

    @Test
    void deletingSomeCurrentKeysRevisitsNothing() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            for (int i = 0; i < 20; i++) {
                m.put(i, (long) i);
            }
            List<Integer> visited = new ArrayList<>();
            m.forEach((k, v) -> {
                visited.add(k);
                if (k % 2 == 1) {
                    m.delete(k); // the walk restarts at key 0, which it has seen already
                }
            });
            assertEquals(20, visited.size(), visited.toString());
            assertEquals(20, new HashSet<>(visited).size(), "no key twice: " + visited);
            assertEquals(10, m.size());
        }
    }

    @Test
    void deletingOtherKeysAheadOfTheWalk() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            for (int i = 0; i < 20; i++) {
                m.put(i, (long) i);
            }
            List<Integer> visited = new ArrayList<>();
            m.forEach((k, v) -> {
                visited.add(k);
                m.delete(k + 1); // the next one vanishes before the walk gets there
            });
            assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18), visited);
        }
    }

    @Test
    void aValueDeletedBetweenKeyAndLookupIsSkipped() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            for (int i = 0; i < 5; i++) {
                m.put(i, (long) i);
            }
            fake.failNext("mapLookup", org.xmasq.libbpf.Errno.ENOENT);
            assertEquals(4, m.entries().size(), "the entry that vanished is not reported");
        }
    }
}
