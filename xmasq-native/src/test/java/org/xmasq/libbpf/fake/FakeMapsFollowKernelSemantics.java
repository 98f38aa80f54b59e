package org.xmasq.libbpf.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.MapInfo;

/**
 * The fake's maps answer like the kernel's: -errno codes for absent/existing/full/array-delete, LRU eviction,
 * get-next-key restarting at the first key when the given one vanished, batches ending with ENOENT, and every
 * byte moved through the registered direct buffers.
 */
class FakeMapsFollowKernelSemantics {
    private final FakeLibBpf fake = new FakeLibBpf();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
    private final long a = fake.address(buf);
    private static final int K = 0;
    private static final int V = 64;
    private static final int NEXT = 128;

    private int put(int fd, int key, long value, long flags) {
        buf.putInt(K, key);
        buf.putLong(V, value);
        return fake.mapUpdate(fd, a + K, a + V, flags);
    }

    @Test
    void hashFlagsAndFullness() {
        int fd = fake.mapCreate(FakeLibBpf.MAP_HASH, "h", 4, 8, 2, 0);
        assertTrue(fd > 0);
        assertEquals(-Errno.ENOENT, put(fd, 1, 10, 2), "EXIST on an absent key");
        assertEquals(0, put(fd, 1, 10, 1));
        assertEquals(-Errno.EEXIST, put(fd, 1, 11, 1), "NOEXIST on a present key");
        assertEquals(0, put(fd, 2, 20, 0));
        assertEquals(-Errno.E2BIG, put(fd, 3, 30, 0), "full");
        buf.putInt(K, 1);
        assertEquals(0, fake.mapLookup(fd, a + K, a + V));
        assertEquals(10, buf.getLong(V));
        assertEquals(0, fake.mapDelete(fd, a + K));
        assertEquals(-Errno.ENOENT, fake.mapDelete(fd, a + K));
        assertEquals(-Errno.EFAULT, fake.mapLookup(fd, 12345, a + V), "an unregistered address");
        assertEquals(-Errno.EBADF, fake.mapLookup(9999, a + K, a + V));
        assertEquals(new MapInfo(FakeLibBpf.MAP_HASH, fake.mapInfo(fd).id(), 4, 8, 2, 0, "h"), fake.mapInfo(fd));
    }

    @Test
    void lruEvictsTheOldest() {
        int fd = fake.mapCreate(FakeLibBpf.MAP_LRU_HASH, "l", 4, 8, 2, 0);
        put(fd, 1, 1, 0);
        put(fd, 2, 2, 0);
        assertEquals(0, put(fd, 3, 3, 0));
        buf.putInt(K, 1);
        assertEquals(-Errno.ENOENT, fake.mapLookup(fd, a + K, a + V));
    }

    @Test
    void arraysArePrefilledAndCannotDelete() {
        int fd = fake.mapCreate(FakeLibBpf.MAP_ARRAY, "a", 4, 8, 3, 0);
        buf.putInt(K, 2);
        buf.putLong(V, -1);
        assertEquals(0, fake.mapLookup(fd, a + K, a + V));
        assertEquals(0, buf.getLong(V));
        assertEquals(-Errno.EINVAL, fake.mapDelete(fd, a + K));
        assertEquals(-Errno.EEXIST, put(fd, 0, 1, 1));
        assertEquals(-Errno.E2BIG, put(fd, 3, 1, 0));
        assertEquals(-Errno.EINVAL, fake.mapCreate(FakeLibBpf.MAP_ARRAY, "bad", 8, 8, 3, 0), "array keys are u32");
    }

    @Test
    void getNextKeyRestartsWhenTheKeyVanished() {
        int fd = fake.mapCreate(FakeLibBpf.MAP_HASH, "h", 4, 8, 8, 0);
        for (int i = 1; i <= 3; i++) {
            put(fd, i, i, 0);
        }
        assertEquals(0, fake.mapGetNextKey(fd, 0, a + NEXT));
        assertEquals(1, buf.getInt(NEXT));
        buf.putInt(K, 2);
        assertEquals(0, fake.mapGetNextKey(fd, a + K, a + NEXT));
        assertEquals(3, buf.getInt(NEXT));
        assertEquals(-Errno.ENOENT, fake.mapGetNextKey(fd, a + NEXT, a + NEXT), "after the last");
        buf.putInt(K, 42);
        assertEquals(0, fake.mapGetNextKey(fd, a + K, a + NEXT));
        assertEquals(1, buf.getInt(NEXT), "an absent key restarts at the first");
    }

    @Test
    void lookupBatchEndsWithEnoent() {
        int fd = fake.mapCreate(FakeLibBpf.MAP_HASH, "h", 4, 8, 8, 0);
        for (int i = 0; i < 5; i++) {
            put(fd, i, i * 10L, 0);
        }
        int count = 200;
        int in = 208;
        int out = 216;
        int keys = 256;
        int values = 512;
        buf.putInt(count, 3);
        assertEquals(0, fake.mapLookupBatch(fd, 0, a + out, a + keys, a + values, a + count, 0, 0));
        assertEquals(3, buf.getInt(count));
        assertEquals(20, buf.getLong(values + 16));
        buf.putInt(in, buf.getInt(out));
        buf.putInt(count, 3);
        assertEquals(-Errno.ENOENT, fake.mapLookupBatch(fd, a + in, a + out, a + keys, a + values, a + count, 0, 0));
        assertEquals(2, buf.getInt(count), "the last two came with ENOENT");
        assertEquals(4, buf.getInt(keys + 4));
    }

    @Test
    void perCpuValuesHaveEightByteSlots() {
        fake.setPossibleCpus(3);
        int fd = fake.mapCreate(FakeLibBpf.MAP_PERCPU_ARRAY, "pc", 4, 4, 1, 0);
        buf.putInt(K, 0);
        for (int i = 0; i < 3; i++) {
            buf.putInt(V + 8 * i, i + 1);
        }
        assertEquals(0, fake.mapUpdate(fd, a + K, a + V, 0));
        ByteBuffer out = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder());
        assertEquals(0, fake.mapLookup(fd, a + K, fake.address(out)));
        assertEquals(3, out.getInt(16));
    }
}
