package org.xmasq.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every subcommand prints its usage for --help (status 0), and a bad command line exits with 2 and one line on
 * standard error naming the problem, before anything is opened.
 */
class EveryCommandAnswersHelpAndBadUsage {
    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpForEveryCommand() {
        for (String cmd : List.of("up", "add", "del", "show", "flush", "evict", "down")) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.status(), cmd);
            assertTrue(r.out().startsWith("usage: xmasq " + cmd), r.out());
            assertEquals("", r.err());
            assertEquals(r.out(), run("help", cmd).out());
        }
        Run top = run("--help");
        assertEquals(0, top.status());
        for (String cmd : List.of("up", "add", "del", "show", "flush", "down")) {
            assertTrue(top.out().contains("\n  " + cmd + " "), cmd + " in " + top.out());
        }
    }

    @Test
    void badUsageExitsWithTwoAndOneLine() {
        String[][] bad = {
            {"bogus"},
            {"up"},
            {"up", "--nic"},
            {"up", "--nic", "eth0", "--vxlan-port", "70000"},
            {"up", "--nic", "eth0", "--vni", "x"},
            {"up", "--nic", "eth0", "extra"},
            {"up", "--nic", "a-name-longer-than-15"},
            {"add", "--veth", "veth0"},
            {"add", "--veth", "veth0", "--ip", "10.0.0"},
            {"del", "--ip", "10.0.0.300"},
            {"del", "--ip", "10.0.0.1", "--ip", "10.0.0.2"},
            {"show", "everything"},
            {"show", "stats", "filter"},
            {"show", "--json=yes"},
            {"flush", "caches"},
            {"evict"},
            {"evict", "--container", "10.0.0.1", "--host", "10.0.0.2"},
            {"down", "--force"},
        };
        for (String[] args : bad) {
            Run r = run(args);
            String what = String.join(" ", args) + ": " + r.err();
            assertEquals(2, r.status(), what);
            assertEquals(1, r.err().lines().count(), what);
            assertTrue(r.err().startsWith("xmasq"), what);
            assertEquals("", r.out(), what);
        }
        Run none = run();
        assertEquals(2, none.status());
        assertTrue(none.err().startsWith("usage: xmasq"), none.err());
    }

    @Test
    void theDefaultPinRootIsTheSdks() {
        assertEquals(org.xmasq.PinLayout.DEFAULT_ROOT.toString(), Main.DEFAULT_PIN_ROOT);
    }
}
