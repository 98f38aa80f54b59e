package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xmasq.examples.testbed.CommandResult;
import org.xmasq.examples.testbed.Commands;
import org.xmasq.examples.testbed.Container;
import org.xmasq.examples.testbed.Host;
import org.xmasq.examples.testbed.Netns;
import org.xmasq.examples.testbed.Testbed;

/**
 * The coherence events, one after the other on one cluster, each done through the CLI and followed by a connectivity
 * check of every container still there (ping and a TCP connection that must reach the right container):
 * a container deleted; its IP reused by a new container on the same node (traffic reaches the new one, never the
 * old); a remote container gone; the filter cache flushed; XMasq down on one node (the plain overlay carries on).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoherenceEventsKeepTheNetworkWorking {
    static final int PORT = 7400;
    private static Cluster cl;
    /** Containers that should answer, with the name their server greets with. */
    private static final List<Peer> alive = new ArrayList<>();
    private static final List<AutoCloseable> servers = new ArrayList<>();
    private static Container oldH2c2;

    record Peer(String name, Netns netns, String ip) {
    }

    @BeforeAll
    static void up() {
        cl = Cluster.withXMasq();
        for (Container c : cl.tb.containers()) {
            serve(c.netns(), c.ip(), c.name());
            alive.add(new Peer(c.name(), c.netns(), c.ip()));
        }
        connectivity("with XMasq up");
    }

    @AfterAll
    static void down() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        if (cl != null) {
            cl.close();
        }
    }

    private static void serve(Netns ns, String ip, String name) {
        servers.add(new Traffic.TcpServer(ns, ip, PORT, name));
        servers.add(new Traffic.UdpServer(ns, ip, PORT, name));
    }

    /** Every live container reaches every other: ping, and a TCP connection greeted by the right container. */
    static void connectivity(String after) {
        for (Peer a : alive) {
            for (Peer b : alive) {
                if (a == b) {
                    continue;
                }
                assertTrue(pings(a.netns(), b.ip()), after + ": ping " + a.name() + " -> " + b.name());
                try (var c = new Traffic.TcpClient(a.netns(), b.ip(), PORT)) {
                    assertEquals(b.name(), c.greeting(), after + ": TCP " + a.name() + " -> " + b.ip());
                    c.roundTrips(3, 200);
                } catch (IOException e) {
                    throw new AssertionError(after + ": TCP " + a.name() + " -> " + b.name() + ": " + e, e);
                }
            }
        }
    }

    /** Three echoes 50 ms apart, each answered within a second. */
    static boolean pings(Netns from, String ip) {
        return from.run(java.time.Duration.ofSeconds(10), "ping", "-q", "-n", "-c", "3", "-i", "0.05", "-W", "1", ip)
                .ok();
    }

    private static Peer peer(Container c) {
        return alive.stream().filter(p -> p.name().equals(c.name())).findFirst().orElseThrow();
    }

    private static boolean mentions(List<Map<String, Object>> rows, String ip) {
        return rows.stream().anyMatch(r -> r.containsValue(ip));
    }

    @Test
    @Order(1)
    void aDeletedContainerLosesItsFastPathAtOnce() {
        oldH2c2 = cl.container(2, 2);
        Host h2 = cl.host(2);
        assertTrue(mentions(cl.view(h2, "filter"), oldH2c2.ip()), "its flows were learned");
        CommandResult del = cl.xmasq(h2, "del", "--ip", oldH2c2.ip());
        assertTrue(del.stdout().contains("removed"), del.stdout());
        // the container goes away: its veth leaves the bridge (the namespace stays, still holding the address, so
        // only a stale fast path could reach it)
        h2.netns().ip("link", "set", oldH2c2.hostVeth(), "nomaster");
        alive.remove(peer(oldH2c2));
        assertFalse(mentions(cl.view(h2, "endpoints"), oldH2c2.ip()), "endpoint gone");
        assertFalse(mentions(cl.view(h2, "filter"), oldH2c2.ip()), "its filter entries gone");
        assertFalse(pings(cl.container(1, 1).netns(), oldH2c2.ip()), "nothing answers for the deleted IP");
        assertFalse(pings(cl.container(2, 1).netns(), oldH2c2.ip()), "not even on its own node");
        assertEquals(1, cl.run(h2, "del", "--ip", oldH2c2.ip()).exitCode(), "deleting it again fails");
        connectivity("container deleted");
    }

    @Test
    @Order(2)
    void aReusedIpReachesTheNewContainerNeverTheOld() throws Exception {
        Host h2 = cl.host(2);
        String ip = oldH2c2.ip();
        Netns fresh = new Netns(cl.tb.prefix() + "-h2c9");
        Commands.check("ip", "netns", "add", fresh.name());
        h2.netns().ip("link", "add", "vethc9", "mtu", String.valueOf(Testbed.OVERLAY_MTU), "type", "veth", "peer",
                "name", "eth0", "mtu", String.valueOf(Testbed.OVERLAY_MTU), "netns", fresh.name());
        h2.netns().ip("link", "set", "vethc9", "master", Testbed.BRIDGE, "up");
        fresh.ip("link", "set", "lo", "up");
        fresh.ip("addr", "add", ip + "/24", "dev", "eth0");
        fresh.ip("link", "set", "eth0", "up");
        fresh.ip("route", "add", "default", "via", h2.bridgeIp(), "dev", "eth0");
        // what the CNI's gratuitous ARP does for a new container: neighbours forget the old MAC of the address
        h2.netns().ip("neigh", "flush", "to", ip);
        cl.container(2, 1).netns().ip("neigh", "flush", "to", ip);
        serve(fresh, ip, "h2c9");
        // the old container still holds the address and still serves: it must never be reached again
        cl.xmasq(h2, "add", "--veth", "vethc9", "--ip", ip);
        alive.add(new Peer("h2c9", fresh, ip));
        for (Container from : List.of(cl.container(1, 1), cl.container(1, 2), cl.container(2, 1))) {
            for (int i = 0; i < 5; i++) {
                try (var c = new Traffic.TcpClient(from.netns(), ip, PORT)) {
                    assertEquals("h2c9", c.greeting(), "TCP from " + from.name() + " to the reused " + ip);
                }
            }
            try (var u = new Traffic.UdpClient(from.netns(), from.ip(), ip, PORT)) {
                for (int i = 0; i < 10; i++) {
                    byte[] a = u.ask(("x" + i).getBytes(StandardCharsets.UTF_8));
                    assertNotNull(a, "UDP from " + from.name());
                    assertEquals("h2c9:x" + i, new String(a, StandardCharsets.UTF_8), "UDP from " + from.name());
                }
            }
        }
        List<Map<String, Object>> eps = cl.view(h2, "endpoints");
        assertTrue(eps.stream().anyMatch(r -> ip.equals(r.get("ip")) && "vethc9".equals(r.get("interface"))), eps
                .toString());
        connectivity("IP reused");
    }

    @Test
    @Order(3)
    void aRemoteContainerGoneIsEvictedEverywhere() {
        Container gone = cl.container(2, 1);
        Host h1 = cl.host(1);
        Host h2 = cl.host(2);
        assertTrue(cl.view(h1, "egress").stream().anyMatch(r -> gone.ip().equals(r.get("container"))),
                "node 1 had learned where " + gone.ip() + " lives");
        cl.xmasq(h2, "del", "--ip", gone.ip());
        h2.netns().ip("link", "del", gone.hostVeth());
        alive.remove(peer(gone));
        CommandResult ev = cl.xmasq(h1, "evict", "--container", gone.ip());
        assertTrue(ev.stdout().contains("dropped"), ev.stdout());
        assertFalse(cl.view(h1, "egress").stream().anyMatch(r -> gone.ip().equals(r.get("container"))),
                "node 1 forgot where " + gone.ip() + " lived");
        assertFalse(pings(cl.container(1, 1).netns(), gone.ip()), "the gone container does not answer");
        connectivity("remote container gone");
    }

    @Test
    @Order(4)
    void aFilterFlushIsRelearnedWithinARoundTrip() {
        for (Host h : cl.tb.hosts()) {
            CommandResult r = cl.xmasq(h, "flush", "filter");
            assertTrue(r.stdout().matches("(?s).*\\b[1-9][0-9]* filter entries dropped.*"), r.stdout());
            assertEquals(List.of(), cl.view(h, "filter"), "empty after the flush");
        }
        var before = cl.statsOfBoth();
        connectivity("filter flushed");
        var after = cl.statsOfBoth();
        assertTrue(cl.view(cl.host(1), "filter").stream().anyMatch(r -> Boolean.TRUE.equals(r.get("allowsFastPath"))),
                "relearned");
        assertTrue(Cluster.delta(before.get(0), after.get(0), "HIT_EGRESS_INTER_HOST") > 0,
                "the fast path serves again: " + after.get(0));
    }

    @Test
    @Order(5)
    void downOnOneNodeLeavesThePlainOverlay() {
        Host h1 = cl.host(1);
        CommandResult r = cl.xmasq(h1, "down");
        assertTrue(r.stdout().contains("detached"), r.stdout());
        assertFalse(Files.exists(cl.pinRoot(h1)), "pins removed");
        CommandResult show = cl.run(h1, "show");
        assertEquals(1, show.exitCode(), "nothing to show any more");
        assertEquals(1, show.stderr().strip().lines().count(), "one line: " + show.stderr());
        assertEquals(0, cl.xmasq(h1, "down").exitCode(), "down again is fine");
        connectivity("down on node 1");
    }
}
