package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** Maps, programs, objects and specs refuse use after close with ClosedResourceException, and close is idempotent. */
class UseAfterCloseIsAClosedResourceError {
    @Test
    void aClosedMapHandle() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            m.close();
            m.close();
            ClosedResourceException e = assertThrows(ClosedResourceException.class, () -> m.lookup(1));
            assertTrue(e.getMessage().contains("test_lru"), e.getMessage());
            assertThrows(ClosedResourceException.class, () -> m.put(1, 1L));
            assertThrows(ClosedResourceException.class, m::keys);
            assertThrows(ClosedResourceException.class, m::lookupAll);
            // the object's own map lives on
            o.map("test_lru", Codecs.u32(), Codecs.u64()).put(1, 1L);
        }
    }

    @Test
    void everythingOfAClosedObject() {
        FakeLibBpf fake = FakeObjects.fake();
        BpfObject o = FakeObjects.load(fake);
        BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
        PerCpuMap<Integer, Long> c = o.perCpuMap("test_counters", Codecs.u32(), Codecs.u64());
        BpfProgram p = o.program("count_packets");
        o.close();
        o.close();
        assertThrows(ClosedResourceException.class, () -> m.lookup(1));
        assertThrows(ClosedResourceException.class, () -> c.lookup(0));
        assertThrows(ClosedResourceException.class, p::fd);
        assertThrows(ClosedResourceException.class, () -> p.testRun(TestRunRequest.of(new byte[64])));
        assertThrows(ClosedResourceException.class, () -> Tc.attach(p, "eth0", TcAttachPoint.INGRESS));
        assertThrows(ClosedResourceException.class, () -> o.map("test_lru", Codecs.u32(), Codecs.u64()));
        assertThrows(ClosedResourceException.class, () -> o.program("drop_all"));
        assertEquals(0, fake.openFds());
        assertEquals(0, fake.openObjects());
    }

    @Test
    void aLoadedOrClosedSpec() {
        FakeLibBpf fake = FakeObjects.fake();
        BpfObjectSpec spec = FakeObjects.open(fake);
        try (BpfObject o = spec.load()) {
            assertThrows(ClosedResourceException.class, spec::load);
            assertThrows(ClosedResourceException.class, () -> spec.setMaxEntries("test_hash", 8));
            spec.close(); // a no-op: the object owns the libbpf object now
            assertTrue(o.map("test_lru", Codecs.u32(), Codecs.u64()).lookup(1).isEmpty());
        }
        BpfObjectSpec unloaded = FakeObjects.open(fake);
        unloaded.close();
        assertThrows(ClosedResourceException.class, unloaded::load);
        assertEquals(0, fake.openObjects(), "closing an unloaded spec frees it");
    }
}
