package org.xmasq.libbpf.jna;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.support.TestObjects;

/**
 * Direct mapping with raw addresses: update, lookup, delete and the batch calls on the JNA backend allocate no Java
 * heap per call, so the map hot path creates no garbage.
 */
class JnaMapHotPathAllocatesNothing {
    private static final int CALLS = 30_000;
    private JnaLibBpf lib;
    private final ByteBuffer countBuffer = TestObjects.buffer(4);

    /**
     * Runs on the JNA run only: a second backend in the FFM run's JVM would take over libbpf's process-wide print
     * callback from the FFM backend under test.
     */
    @BeforeEach
    void jnaRunOnly() {
        LibBpf running = LibBpfs.get();
        assumeTrue(running instanceof JnaLibBpf, "the " + running.backend() + " run");
        lib = (JnaLibBpf) running;
    }

    @Test
    void thirtyThousandRoundsOfMapCallsAllocateAlmostNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int fd = BpfException.check(lib.mapCreate(1, "xmt_hot", 4, 8, 16, 0), "bpf_map_create");
        try {
            ByteBuffer key = TestObjects.buffer(4);
            ByteBuffer value = TestObjects.buffer(8);
            ByteBuffer count = countBuffer;
            long k = lib.address(key);
            long v = lib.address(value);
            long n = lib.address(count);
            run(fd, k, v, n, 10_000); // warm up: JIT, thread-local scratch
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            run(fd, k, v, n, CALLS);
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertTrue(allocated < 64 * 1024, allocated + " bytes allocated by " + CALLS + " rounds of map calls");
        } finally {
            lib.close(fd);
        }
    }

    /** Each round: update, lookup, delete, lookup of a missing key, batch update of one entry, batch delete. */
    private void run(int fd, long k, long v, long count, int rounds) {
        ByteBuffer c = countBuffer;
        for (int i = 0; i < rounds; i++) {
            check(lib.mapUpdate(fd, k, v, 0), 0, "update");
            check(lib.mapLookup(fd, k, v), 0, "lookup");
            check(lib.mapDelete(fd, k), 0, "delete");
            check(lib.mapLookup(fd, k, v), -Errno.ENOENT, "lookup after delete");
            c.putInt(0, 1);
            check(lib.mapUpdateBatch(fd, k, v, count, 0, 0), 0, "update batch");
            c.putInt(0, 1);
            check(lib.mapDeleteBatch(fd, k, count, 0, 0), 0, "delete batch");
        }
    }

    private static void check(int rc, int expected, String what) {
        if (rc != expected) {
            throw new AssertionError(what + " returned " + rc);
        }
    }
}
