package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xmasq.datapath.FlowKey;
import org.xmasq.datapath.Stat;
import org.xmasq.datapath.Statistics;
import org.xmasq.examples.testbed.Host;
import org.xmasq.net.Ipv4Address;

/**
 * {@code podman rm -f} runs the plugin's DEL: the container's endpoint, its filter entries and its state are gone;
 * a new container given the same IP receives the traffic (on the fast path), not the old veth.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PodmanRmRunsDelAndAReusedIpReachesTheNewContainer {
    private static final String IP = "10.244.1.31";
    private PodmanHosts p;

    @BeforeEach
    void up() throws Exception {
        p = PodmanHosts.start();
    }

    @AfterEach
    void down() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void delForgetsTheContainerAndTheNewOwnerOfItsIpGetsTheTraffic() throws Exception {
        Host h1 = p.tb.host(1);
        Host h2 = p.tb.host(2);
        Ipv4Address ip = Ipv4Address.parse(IP);
        String old = p.runContainer(h1, "old", IP);
        String peer = p.runContainer(h2, "peer", "10.244.2.31");
        assertTrue(p.ping(h2, peer, IP, 6), "peer -> old");
        int oldIfindex = p.node(h1).endpoints().lookup(ip).orElseThrow().ifindex();
        assertFalse(p.node(h1).filterCache().entries().keySet().stream().noneMatch(k -> involves(k, ip)),
                "the flow was learned: " + p.node(h1).filterCache().entries().keySet());
        long stateFiles;
        try (var s = Files.list(p.work.resolve("state-h1"))) {
            stateFiles = s.filter(f -> !f.getFileName().toString().equals("lock")).count();
        }
        assertEquals(1, stateFiles, "ADD noted one container");

        p.remove(h1, old);

        assertTrue(p.node(h1).endpoints().lookup(ip).isEmpty(), "DEL removed the endpoint");
        assertTrue(p.node(h1).filterCache().entries().keySet().stream().noneMatch(k -> involves(k, ip)),
                "DEL dropped the filter entries: " + p.node(h1).filterCache().entries().keySet());
        assertTrue(p.attached(h1).stream().noneMatch(i -> i.ifindex() == oldIfindex), "nothing left on the old veth");
        try (var s = Files.list(p.work.resolve("state-h1"))) {
            assertEquals(0, s.filter(f -> !f.getFileName().toString().equals("lock")).count(), "DEL removed the note");
        }

        String fresh = p.runContainer(h1, "new", IP);
        int newIfindex = p.node(h1).endpoints().lookup(ip).orElseThrow().ifindex();
        String veth = p.ifName(h1, newIfindex);
        assertTrue(veth != null && veth.startsWith("veth"), "registered on the new container's veth: " + veth);
        Statistics before = p.node(h2).statisticsSnapshot();
        Statistics beforeH1 = p.node(h1).statisticsSnapshot();
        // the new container speaks first, as containers do: its ARP for the gateway is what tells h1's neighbour
        // table that the address has a new MAC (the overlay's slow path needs that, with or without XMasq)
        assertTrue(p.ping(h1, fresh, "10.244.2.31", 3), "the new container has the address");
        assertTrue(p.ping(h2, peer, IP, 10), "peer -> the new owner of " + IP);
        long egress = p.node(h2).statisticsSnapshot().get(Stat.HIT_EGRESS_INTER_HOST)
                - before.get(Stat.HIT_EGRESS_INTER_HOST);
        long ingress = p.node(h1).statisticsSnapshot().get(Stat.HIT_INGRESS) - beforeH1.get(Stat.HIT_INGRESS);
        assertTrue(egress >= 5, "h2 sent " + egress + " echo requests on the fast path");
        assertTrue(ingress >= 5, "h1 delivered " + ingress + " packets to the new container on the fast path");
    }

    private static boolean involves(FlowKey k, Ipv4Address ip) {
        return k.localAddress().equals(ip) || k.remoteAddress().equals(ip);
    }
}
