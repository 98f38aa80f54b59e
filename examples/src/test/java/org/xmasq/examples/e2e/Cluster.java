package org.xmasq.examples.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.xmasq.examples.json.Json;
import org.xmasq.examples.testbed.CommandResult;
import org.xmasq.examples.testbed.Container;
import org.xmasq.examples.testbed.Host;
import org.xmasq.examples.testbed.Testbed;

/**
 * A testbed (two Flannel-style nodes, four containers, under a fresh prefix) with XMasq brought up through the CLI
 * on each node ({@code xmasq up --nic eth0}, {@code xmasq add} for its two containers), each node with its own pin
 * root inside the testbed's prefix. {@link #close()} deletes the namespaces and the pins, whatever state the test
 * left them in.
 */
final class Cluster implements AutoCloseable {
    final Testbed tb;

    private Cluster(Testbed tb) {
        this.tb = tb;
    }

    /** A testbed without XMasq (call {@link #upAll()} later). */
    static Cluster plain() {
        return new Cluster(Testbed.create());
    }

    /** A testbed with XMasq up on both nodes ({@code xmasq up --nic eth0 UP_OPTIONS...}), all containers added. */
    static Cluster withXMasq(String... upOptions) {
        Cluster c = plain();
        try {
            c.upAll(upOptions);
            return c;
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** {@code xmasq up} and {@code xmasq add} for every container, the two nodes in parallel. */
    void upAll(String... upOptions) {
        List<CompletableFuture<Void>> nodes = new ArrayList<>();
        for (Host h : tb.hosts()) {
            nodes.add(CompletableFuture.runAsync(() -> {
                List<String> up = new ArrayList<>(List.of("up", "--nic", h.nic()));
                up.addAll(List.of(upOptions));
                xmasq(h, up.toArray(String[]::new));
                for (Container c : tb.containersOf(h)) {
                    xmasq(h, "add", "--veth", c.hostVeth(), "--ip", c.ip());
                }
            }, Traffic.BACKGROUND));
        }
        try {
            CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw e;
        }
    }

    Host host(int i) {
        return tb.host(i);
    }

    Container container(int h, int c) {
        return tb.container(h, c);
    }

    /** The pin root of {@code h}'s instance: under the testbed's prefix, so Testbed.cleanup removes it. */
    Path pinRoot(Host h) {
        return Path.of("/sys/fs/bpf", tb.prefix() + "-" + h.name());
    }

    /** Runs {@code xmasq args... --pin-root ROOT} in {@code h}'s namespace. */
    CommandResult run(Host h, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--pin-root");
        all.add(pinRoot(h).toString());
        return Cli.run(h.netns(), all);
    }

    /** {@link #run} that must succeed. */
    CommandResult xmasq(Host h, String... args) {
        CommandResult r = run(h, args);
        if (!r.ok()) {
            throw new AssertionError("on " + h.name() + ": xmasq " + String.join(" ", args) + " exited with "
                    + r.exitCode() + ": " + r.stderr().strip() + " " + r.stdout().strip());
        }
        return r;
    }

    /** {@code xmasq show stats --json} on {@code h}: counter name -> value. */
    Map<String, Object> stats(Host h) {
        return Json.object(xmasq(h, "show", "stats", "--json").stdout());
    }

    /** The stats of both nodes, read in parallel. */
    List<Map<String, Object>> statsOfBoth() {
        var f1 = CompletableFuture.supplyAsync(() -> stats(host(1)), Traffic.BACKGROUND);
        var f2 = CompletableFuture.supplyAsync(() -> stats(host(2)), Traffic.BACKGROUND);
        return List.of(f1.join(), f2.join());
    }

    /** {@code xmasq show VIEW --json} on {@code h}. */
    List<Map<String, Object>> view(Host h, String view) {
        return Json.arrayOfObjects(xmasq(h, "show", view, "--json").stdout());
    }

    static long counter(Map<String, Object> stats, String name) {
        Object v = stats.get(name);
        if (!(v instanceof Long l)) {
            throw new AssertionError("no counter " + name + " in " + stats);
        }
        return l;
    }

    static long delta(Map<String, Object> before, Map<String, Object> after, String name) {
        return counter(after, name) - counter(before, name);
    }

    @Override
    public void close() {
        tb.close();
    }
}
