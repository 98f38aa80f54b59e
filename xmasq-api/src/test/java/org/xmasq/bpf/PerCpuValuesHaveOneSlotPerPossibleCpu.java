package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.fake.FakeLibBpf;
import org.xmasq.libbpf.fake.FakeObjectSpec;

/** A per-CPU value is a list with one entry per possible CPU; each slot is 8-byte aligned in the syscalls. */
class PerCpuValuesHaveOneSlotPerPossibleCpu {
    @Test
    void threeCpus() {
        FakeLibBpf fake = FakeObjects.fake().setPossibleCpus(3);
        try (BpfObject o = FakeObjects.load(fake)) {
            PerCpuMap<Integer, Long> c = o.perCpuMap("test_counters", Codecs.u32(), Codecs.u64());
            assertEquals(3, c.possibleCpus());
            assertEquals(List.of(0L, 0L, 0L), c.lookup(1).orElseThrow());
            c.put(1, List.of(1L, 2L, 3L));
            assertEquals(List.of(1L, 2L, 3L), c.lookup(1).orElseThrow());
            assertEquals(6L, c.lookupCombined(1, Long::sum).orElseThrow());
            c.putOnAllCpus(2, 9L);
            assertEquals(Map.of(0, List.of(0L, 0L, 0L), 1, List.of(1L, 2L, 3L), 2, List.of(9L, 9L, 9L),
                    3, List.of(0L, 0L, 0L)), c.lookupAll());
            assertThrows(IllegalArgumentException.class, () -> c.put(1, List.of(1L, 2L)));
        }
    }

    @Test
    void fourByteValuesUseEightByteSlots() {
        FakeLibBpf fake = new FakeLibBpf().setPossibleCpus(2);
        fake.registerObject("o", FakeObjectSpec.builder().map("pc", FakeLibBpf.MAP_PERCPU_HASH, 4, 4, 16).build());
        try (BpfObject o = BpfObjectSpec.fromBytes(fake, FakeObjects.ELF, "o").load()) {
            PerCpuMap<Integer, Integer> pc = o.perCpuMap("pc", Codecs.u32(), Codecs.u32());
            pc.put(7, List.of(0x11111111, 0x22222222));
            assertEquals(List.of(0x11111111, 0x22222222), pc.lookup(7).orElseThrow());
            // what the syscall moves: 2 slots of 8 bytes, CPU 1's value at byte 8, bytes 4..7 zero
            ByteBuffer buf = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());
            long a = fake.address(buf);
            buf.putInt(0, 7);
            assertEquals(0, fake.mapLookup(pc.fd(), a, a + 8));
            assertEquals(0x11111111, buf.getInt(8));
            assertEquals(0, buf.getInt(12));
            assertEquals(0x22222222, buf.getInt(16));
        }
    }
}
