package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The suite runs twice (FFM on JDK 25, JNA on JDK 17); this proves each run really exercises its backend. */
class TheBackendIsTheOneThePropertyNames {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void backendMatchesTheSystemProperty() {
        assertEquals(LibBpfs.resolve(System.getProperty(LibBpfs.PROPERTY, "auto")), lib.backend());
    }

    @Test
    void versionAndCpuCountComeFromLibbpf() {
        assertTrue(lib.version().atLeast(LibBpfVersion.MINIMUM), lib.version().toString());
        assertEquals(Runtime.getRuntime().availableProcessors() <= lib.possibleCpus(), true,
                "possible CPUs " + lib.possibleCpus() + " must cover the online ones");
    }

    @Test
    void addressOfADirectBufferIsStableAndNonZero() {
        var buf = java.nio.ByteBuffer.allocateDirect(16);
        long a = lib.address(buf);
        assertTrue(a != 0);
        buf.position(8);
        assertEquals(a, lib.address(buf), "the position is ignored");
    }
}
