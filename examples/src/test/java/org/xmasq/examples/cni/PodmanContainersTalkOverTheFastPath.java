package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmasq.AttachedInterface;
import org.xmasq.InterfaceRole;
import org.xmasq.datapath.Endpoint;
import org.xmasq.datapath.Stat;
import org.xmasq.datapath.Statistics;
import org.xmasq.examples.testbed.Host;
import org.xmasq.net.Ipv4Address;

/**
 * Containers started by podman, with xmasq-cni chained after bridge + host-local, reach each other on different
 * hosts and on one host, and the counters show that the fast path carried the traffic.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class PodmanContainersTalkOverTheFastPath {
    private static PodmanHosts p;
    private static Host h1;
    private static Host h2;
    private static String a;
    private static String b;

    @BeforeAll
    static void up() throws Exception {
        p = PodmanHosts.start();
        h1 = p.tb.host(1);
        h2 = p.tb.host(2);
        a = p.runContainer(h1, "a", "10.244.1.21");
        b = p.runContainer(h1, "b", "10.244.1.22");
        p.runContainer(h2, "c", "10.244.2.21");
    }

    @AfterAll
    static void down() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void addRegisteredEachContainerOnItsHostVethAndAttachedThePrograms() {
        List<AttachedInterface> attached = p.attached(h1);
        for (String ip : new String[] {"10.244.1.21", "10.244.1.22"}) {
            Endpoint ep = p.node(h1).endpoints().lookup(Ipv4Address.parse(ip)).orElseThrow(
                    () -> new AssertionError(ip + " is not in h1's endpoints map"));
            String veth = p.ifName(h1, ep.ifindex());
            assertTrue(veth != null && veth.startsWith("veth"), ip + " registered on " + veth);
            assertTrue(attached.stream().anyMatch(i -> i.ifindex() == ep.ifindex()
                    && i.role() == InterfaceRole.CONTAINER), "container programs on " + veth + ": " + attached);
        }
        assertTrue(p.node(h2).endpoints().lookup(Ipv4Address.parse("10.244.2.21")).isPresent());
        assertTrue(p.node(h1).endpoints().lookup(Ipv4Address.parse("10.244.2.21")).isEmpty(),
                "h2's container is not h1's endpoint");
    }

    @Test
    void containersOnDifferentHostsTalkOverTheFastPath() {
        Statistics s1 = p.node(h1).statisticsSnapshot();
        Statistics s2 = p.node(h2).statisticsSnapshot();
        assertTrue(p.ping(h1, a, "10.244.2.21", 10), a + " -> 10.244.2.21");
        long egress = p.node(h1).statisticsSnapshot().get(Stat.HIT_EGRESS_INTER_HOST) - s1.get(Stat.HIT_EGRESS_INTER_HOST);
        long ingress = p.node(h2).statisticsSnapshot().get(Stat.HIT_INGRESS) - s2.get(Stat.HIT_INGRESS);
        assertTrue(egress >= 5, "h1 encapsulated " + egress + " of 10 echo requests on the fast path");
        assertTrue(ingress >= 5, "h2 delivered " + ingress + " of 10 echo requests on the fast path");
    }

    @Test
    void containersOnOneHostTalkOverTheFastPath() {
        Statistics s1 = p.node(h1).statisticsSnapshot();
        assertTrue(p.ping(h1, b, "10.244.1.21", 10), b + " -> 10.244.1.21");
        long intra = p.node(h1).statisticsSnapshot().get(Stat.HIT_EGRESS_INTRA_HOST)
                - s1.get(Stat.HIT_EGRESS_INTRA_HOST);
        assertTrue(intra >= 10, "veth to veth: " + intra + " of 20 packets (requests and replies)");
    }

    @Test
    void theRuntimeRanTheAddsOfAllThreeContainers() throws Exception {
        assertEquals(3, p.pluginTimes("ADD").size(), "successful ADDs logged by the timing wrapper");
    }

}
