package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xmasq.examples.testbed.Container;
import org.xmasq.examples.testbed.Testbed;

/**
 * With XMasq up on both nodes (through the CLI) and the four containers added, ICMP, UDP and TCP work between
 * containers on different nodes and on one node, and once the first round trips taught the caches, every further
 * packet of the flow is carried by the fast path: the counters grow by at least one hit per packet sent.
 */
@ExtendWith(SharedCluster.class)
class ContainersTalkOverTheFastPathAfterTheFirstRoundTrips {
    static final int N = 50;
    private static Cluster cl;

    @BeforeAll
    static void up() {
        cl = SharedCluster.get();
    }

    /** The flow of {@code protocol} between the two addresses is in node {@code h}'s filter cache with both bits. */
    private static void assertLearned(int h, String protocol, String local, String remote) {
        List<Map<String, Object>> filter = cl.view(cl.host(h), "filter");
        assertTrue(filter.stream().anyMatch(r -> protocol.equals(r.get("protocolName"))
                && local.equals(r.get("localAddress")) && remote.equals(r.get("remoteAddress"))
                && Boolean.TRUE.equals(r.get("allowsFastPath"))), protocol + " " + local + " -> " + remote + " in "
                + filter);
    }

    /** Hits in one window: inter-host packets both ways, and intra-host packets (both ways count on node 1). */
    private static void assertFastPathCarried(List<Map<String, Object>> before, List<Map<String, Object>> after,
                                              long interEachWay, long intraTotal, String what) {
        for (int h = 0; h < 2; h++) {
            long eg = Cluster.delta(before.get(h), after.get(h), "HIT_EGRESS_INTER_HOST");
            long in = Cluster.delta(before.get(h), after.get(h), "HIT_INGRESS");
            assertTrue(eg >= interEachWay, what + ": node " + (h + 1) + " encapsulated " + eg + " packets on the fast"
                    + " path, expected at least " + interEachWay + "; " + after.get(h));
            assertTrue(in >= interEachWay, what + ": node " + (h + 1) + " decapsulated " + in + " packets on the fast"
                    + " path, expected at least " + interEachWay + "; " + after.get(h));
        }
        long intra = Cluster.delta(before.get(0), after.get(0), "HIT_EGRESS_INTRA_HOST");
        assertTrue(intra >= intraTotal, what + ": node 1 redirected " + intra + " packets veth to veth, expected at"
                + " least " + intraTotal);
    }

    @Test
    void icmp() {
        Container a = cl.container(1, 1);
        Container remote = cl.container(2, 1);
        Container local = cl.container(1, 2);
        assertTrue(Testbed.ping(a.netns(), remote.ip()), "first pings across the overlay");
        assertTrue(Testbed.ping(a.netns(), local.ip()), "first pings on one node");
        var before = cl.statsOfBoth();
        assertEquals(0, Traffic.ping(a.netns(), remote.ip(), N, "0.01").lost(), "pings to the other node");
        assertEquals(0, Traffic.ping(a.netns(), local.ip(), N, "0.01").lost(), "pings on one node");
        var after = cl.statsOfBoth();
        assertFastPathCarried(before, after, N, 2L * N, "ICMP");
        assertLearned(1, "icmp", a.ip(), remote.ip());
    }

    @Test
    void udp() throws Exception {
        Container a = cl.container(1, 1);
        Container remote = cl.container(2, 2);
        Container local = cl.container(1, 2);
        try (var s1 = new Traffic.UdpServer(remote.netns(), remote.ip(), 7102, remote.name());
             var s2 = new Traffic.UdpServer(local.netns(), local.ip(), 7102, local.name());
             var toRemote = new Traffic.UdpClient(a.netns(), a.ip(), remote.ip(), 7102);
             var toLocal = new Traffic.UdpClient(a.netns(), a.ip(), local.ip(), 7102)) {
            assertEquals(3, toRemote.roundTrips(3), "first UDP round trips across the overlay");
            assertEquals(3, toLocal.roundTrips(3), "first UDP round trips on one node");
            var before = cl.statsOfBoth();
            assertEquals(N, toRemote.roundTrips(N));
            assertEquals(N, toLocal.roundTrips(N));
            var after = cl.statsOfBoth();
            assertFastPathCarried(before, after, N, 2L * N, "UDP");
        }
        assertLearned(1, "udp", a.ip(), remote.ip());
    }

    @Test
    void tcp() throws Exception {
        Container a = cl.container(1, 2);
        Container remote = cl.container(2, 1);
        Container local = cl.container(1, 1);
        try (var s1 = new Traffic.TcpServer(remote.netns(), remote.ip(), 7103, remote.name());
             var s2 = new Traffic.TcpServer(local.netns(), local.ip(), 7103, local.name());
             var toRemote = new Traffic.TcpClient(a.netns(), remote.ip(), 7103);
             var toLocal = new Traffic.TcpClient(a.netns(), local.ip(), 7103)) {
            assertEquals(remote.name(), toRemote.greeting());
            assertEquals(local.name(), toLocal.greeting());
            toRemote.roundTrips(3, 100);
            toLocal.roundTrips(3, 100);
            var before = cl.statsOfBoth();
            toRemote.roundTrips(N, 100);
            toLocal.roundTrips(N, 100);
            var after = cl.statsOfBoth();
            assertFastPathCarried(before, after, N, 2L * N, "TCP");
        }
        assertLearned(1, "tcp", a.ip(), remote.ip());
    }
}
