package org.xmasq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xmasq.XMasq;
import org.xmasq.datapath.EgressHost;
import org.xmasq.datapath.Endpoint;
import org.xmasq.datapath.FilterEntry;
import org.xmasq.datapath.FlowKey;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.support.PinDir;
import org.xmasq.net.Ipv4Address;

/**
 * Map views are safe from many threads: 8 threads put, look up, overwrite and delete in three maps at once (each
 * thread its own keys, plus one key all fight over), and the final contents are exactly what the operations imply.
 */
class EightThreadsHammerTheMapViews {
    static final int THREADS = 8;
    static final int PER_THREAD = 400;

    static Ipv4Address container(int t, int i) {
        return Ipv4Address.of(10, 100 + t, i >> 8, i & 0xff);
    }

    static Ipv4Address host(int t) {
        return Ipv4Address.of(10, 1, 0, 10 + t);
    }

    @Test
    void finalContentsAreExactlyWhatTheOperationsImply() throws Exception {
        try (PinDir pins = PinDir.notCreated()) {
            // no interface is attached, so the host's namespace is as good as any
            XMasq x = XMasq.builder().libBpf(LibBpfs.get()).pinRoot(pins.path()).open();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                Ipv4Address contested = Ipv4Address.parse("10.99.0.1");
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int me = t;
                    done.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        int mismatches = 0;
                        for (int i = 0; i < PER_THREAD; i++) {
                            Ipv4Address c = container(me, i);
                            x.egressHosts().put(c, new EgressHost(host(me)));
                            x.filterCache().put(FlowKey.tcp(c, 80, host(me), 1000 + i), FilterEntry.BOTH);
                            if (!x.egressHosts().lookup(c).equals(java.util.Optional.of(new EgressHost(host(me))))) {
                                mismatches++;
                            }
                            if (i % 3 == 0) {
                                x.egressHosts().delete(c);
                                x.filterCache().delete(FlowKey.tcp(c, 80, host(me), 1000 + i));
                            } else if (i % 3 == 1) {
                                x.egressHosts().put(c, new EgressHost(host(me + 1)));
                            }
                            x.endpoints().put(contested, Endpoint.registered(me + 1));
                            if (i % 50 == 0) {
                                x.filterCache().size(); // walks race with the writers
                            }
                        }
                        return mismatches;
                    }));
                }
                for (Future<Integer> f : done) {
                    assertEquals(0, f.get(120, TimeUnit.SECONDS), "a thread read something it had not written");
                }

                Map<Ipv4Address, EgressHost> wantHosts = new HashMap<>();
                Map<FlowKey, FilterEntry> wantFlows = new HashMap<>();
                for (int t = 0; t < THREADS; t++) {
                    for (int i = 0; i < PER_THREAD; i++) {
                        if (i % 3 != 0) {
                            wantHosts.put(container(t, i), new EgressHost(host(i % 3 == 1 ? t + 1 : t)));
                            wantFlows.put(FlowKey.tcp(container(t, i), 80, host(t), 1000 + i), FilterEntry.BOTH);
                        }
                    }
                }
                assertEquals(wantHosts, x.egressHosts().entries());
                assertEquals(wantFlows, x.filterCache().entries());
                assertEquals(wantFlows.size(), x.filterCache().size());
                Endpoint last = x.endpoints().lookup(contested).orElseThrow();
                assertTrue(last.ifindex() >= 1 && last.ifindex() <= THREADS, last::toString);
                assertEquals(1, x.endpoints().size());
            } finally {
                pool.shutdownNow();
                x.down();
            }
        }
    }
}
