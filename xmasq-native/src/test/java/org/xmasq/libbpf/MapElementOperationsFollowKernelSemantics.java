package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.TestObjects;

/**
 * Single-element map calls return 0 or -errno, never throw: -ENOENT for a missing key, -EEXIST for BPF_NOEXIST on a
 * present key, -ENOENT for BPF_EXIST on a missing one, and -ENOENT after the last key.
 */
class MapElementOperationsFollowKernelSemantics {
    private static final long BPF_ANY = 0;
    private static final long BPF_NOEXIST = 1;
    private static final long BPF_EXIST = 2;

    private final LibBpf lib = LibBpfs.get();
    private OpenObject obj;
    private int fd;
    private final ByteBuffer key = TestObjects.buffer(8);
    private final ByteBuffer value = TestObjects.buffer(32);
    private final ByteBuffer out = TestObjects.buffer(32);
    private long k;
    private long v;
    private long o;

    @BeforeEach
    void load() {
        obj = OpenObject.loadTest(lib);
        fd = obj.mapFd("test_hash");
        k = lib.address(key);
        v = lib.address(value);
        o = lib.address(out);
    }

    @AfterEach
    void close() {
        obj.close();
    }

    private void key(int addr, int port) {
        key.putInt(0, addr).putShort(4, (short) port).put(6, (byte) 6).put(7, (byte) 0);
    }

    private void value(long packets) {
        value.putLong(0, packets).putLong(8, packets * 100).putInt(16, 7);
    }

    @Test
    void aMissingKeyIsENOENTForLookupDeleteAndLookupAndDelete() {
        key(1, 80);
        assertEquals(-Errno.ENOENT, lib.mapLookup(fd, k, o));
        assertEquals(-Errno.ENOENT, lib.mapDelete(fd, k));
        assertEquals(-Errno.ENOENT, lib.mapLookupAndDelete(fd, k, o));
    }

    @Test
    void whatIsWrittenIsReadBackAndDeleteRemovesIt() {
        key(0x0a000001, 443);
        value(42);
        assertEquals(0, lib.mapUpdate(fd, k, v, BPF_ANY));
        assertEquals(0, lib.mapLookup(fd, k, o));
        assertEquals(value, out.duplicate().clear());
        assertEquals(0, lib.mapDelete(fd, k));
        assertEquals(-Errno.ENOENT, lib.mapLookup(fd, k, o));
    }

    @Test
    void noexistRefusesAPresentKeyAndExistRefusesAMissingOne() {
        key(2, 22);
        value(1);
        assertEquals(-Errno.ENOENT, lib.mapUpdate(fd, k, v, BPF_EXIST));
        assertEquals(0, lib.mapUpdate(fd, k, v, BPF_NOEXIST));
        value(2);
        assertEquals(-Errno.EEXIST, lib.mapUpdate(fd, k, v, BPF_NOEXIST));
        assertEquals(0, lib.mapUpdate(fd, k, v, BPF_EXIST));
        assertEquals(0, lib.mapLookup(fd, k, o));
        assertEquals(2, out.getLong(0));
    }

    @Test
    void lookupAndDeleteReturnsTheValueOnce() {
        key(3, 53);
        value(9);
        assertEquals(0, lib.mapUpdate(fd, k, v, BPF_ANY));
        assertEquals(0, lib.mapLookupAndDelete(fd, k, o));
        assertEquals(9, out.getLong(0));
        assertEquals(-Errno.ENOENT, lib.mapLookupAndDelete(fd, k, o));
    }

    @Test
    void getNextKeyVisitsEveryKeyThenENOENT() {
        Set<Integer> written = new HashSet<>();
        for (int i = 1; i <= 5; i++) {
            key(i, i);
            value(i);
            assertEquals(0, lib.mapUpdate(fd, k, v, BPF_ANY));
            written.add(i);
        }
        ByteBuffer next = TestObjects.buffer(8);
        long n = lib.address(next);
        Set<Integer> seen = new HashSet<>();
        int rc = lib.mapGetNextKey(fd, 0, n);
        while (rc == 0) {
            seen.add(next.getInt(0));
            key.put(0, next, 0, 8);
            rc = lib.mapGetNextKey(fd, k, n);
        }
        assertEquals(-Errno.ENOENT, rc);
        assertEquals(written, seen);
    }

    @Test
    void getNextKeyOfAnEmptyMapIsENOENT() {
        assertEquals(-Errno.ENOENT, lib.mapGetNextKey(fd, 0, o));
    }

    @Test
    void anArrayIndexOutOfRangeIsENOENTAndArraysCannotDelete() {
        int arrayFd = obj.mapFd("test_array");
        ByteBuffer idx = TestObjects.buffer(4).putInt(0, 4);
        assertEquals(-Errno.ENOENT, lib.mapLookup(arrayFd, lib.address(idx), o));
        idx.putInt(0, 0);
        assertEquals(-Errno.EINVAL, lib.mapDelete(arrayFd, lib.address(idx)));
    }

    @Test
    void aBadFdIsEBADF() {
        key(1, 1);
        assertEquals(-Errno.EBADF, lib.mapLookup(-1, k, o));
    }
}
