package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.Names;

/** if_nametoindex answers 0 for a name that does not exist, if_indextoname null for an index that does not. */
class AnUnknownInterfaceHasIndexZeroAndNoName {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void anUnknownNameIsZero() {
        assertEquals(0, lib.ifNameToIndex(Names.unique().substring(0, 12)));
    }

    @Test
    void anUnknownIndexHasNoName() {
        assertNull(lib.ifIndexToName(0x7ffffff0));
    }

    @Test
    void loopbackRoundTrips() {
        int lo = lib.ifNameToIndex("lo");
        assertTrue(lo > 0);
        assertEquals("lo", lib.ifIndexToName(lo));
    }
}
