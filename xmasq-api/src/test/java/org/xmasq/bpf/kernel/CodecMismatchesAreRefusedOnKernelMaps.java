package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.libbpf.IncompatibleMapException;

/** Codec sizes and map kinds are checked against the kernel's map info when a handle is made. */
class CodecMismatchesAreRefusedOnKernelMaps {
    @Test
    void sizesAndKinds() {
        try (BpfObject o = KernelObjects.openTest().load()) {
            IncompatibleMapException e = assertThrows(IncompatibleMapException.class,
                    () -> o.map("test_hash", TestKey.CODEC, Codecs.bytes(72)));
            assertEquals(List.of("value size: codec u8[72] writes 72 bytes, map test_hash has 32"), e.differences());
            IncompatibleMapException k = assertThrows(IncompatibleMapException.class,
                    () -> o.map("test_lru", Codecs.u64(), Codecs.u64()));
            assertEquals(List.of("key size: codec u64 writes 8 bytes, map test_lru has 4"), k.differences());
            IncompatibleMapException p = assertThrows(IncompatibleMapException.class,
                    () -> o.map("test_counters", Codecs.u32(), Codecs.u64()));
            assertTrue(p.differences().get(0).contains("PERCPU_ARRAY"), p.differences().toString());
        }
    }
}
