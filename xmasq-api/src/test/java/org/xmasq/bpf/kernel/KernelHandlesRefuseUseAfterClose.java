package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.PerCpuMap;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.TestRunRequest;

/** After close, handles of a real object throw ClosedResourceException instead of touching a stale fd. */
class KernelHandlesRefuseUseAfterClose {
    @Test
    void mapsAndProgramsOfAClosedObject() {
        BpfObject o = KernelObjects.openTest().load();
        BpfMap<Integer, Long> lru = o.map("test_lru", Codecs.u32(), Codecs.u64());
        PerCpuMap<Integer, Long> counters = o.perCpuMap("test_counters", Codecs.u32(), Codecs.u64());
        BpfProgram p = o.program("count_packets");
        lru.put(1, 1L);
        o.close();
        assertThrows(ClosedResourceException.class, () -> lru.lookup(1));
        assertThrows(ClosedResourceException.class, () -> lru.put(2, 2L));
        assertThrows(ClosedResourceException.class, lru::keys);
        assertThrows(ClosedResourceException.class, () -> counters.lookup(0));
        assertThrows(ClosedResourceException.class, () -> p.testRun(TestRunRequest.of(new byte[64])));
        assertThrows(ClosedResourceException.class, () -> o.map("test_lru", Codecs.u32(), Codecs.u64()));
    }
}
