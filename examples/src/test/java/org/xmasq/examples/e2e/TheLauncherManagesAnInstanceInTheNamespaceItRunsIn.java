package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.datapath.Stat;
import org.xmasq.examples.json.Json;
import org.xmasq.examples.testbed.CommandResult;
import org.xmasq.examples.testbed.Commands;
import org.xmasq.examples.testbed.Netns;

/**
 * bin/xmasq under {@code nsenter --net} in a scratch namespace: up loads then re-adopts (idempotent), add/del
 * register a veth, every show --json view is JSON of the promised shape, a failure exits with 1 and one line on
 * stderr, and down removes the pins. Nothing is created outside the namespace and the pin root, both prefixed.
 */
class TheLauncherManagesAnInstanceInTheNamespaceItRunsIn {
    private String name;
    private Netns ns;
    private Path root;

    @BeforeEach
    void namespace() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        name = "xmt" + HexFormat.of().formatHex(b);
        ns = new Netns(name);
        root = Path.of("/sys/fs/bpf", name);
        Commands.check("ip", "netns", "add", name);
        ns.ip("link", "add", "nic0", "type", "veth", "peer", "name", "nic1");
        ns.ip("addr", "add", "10.77.0.1/24", "dev", "nic0");
        ns.ip("link", "set", "nic0", "up");
        ns.ip("link", "set", "nic1", "up");
        ns.ip("link", "add", "vc1", "type", "veth", "peer", "name", "vc1p");
        ns.ip("link", "set", "vc1", "up");
        ns.ip("link", "add", "vc2", "type", "veth", "peer", "name", "vc2p");
        ns.ip("link", "set", "vc2", "up");
    }

    @AfterEach
    void cleanUp() throws Exception {
        Commands.run(Commands.CONFIG_TIMEOUT, List.of("ip", "netns", "delete", name));
        if (Files.exists(root)) {
            try (var all = Files.walk(root)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private CommandResult xmasq(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--pin-root=" + root);
        return Cli.run(ns, all);
    }

    private static void assertFailsWithOneLine(CommandResult r, String mentions) {
        assertEquals(1, r.exitCode(), r.stderr() + r.stdout());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().contains(mentions), r.stderr());
    }

    @Test
    void upAddShowDelDown() {
        assertFailsWithOneLine(xmasq("show"), "no XMasq instance");
        assertFailsWithOneLine(xmasq("up", "--nic", "nosuch0"), "nosuch0");
        assertFalse(Files.exists(root.resolve("meta")), "a failed first up leaves nothing pinned");

        CommandResult up = xmasq("up", "--nic", "nic0", "--vxlan-port", "4789", "--vni", "42");
        assertEquals(0, up.exitCode(), up.stderr());
        assertTrue(up.stdout().contains("loaded"), up.stdout());
        assertEquals("", up.stderr(), "quiet on success");
        CommandResult again = xmasq("up", "--nic", "nic0", "--vxlan-port", "4789", "--vni", "42");
        assertEquals(0, again.exitCode(), again.stderr());
        assertTrue(again.stdout().contains("re-adopted"), again.stdout());
        assertFailsWithOneLine(xmasq("up", "--nic", "nic0"), "vxlanPort");

        assertEquals(0, xmasq("add", "--veth", "vc1", "--ip", "10.78.0.5").exitCode());
        assertEquals(0, xmasq("add", "--veth", "vc1", "--ip", "10.78.0.5").exitCode(), "adding again is a no-op");
        assertFailsWithOneLine(xmasq("add", "--veth", "nic0", "--ip", "10.78.0.6"), "nic0");
        assertFailsWithOneLine(xmasq("add", "--veth", "vc2", "--ip", "10.78.0.5"), "already registered");
        CommandResult moved = xmasq("add", "--veth", "vc2", "--ip", "10.78.0.5", "--replace");
        assertEquals(0, moved.exitCode(), moved.stderr());
        assertTrue(moved.stdout().contains("reassigned"), moved.stdout());
        assertEquals(0, xmasq("add", "--veth", "vc1", "--ip", "10.78.0.5", "--replace").exitCode(), "and back");

        List<Map<String, Object>> devices = Json.arrayOfObjects(xmasq("show", "devices", "--json").stdout());
        assertEquals(1, devices.size(), devices.toString());
        assertEquals("nic0", devices.get(0).get("interface"));
        assertEquals("10.77.0.1", devices.get(0).get("address"));
        assertEquals(4789L, devices.get(0).get("vxlanPort"));
        assertEquals(42L, devices.get(0).get("vni"));
        List<Map<String, Object>> eps = Json.arrayOfObjects(xmasq("show", "endpoints", "--json").stdout());
        assertEquals(1, eps.size(), eps.toString());
        assertEquals("10.78.0.5", eps.get(0).get("ip"));
        assertEquals("vc1", eps.get(0).get("interface"));
        assertEquals(Boolean.FALSE, eps.get(0).get("containerMacKnown"));
        Map<String, Object> stats = Json.object(xmasq("show", "stats", "--json").stdout());
        assertEquals(Stat.values().length, stats.size());
        for (Stat s : Stat.values()) {
            assertTrue(stats.get(s.name()) instanceof Long, s + " in " + stats);
        }
        Map<String, Object> all = Json.object(xmasq("show", "--json").stdout());
        assertEquals(List.of("endpoints", "egress", "filter", "devices", "interfaces", "stats"),
                List.copyOf(all.keySet()));
        for (String view : List.of("endpoints", "egress", "filter", "devices", "interfaces")) {
            assertTrue(all.get(view) instanceof List<?> l && l.stream().allMatch(o -> o instanceof Map), view + ": "
                    + all.get(view));
        }
        assertEquals(stats.keySet(), ((Map<?, ?>) all.get("stats")).keySet());
        assertTrue(xmasq("show").stdout().contains("10.78.0.5"), "the text overview lists the endpoint");

        assertEquals(0, xmasq("flush", "all").exitCode());
        assertEquals(0, xmasq("del", "--ip", "10.78.0.5").exitCode());
        assertFailsWithOneLine(xmasq("del", "--ip", "10.78.0.5"), "not registered");
        CommandResult down = xmasq("down");
        assertEquals(0, down.exitCode(), down.stderr());
        assertFalse(Files.exists(root.resolve("meta")), "pins removed");
        assertEquals(0, xmasq("down").exitCode(), "down twice is fine");

        if (Commands.available("iptables")) {
            CommandResult est = xmasq("up", "--nic", "nic0", "--require-est");
            assertEquals(0, est.exitCode(), est.stderr());
            assertTrue(iptables().contains("xmasq-"), "the EST rule is installed: " + iptables());
            assertEquals(0, xmasq("down").exitCode());
            assertFalse(iptables().contains("xmasq-"), "and removed by down: " + iptables());
        }
    }

    private String iptables() {
        return ns.run(Commands.CONFIG_TIMEOUT, "iptables-save").stdout();
    }
}
