package org.xmasq.examples.cni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin never sets a node up: on a node where xmasq up has not run, ADD fails with the plugin's code 100 and a
 * message that says so, while DEL succeeds (there is nothing to remove) and forgets what ADD had noted.
 */
class OnANodeWithoutXMasqAddFailsClearlyAndDelSucceeds {
    private final String tag = "xmt" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final Path pinRoot = Path.of("/sys/fs/bpf", tag);
    private final Path stateDir = Path.of("/tmp", tag + "-state");

    @AfterEach
    void cleanup() throws Exception {
        if (Files.exists(stateDir)) {
            try (Stream<Path> s = Files.walk(stateDir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private String conf() {
        return Cni.conf("1.0.0", ", \"pinRoot\": \"" + pinRoot + "\", \"stateDir\": \"" + stateDir
                + "\", \"prevResult\": " + Cni.BRIDGE_RESULT);
    }

    @Test
    void addIsCode100AndLeavesNothing() {
        Cni.Outcome o = Cni.run(Cni.env("ADD"), conf(), new ContainerOps());
        assertEquals(1, o.exitCode(), o.stdout());
        assertEquals(100L, o.json().get("code"), o.stdout());
        assertTrue(((String) o.json().get("msg")).contains("xmasq up"), o.stdout());
        assertFalse(Files.exists(pinRoot), "the plugin created no instance");
        assertFalse(Files.exists(stateDir.resolve("0123abcd-eth0")), "no note of a registration");
    }

    @Test
    void delSucceedsAndForgetsTheNote() throws Exception {
        Files.createDirectories(stateDir);
        Files.writeString(stateDir.resolve("0123abcd-eth0"),
                "{\"ipv4\":[\"10.244.1.7\"],\"hostVeth\":\"veth1234abcd\",\"ifindex\":4242}");
        Cni.Outcome o = Cni.run(Cni.env("DEL"), conf(), new ContainerOps());
        assertEquals(0, o.exitCode(), o.stdout());
        assertEquals("", o.stdout());
        assertFalse(Files.exists(stateDir.resolve("0123abcd-eth0")));
        // and again: DEL of a container that is already gone succeeds
        assertEquals(0, Cni.run(Cni.env("DEL"), conf(), new ContainerOps()).exitCode());
    }
}
