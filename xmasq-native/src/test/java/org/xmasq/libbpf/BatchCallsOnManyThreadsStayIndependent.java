package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.TestObjects;

/**
 * Backends keep batch options in per-thread scratch memory; threads batching at the same time with different flags
 * each get their own. Half the threads pass elem_flags 0 (always valid), half pass BPF_F_LOCK on a map without a
 * spin lock (always EINVAL): a flag borrowed from another thread would flip one of the two outcomes.
 */
class BatchCallsOnManyThreadsStayIndependent {
    private static final long BPF_F_LOCK = 4;
    private static final int THREADS = 4;
    private static final int ROUNDS = 3000;
    private static final int N = 8;
    private final LibBpf lib = LibBpfs.get();

    @Test
    void concurrentBatchesWithDifferentFlagsDoNotMix() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long flags = t % 2 == 0 ? 0 : BPF_F_LOCK;
                results.add(pool.submit(() -> batchRepeatedly(flags)));
            }
            for (Future<String> f : results) {
                assertEquals("ok", f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private String batchRepeatedly(long elemFlags) {
        int expected = elemFlags == 0 ? 0 : -Errno.EINVAL;
        int fd = BpfException.check(lib.mapCreate(1, "xmt_threads", 4, 8, 64, 0), "bpf_map_create");
        try {
            ByteBuffer keys = TestObjects.buffer(N * 4);
            ByteBuffer values = TestObjects.buffer(N * 8);
            ByteBuffer count = TestObjects.buffer(4);
            for (int i = 0; i < N; i++) {
                keys.putInt(i * 4, i);
                values.putLong(i * 8, i * 10L);
            }
            long k = lib.address(keys);
            long v = lib.address(values);
            long c = lib.address(count);
            for (int r = 0; r < ROUNDS; r++) {
                count.putInt(0, N);
                int rc = lib.mapUpdateBatch(fd, k, v, c, elemFlags, 0);
                if (rc != expected) {
                    return "update batch with elem_flags " + elemFlags + " returned " + rc + " in round " + r;
                }
            }
            return "ok";
        } finally {
            lib.close(fd);
        }
    }
}
