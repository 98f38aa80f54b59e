package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.xmasq.examples.testbed.CommandResult;
import org.xmasq.examples.testbed.Container;
import org.xmasq.examples.testbed.Host;
import org.xmasq.examples.testbed.Netns;
import org.xmasq.examples.testbed.Testbed;

/**
 * Agent restart: while a TCP stream (h1c1 -> h2c1) and a ping flood (h1c2 -> h2c2) run across the overlay,
 * {@code xmasq up} is killed (SIGKILL, by pid) part-way through on each node and then run again to completion. The
 * stream finishes without a reset and arrives intact, the flood loses no larger share than the same flood over the
 * plain overlay (measured first on the same testbed), and the fast path keeps carrying the stream afterwards.
 */
class RestartingUnderTrafficLosesNothing {
    static final int FLOOD_COUNT = 1000;

    /** Ping floods (each waiting for its answers) from {@code from} to {@code ip} until {@code stop}; summed. */
    static Traffic.PingResult floods(Netns from, String ip, AtomicBoolean stop, int atLeast) {
        int tx = 0;
        int rx = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; (i < atLeast || !stop.get()) && System.nanoTime() < deadline; i++) {
            CommandResult r = from.run(Duration.ofSeconds(30), "ping", "-q", "-n", "-f", "-c",
                    String.valueOf(FLOOD_COUNT), "-W", "1", "-w", "20", ip);
            Traffic.PingResult p = Traffic.parsePing(r);
            tx += p.transmitted();
            rx += p.received();
        }
        return new Traffic.PingResult(tx, rx, "");
    }

    /** How long a complete, re-adopting {@code xmasq up} takes on {@code h} now. */
    static long upDuration(Cluster cl, Host h) {
        long t = System.nanoTime();
        CommandResult r = cl.xmasq(h, "up", "--nic", h.nic());
        assertTrue(r.stdout().contains("re-adopted"), r.stdout());
        return (System.nanoTime() - t) / 1_000_000;
    }

    @Test
    void noResetAndNoMoreLossThanThePlainOverlay() throws Exception {
        try (Cluster cl = Cluster.plain()) {
            Container pinger = cl.container(1, 2);
            Container pinged = cl.container(2, 2);
            Traffic.PingResult plain = floods(pinger.netns(), pinged.ip(), new AtomicBoolean(true), 5);
            assertTrue(plain.transmitted() >= 5 * FLOOD_COUNT, "baseline floods ran: " + plain);

            cl.upAll();
            Container from = cl.container(1, 1);
            Container to = cl.container(2, 1);
            assertTrue(Testbed.ping(from.netns(), to.ip()));
            var received = Traffic.sink(to.netns(), to.ip(), 7501, Duration.ofSeconds(60));
            AtomicBoolean stop = new AtomicBoolean();
            MessageDigest md = Traffic.sha256();
            long[] sent = {0};
            long t0 = System.nanoTime();
            long[] longestGapMs = {0};
            StringBuilder events = new StringBuilder();
            Socket s = Traffic.LIB.inNetns(from.netns().path(), () -> {
                Socket c = new Socket();
                c.connect(new InetSocketAddress(to.ip(), 7501), Traffic.TIMEOUT_MS);
                return c;
            });
            // the stream: 64 KiB every 5 ms (about 13 MB/s) until told to stop, at most 90 s
            CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
                try (s) {
                    s.setSoTimeout(15_000);
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = new byte[1 << 16];
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    long last = System.nanoTime();
                    for (int i = 0; !stop.get() && System.nanoTime() < end; i++) {
                        Traffic.fill(chunk, 99, i);
                        md.update(chunk);
                        out.write(chunk);
                        long now = System.nanoTime();
                        longestGapMs[0] = Math.max(longestGapMs[0], (now - last) / 1_000_000);
                        last = now;
                        sent[0] += chunk.length;
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    synchronized (events) {
                        events.append(String.format(" stream failed at %d ms after %d bytes;",
                                (System.nanoTime() - t0) / 1_000_000, sent[0]));
                    }
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, Traffic.BACKGROUND);
            CompletableFuture<Traffic.PingResult> flood = CompletableFuture.supplyAsync(() ->
                    floods(pinger.netns(), pinged.ip(), stop, 5), Traffic.BACKGROUND);
            Thread.sleep(500);
            var before = cl.statsOfBoth();
            int killed = 0;
            double[] killAt = {0.5, 0.8}; // of a full up's duration on this machine, measured just before
            int round = 0;
            for (Host h : cl.tb.hosts()) {
                // killed part-way (re-adoption, object load or attach), then run again to completion
                long full = upDuration(cl, h);
                long killAfter = Math.max(100, (long) (full * killAt[round++ % killAt.length]));
                Process p = Cli.start(h.netns(), "up", "--nic", h.nic(), "--pin-root", cl.pinRoot(h).toString());
                boolean finished = p.waitFor(killAfter, TimeUnit.MILLISECONDS);
                if (!finished) {
                    p.destroyForcibly(); // SIGKILL to the launcher's pid: nsenter and the shell exec()ed into java
                    p.waitFor(10, TimeUnit.SECONDS);
                    killed++;
                }
                synchronized (events) {
                    events.append(String.format(" up on %s (full run %d ms) %s after %d ms at %d ms;", h.name(), full,
                            finished ? "finished" : "killed", killAfter, (System.nanoTime() - t0) / 1_000_000));
                }
                CommandResult again = cl.xmasq(h, "up", "--nic", h.nic());
                assertTrue(again.stdout().contains("re-adopted"), again.stdout());
                assertTrue(again.stdout().contains("2 endpoints"), "registrations kept: " + again.stdout());
            }
            assertTrue(killed > 0, "at least one up was killed part-way");
            var after = cl.statsOfBoth();
            stop.set(true);
            try {
                stream.get(30, TimeUnit.SECONDS); // throws on a reset
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("the stream broke: " + e.getCause() + ";" + events + " longest write gap "
                        + longestGapMs[0] + " ms", e);
            }
            var got = received.get(30, TimeUnit.SECONDS);
            assertEquals(sent[0], got.bytes(), "every byte of the stream arrived");
            org.slf4j.LoggerFactory.getLogger(getClass()).info("stream {} bytes, longest write gap {} ms;{}", sent[0],
                    longestGapMs[0], events);
            assertEquals(HexFormat.of().formatHex(md.digest()), got.sha256(), "and intact");
            Traffic.PingResult restarted = flood.get(60, TimeUnit.SECONDS);
            assertTrue(restarted.transmitted() >= 5 * FLOOD_COUNT, "floods ran: " + restarted);
            double plainLoss = (double) plain.lost() / plain.transmitted();
            double restartLoss = (double) restarted.lost() / restarted.transmitted();
            assertTrue(restartLoss <= plainLoss, "ping flood loss during restarts " + restarted.lost() + "/"
                    + restarted.transmitted() + ", over the plain overlay " + plain.lost() + "/" + plain.transmitted());
            assertTrue(Cluster.delta(before.get(0), after.get(0), "HIT_EGRESS_INTER_HOST") > 0,
                    "the fast path carried traffic through the restarts: " + after.get(0));
            assertTrue(Cluster.delta(before.get(1), after.get(1), "HIT_INGRESS") > 0,
                    "node 2 decapsulated through the restarts: " + after.get(1));
        }
    }
}
