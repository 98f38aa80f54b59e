package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** Null keys/values, unknown names and out-of-range options fail in Java, before libbpf is called. */
class ArgumentsAreValidatedBeforeAnyNativeCall {
    @Test
    void mapArguments() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            int before = fake.calls("mapUpdate") + fake.calls("mapLookup");
            assertThrows(NullPointerException.class, () -> m.lookup(null));
            assertThrows(NullPointerException.class, () -> m.put(1, null));
            assertThrows(NullPointerException.class, () -> m.put(null, 1L));
            assertThrows(NullPointerException.class, () -> m.putAll(null));
            assertEquals(before, fake.calls("mapUpdate") + fake.calls("mapLookup"));
            assertThrows(IllegalArgumentException.class, () -> o.map("no_such_map", Codecs.u32(), Codecs.u64()));
            assertThrows(IllegalArgumentException.class, () -> o.program("no_such_program"));
            assertThrows(NullPointerException.class, () -> o.map("test_lru", null, Codecs.u64()));
        }
    }

    @Test
    void codecRanges() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            m.put(-1, 1L); // a u32 holds any int's bits
            assertEquals(1L, m.lookup(-1).orElseThrow());
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
        assertThrows(IllegalArgumentException.class, () -> Codecs.u8().encode(256, b, 0));
        assertThrows(IllegalArgumentException.class, () -> Codecs.u16Network().encode(-1, b, 0));
        assertThrows(IllegalArgumentException.class, () -> Codecs.bytes(6).encode(new byte[5], b, 0));
    }

    @Test
    void tcOptionsAndSpecArguments() {
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withPriority(0));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withPriority(70000));
        assertThrows(IllegalArgumentException.class, () -> TcOptions.defaults().withHandle(0));
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            assertThrows(IllegalArgumentException.class, () -> Tc.attach(o.program("drop_all"), 0,
                    TcAttachPoint.INGRESS));
            assertThrows(NullPointerException.class, () -> Tc.attach(o.program("drop_all"), "eth0", null));
        }
        assertThrows(IllegalArgumentException.class, () -> BpfObjectSpec.fromBytes(fake, new byte[0], "x"));
        assertThrows(IllegalArgumentException.class, () -> BpfObjectSpec.fromResource(fake, "org/xmasq/none.bpf.o"));
    }
}
