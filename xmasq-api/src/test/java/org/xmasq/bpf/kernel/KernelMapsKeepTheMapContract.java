package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.PerCpuMap;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.libbpf.BpfSyscallException;
import org.xmasq.libbpf.Errno;

/**
 * On real kernel maps: Optional for a missing key, booleans for conditional writes and deletes, batches that agree
 * with single operations, iteration that survives deleting the current key, per-CPU lists.
 */
class KernelMapsKeepTheMapContract {
    @Test
    void singleKeys() {
        try (BpfObject o = KernelObjects.openTest().load()) {
            BpfMap<TestKey, TestValue> h = o.map("test_hash", TestKey.CODEC, TestValue.CODEC);
            TestKey k = TestKey.of("192.168.1.1", 53, 17);
            assertTrue(h.lookup(k).isEmpty());
            assertFalse(h.replace(k, TestValue.of(1)));
            assertTrue(h.putIfAbsent(k, TestValue.of(2)));
            assertFalse(h.putIfAbsent(k, TestValue.of(3)));
            assertEquals(TestValue.of(2), h.lookup(k).orElseThrow());
            assertTrue(h.replace(k, TestValue.of(4)));
            assertEquals(TestValue.of(4), h.lookupAndDelete(k).orElseThrow());
            assertFalse(h.delete(k));

            BpfMap<Integer, Long> a = o.map("test_array", Codecs.u32(), Codecs.u64());
            BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> a.delete(0));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(List.of(0, 1, 2, 3), a.keys());
        }
    }

    @Test
    void batchesAndIteration() {
        try (BpfObject o = KernelObjects.openTest().load()) {
            BpfMap<TestKey, TestValue> h = o.map("test_hash", TestKey.CODEC, TestValue.CODEC);
            Map<TestKey, TestValue> want = new LinkedHashMap<>();
            for (int i = 0; i < 600; i++) {
                want.put(TestKey.of("10.7." + (i / 200) + "." + (i % 200), i, 6), TestValue.of(i));
            }
            h.putAll(want);
            assertEquals(want, h.lookupAll());
            assertEquals(want, h.entries());
            assertEquals(600, h.size());

            List<TestKey> del = new ArrayList<>(List.copyOf(want.keySet()).subList(0, 100));
            del.add(TestKey.of("172.16.0.1", 1, 1));
            assertEquals(100, h.deleteAll(del));
            assertEquals(500, h.size());

            List<TestKey> visited = new ArrayList<>();
            h.forEach((key, value) -> {
                visited.add(key);
                assertTrue(h.delete(key));
            });
            assertEquals(500, visited.size());
            assertEquals(500, new HashSet<>(visited).size());
            assertEquals(0, h.size());
        }
    }

    @Test
    void perCpuCounters() {
        try (BpfObject o = KernelObjects.openTest().load()) {
            PerCpuMap<Integer, Long> c = o.perCpuMap("test_counters", Codecs.u32(), Codecs.u64());
            int cpus = KernelObjects.lib().possibleCpus();
            assertEquals(cpus, c.possibleCpus());
            List<Long> values = new ArrayList<>();
            for (int i = 0; i < cpus; i++) {
                values.add(i + 1L);
            }
            c.put(2, values);
            assertEquals(values, c.lookup(2).orElseThrow());
            assertEquals((long) cpus * (cpus + 1) / 2, c.lookupCombined(2, Long::sum).orElseThrow());
            assertEquals(4, c.lookupAll().size());
            c.clear();
            assertEquals(0L, c.lookupCombined(2, Long::sum).orElseThrow());
        }
    }
}
