package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** The spec lists maps and programs; max entries and the whole .rodata (size checked) are set before load. */
class MapSizesAndConstantsAreSetBeforeLoad {
    @Test
    void specListsWhatTheObjectDeclares() {
        try (BpfObjectSpec spec = FakeObjects.open(FakeObjects.fake())) {
            assertEquals(List.of("count_packets", "drop_all"), spec.programNames());
            MapSpec h = spec.map("test_hash");
            assertEquals(new MapSpec("test_hash", MapType.HASH, 8, 32, 1024, null, false), h);
            assertTrue(spec.map("xmasq_te.rodata").internal());
            assertEquals(5, spec.maps().size());
            assertThrows(IllegalArgumentException.class, () -> spec.map("nope"));
        }
    }

    @Test
    void maxEntriesAndRodata() {
        FakeLibBpf fake = FakeObjects.fake();
        BpfObjectSpec spec = FakeObjects.open(fake).setMaxEntries("test_lru", 64);
        assertEquals(4, spec.rodataSize());
        assertThrows(IllegalArgumentException.class, () -> spec.setRodata(new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> spec.setMaxEntries("test_lru", 0));
        byte[] mark = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, 0x5a5a).array();
        spec.setRodata(mark);
        assertArrayEquals(mark, spec.rodata());
        try (BpfObject o = spec.load()) {
            assertEquals(64, o.map("test_lru", Codecs.u32(), Codecs.u64()).maxEntries());
            assertEquals(0x5a5a, o.map("xmasq_te.rodata", Codecs.u32(), Codecs.u32()).lookup(0).orElseThrow());
        }
    }
}
