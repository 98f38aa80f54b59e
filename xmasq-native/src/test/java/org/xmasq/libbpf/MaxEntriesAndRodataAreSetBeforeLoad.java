package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.TestObjects;

/** Map sizes and .rodata constants are part of the spec: they are set between open and load, and stick. */
class MaxEntriesAndRodataAreSetBeforeLoad {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void maxEntriesSetBeforeLoadIsWhatTheKernelCreates() {
        try (OpenObject o = OpenObject.openTest(lib)) {
            assertEquals(0, lib.mapSetMaxEntries(o.map("test_hash"), 4096));
            assertEquals(4096, lib.mapMaxEntries(o.map("test_hash")));
            o.load();
            assertEquals(4096, lib.mapInfo(o.mapFd("test_hash")).maxEntries());
            assertTrue(lib.mapSetMaxEntries(o.map("test_hash"), 8) < 0, "too late after load");
        }
    }

    @Test
    void aRodataValueSetBeforeLoadIsReadBackAndFrozenAfter() {
        try (OpenObject o = OpenObject.openTest(lib)) {
            long rodata = o.rodata();
            assertArrayEquals(new byte[4], lib.mapInitialValue(rodata), "cfg_mark starts at 0");
            ByteBuffer mark = TestObjects.buffer(4).putInt(0, 0x5a5a);
            assertEquals(0, lib.mapSetInitialValue(rodata, lib.address(mark), 4));
            assertArrayEquals(bytes(mark), lib.mapInitialValue(rodata));
            o.load();
            assertTrue(lib.mapSetInitialValue(rodata, lib.address(mark), 4) < 0, "too late after load");

            ByteBuffer key = TestObjects.buffer(4);
            ByteBuffer value = TestObjects.buffer(4);
            assertEquals(0, lib.mapLookup(o.mapFd(lib.mapName(rodata)), lib.address(key), lib.address(value)));
            assertEquals(0x5a5a, value.getInt(0), "the kernel's .rodata holds the value");
        }
    }

    @Test
    void aWrongSizedInitialValueIsRejected() {
        try (OpenObject o = OpenObject.openTest(lib)) {
            ByteBuffer eight = TestObjects.buffer(8);
            assertEquals(-Errno.EINVAL, lib.mapSetInitialValue(o.rodata(), lib.address(eight), 8));
        }
    }

    @Test
    void aMapWithoutDataHasNoInitialValue() {
        try (OpenObject o = OpenObject.openTest(lib)) {
            assertNull(lib.mapInitialValue(o.map("test_hash")));
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.capacity()];
        b.get(0, out);
        return out;
    }
}
