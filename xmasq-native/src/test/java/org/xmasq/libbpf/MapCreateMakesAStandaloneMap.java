package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.TestObjects;

/** bpf_map_create makes a map outside any object, with the requested shape and flags. */
class MapCreateMakesAStandaloneMap {
    private static final int HASH = 1;
    private static final int BPF_F_NO_PREALLOC = 1;
    private final LibBpf lib = LibBpfs.get();

    @Test
    void theMapHasTheRequestedShapeAndWorks() {
        int fd = lib.mapCreate(HASH, "xmt_created", 4, 16, 64, BPF_F_NO_PREALLOC);
        assertTrue(fd >= 0, "map_create returned " + fd);
        try {
            MapInfo info = lib.mapInfo(fd);
            assertEquals(new MapInfo(HASH, info.id(), 4, 16, 64, BPF_F_NO_PREALLOC, "xmt_created"), info);
            assertTrue(info.id() > 0);
            ByteBuffer key = TestObjects.buffer(4).putInt(0, 5);
            ByteBuffer value = TestObjects.buffer(16).putLong(0, 55).putLong(8, 66);
            assertEquals(0, lib.mapUpdate(fd, lib.address(key), lib.address(value), 0));
            ByteBuffer back = TestObjects.buffer(16);
            assertEquals(0, lib.mapLookup(fd, lib.address(key), lib.address(back)));
            assertEquals(66, back.getLong(8));
        } finally {
            lib.close(fd);
        }
    }

    @Test
    void anImpossibleShapeIsAnErrno() {
        int fd = lib.mapCreate(HASH, "xmt_bad", 0, 16, 64, 0);
        assertEquals(-Errno.EINVAL, fd);
    }

    @Test
    void closeToleratesNegativeFds() {
        lib.close(-1);
        lib.close(-Errno.EBADF);
    }
}
