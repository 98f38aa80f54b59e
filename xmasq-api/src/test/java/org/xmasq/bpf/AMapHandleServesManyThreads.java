package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;

/** One handle used by 8 threads at once: every thread reads back exactly what it wrote. */
class AMapHandleServesManyThreads {
    @Test
    void concurrentPutsAndLookups() throws Exception {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<TestKey, TestValue> m = o.map("test_hash", TestKey.CODEC, TestValue.CODEC);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        int ok = 0;
                        for (int i = 0; i < 500; i++) {
                            TestKey k = TestKey.of("10." + thread + ".0." + (i % 100), i, 6);
                            TestValue v = TestValue.of(thread * 1000L + i);
                            m.put(k, v);
                            if (m.lookup(k).orElseThrow().equals(v)) {
                                ok++;
                            }
                            m.delete(k);
                        }
                        return ok;
                    }));
                }
                for (Future<Integer> f : results) {
                    assertEquals(500, f.get(30, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(0, m.size());
        }
    }
}
