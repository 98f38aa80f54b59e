package org.xmasq.libbpf.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;

/**
 * The FFM map operations pass raw addresses and reuse a per-thread batch options struct, so once the JIT has
 * compiled them a stream of update/lookup/delete/next-key/batch calls allocates no Java heap at all.
 */
class TheMapHotPathAllocatesNothing {
    private static final int HASH = 1;
    private static final int WARMUP = 60_000;
    private static final int MEASURED = 50_000;

    private final FfmLibBpf lib = new FfmLibBpf();

    @Test
    void mapOperationsAllocateNoHeapPerCall() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int fd = BpfException.check(lib.mapCreate(HASH, "xmt_alloc", 4, 8, 64, 0), "bpf_map_create");
        try {
            ByteBuffer buf = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
            long base = lib.address(buf);
            buf.putInt(0, 7);
            buf.putLong(8, 99);
            buf.putInt(1024, 8);
            buf.putLong(2048, 100);
            ops(fd, buf, base, WARMUP);
            long before = mx.getThreadAllocatedBytes(tid);
            long sum = ops(fd, buf, base, MEASURED);
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertEquals(0, sum, "every call succeeded");
            // A single object per call would be >= 16 bytes x 6 calls x MEASURED; allow a little for JIT/GC noise.
            assertTrue(allocated < MEASURED, "allocated " + allocated + " bytes over " + MEASURED + " rounds");
        } finally {
            lib.close(fd);
        }
    }

    /** Sum of the return codes that are not the expected ones (0 when all went as planned). */
    private long ops(int fd, ByteBuffer buf, long base, int rounds) {
        long key = base;
        long value = base + 8;
        long next = base + 64;
        long count = base + 512;
        long keys = base + 1024;
        long values = base + 2048;
        long sum = 0;
        for (int i = 0; i < rounds; i++) {
            sum += lib.mapUpdate(fd, key, value, 0);
            sum += lib.mapLookup(fd, key, value);
            sum += lib.mapGetNextKey(fd, 0, next);
            sum += lib.mapLookupAndDelete(fd, key, value) + lib.mapUpdate(fd, key, value, 0);
            sum += lib.mapDelete(fd, key);
            sum += lib.mapDelete(fd, key) + Errno.ENOENT;
            buf.putInt(512, 1);
            sum += lib.mapUpdateBatch(fd, keys, values, count, 0, 0) + buf.getInt(512) - 1;
            buf.putInt(512, 1);
            sum += lib.mapDeleteBatch(fd, keys, count, 0, 0) + buf.getInt(512) - 1;
        }
        return sum;
    }
}
