package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.libbpf.support.PinDir;

/**
 * The real test object loads with its maps pinned under a fresh bpffs directory; a second load with the same pin
 * directory, and a bare BpfMap.open of a pin, see the entries the first one wrote.
 */
class PinnedMapsAreFoundAgainByASecondLoad {
    @Test
    void entriesSurviveAcrossLoads() {
        TestKey k1 = TestKey.of("10.20.30.40", 4789, 17);
        TestKey k2 = TestKey.of("10.20.30.41", 80, 6);
        try (PinDir pins = PinDir.notCreated()) {
            try (BpfObject first = KernelObjects.openTest().pinMapsIn(pins.path()).load()) {
                BpfMap<TestKey, TestValue> h = first.map("test_hash", TestKey.CODEC, TestValue.CODEC);
                h.put(k1, TestValue.of(1));
                h.put(k2, TestValue.of(2));
                first.map("test_lru", Codecs.u32(), Codecs.u64()).put(7, 70L);
            }
            assertTrue(Files.exists(pins.path().resolve("test_hash")));
            assertTrue(Files.exists(pins.path().resolve("test_counters")));
            assertFalse(Files.exists(pins.path().resolve("xmasq_te.rodata")), "internal maps are not pinned");

            try (BpfObject second = KernelObjects.openTest().pinMapsIn(pins.path()).load()) {
                BpfMap<TestKey, TestValue> h = second.map("test_hash", TestKey.CODEC, TestValue.CODEC);
                assertEquals(TestValue.of(1), h.lookup(k1).orElseThrow());
                assertEquals(2, h.size());
                assertEquals(70L, second.map("test_lru", Codecs.u32(), Codecs.u64()).lookup(7).orElseThrow());
            }
            try (BpfMap<TestKey, TestValue> adopted = BpfMap.open(KernelObjects.lib(),
                    pins.path().resolve("test_hash"), TestKey.CODEC, TestValue.CODEC)) {
                assertEquals("test_hash", adopted.name());
                assertEquals(TestValue.of(2), adopted.lookup(k2).orElseThrow());
                assertEquals(2, adopted.lookupAll().size());
            }
        }
    }
}
