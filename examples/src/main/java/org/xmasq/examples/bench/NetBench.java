package org.xmasq.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.xmasq.examples.testbed.Commands;
import org.xmasq.examples.testbed.Route;
import org.xmasq.examples.testbed.Scope;
import org.xmasq.examples.testbed.Testbed;
import org.xmasq.libbpf.LibBpfs;

/**
 * The network benchmark: host network, plain overlay and overlay + XMasq, measured in one run and interleaved test by
 * test: every round runs each (scope, workload) as host, overlay, xmasq back to back, so the load of a shared machine,
 * which changes within seconds, hits the three alike. Workloads: TCP and UDP throughput (iperf3) and TCP and UDP
 * request/response (sockperf ping-pong, 64-byte messages), each inter-host and intra-host, with the CPU time the
 * client and server processes used.
 *
 * <p>Two identical testbeds: host network and plain overlay run on the first, overlay + XMasq on the second, where
 * XMasq is attached once at the start (a ping each way warms its caches) and taken down at the end; a plain overlay
 * never shares namespaces with the accelerated one. XMasq's counters are read around every test, so the table shows
 * that the fast path carried the traffic. Medians over rounds and ratios to the host network are printed and written
 * (CSV, SVG) under the results folder; both testbeds are torn down at the end, on Ctrl-C too.
 *
 * <pre>
 * usage: xmasq-bench [--quick] [--rounds N] [--seconds S] [--out DIR] [--no-xmasq] [--xmasq-ingress-gso]
 *                    [--scopes inter-host,intra-host] [--workloads tcp-stream,udp-stream,tcp-rr,udp-rr] | --sweep
 *   default: 5 rounds, 2 s per test (about 7 minutes on a loaded 2-core machine)
 *   --quick: 2 rounds, 1 s per test (about 2 minutes; sockperf measures 0.6 s after its warm-up)
 *   --xmasq-ingress-gso: XMasq decapsulates GSO packets on ingress too (see DatapathConfig.ingressGso)
 *   --scopes, --workloads: run only these (the table then shows only them)
 *   --sweep: only remove testbeds (namespaces, their processes, pins) left by a benchmark or test that was killed
 * </pre>
 */
public final class NetBench {
    private static final Duration HARD_LIMIT = Duration.ofMinutes(20);
    private final PrintStream out;
    private final int rounds;
    private final int streamSeconds;
    private final int rrSeconds;
    private final Path outDir;
    private final Accelerator accelerator;
    private List<Scope> scopes = List.of(Scope.values());
    private List<Workload> workloads = List.of(Workload.values());

    private Testbed tb;
    private Testbed accelTb;
    private final Map<String, Servers> servers = new LinkedHashMap<>();
    private Acceleration acceleration;
    private final Map<String, Long> xmasqTotals = new TreeMap<>();
    private int failures;
    private boolean tornDown;

    NetBench(PrintStream out, int rounds, int streamSeconds, int rrSeconds, Path outDir, Accelerator accelerator) {
        this.out = out;
        this.rounds = rounds;
        this.streamSeconds = streamSeconds;
        this.rrSeconds = rrSeconds;
        this.outDir = outDir;
        this.accelerator = accelerator;
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int seconds = 2;
        int rrSeconds = 2;
        Path out = Path.of("results");
        boolean xmasq = true;
        boolean ingressGso = false;
        String onlyScopes = null;
        String onlyWorkloads = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> {
                    rounds = 2;
                    seconds = 1;
                    rrSeconds = 1;
                }
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seconds" -> {
                    seconds = Integer.parseInt(args[++i]);
                    rrSeconds = seconds;
                }
                case "--out" -> out = Path.of(args[++i]);
                case "--no-xmasq" -> xmasq = false;
                case "--xmasq-ingress-gso" -> ingressGso = true;
                case "--scopes" -> onlyScopes = args[++i];
                case "--workloads" -> onlyWorkloads = args[++i];
                case "--sweep" -> {
                    // Removes what a killed benchmark or test left behind (testbeds whose owner is gone), then exits.
                    System.out.println("swept stale testbeds: " + Testbed.sweepStale());
                    return;
                }
                case "-h", "--help" -> {
                    System.out.println("usage: xmasq-bench [--quick] [--rounds N] [--seconds S] [--out DIR] "
                            + "[--no-xmasq] [--xmasq-ingress-gso] "
                            + "[--scopes inter-host,intra-host] [--workloads tcp-stream,udp-stream,tcp-rr,udp-rr] "
                            + "| --sweep");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (rounds < 1 || seconds < 1) {
            System.err.println("--rounds and --seconds must be at least 1");
            System.exit(2);
        }
        for (String tool : List.of("ip", "bridge", "nsenter", "iperf3", "sockperf", "ping", "bash")) {
            if (!Commands.available(tool)) {
                System.err.println("xmasq-bench needs " + tool + " (bin/setup installs it)");
                System.exit(1);
            }
        }
        NetBench bench = new NetBench(System.out, rounds, seconds, rrSeconds, out,
                xmasq ? new XMasqAccelerator(LibBpfs.get(), ingressGso) : null);
        try {
            if (onlyScopes != null) {
                bench.scopes = select(onlyScopes, Scope.values(), Scope::label);
            }
            if (onlyWorkloads != null) {
                bench.workloads = select(onlyWorkloads, Workload.values(), Workload::option);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        Thread hook = new Thread(bench::tearDown, "xmasq-bench-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = bench.run();
        System.exit(status);
    }

    /** The values named in a comma-separated list, in declaration order. */
    static <E extends Enum<E>> List<E> select(String list, E[] values, Function<E, String> name) {
        List<String> names = List.of(list.split(","));
        for (String n : names) {
            if (Arrays.stream(values).noneMatch(v -> name.apply(v).equals(n))) {
                throw new IllegalArgumentException("unknown name '" + n + "' (one of "
                        + Arrays.stream(values).map(name).toList() + ")");
            }
        }
        return Arrays.stream(values).filter(v -> names.contains(name.apply(v))).toList();
    }

    int run() throws IOException {
        long start = System.nanoTime();
        List<Measurement> all = new ArrayList<>();
        try {
            List<String> swept = Testbed.sweepStale();
            if (!swept.isEmpty()) {
                out.println("swept stale testbeds " + swept);
            }
            tb = Testbed.create();
            out.printf("testbed %s up: 2 nodes, 4 containers, Flannel-style VXLAN (netfilter rules %s)%n",
                    tb.prefix(), tb.netfilter() ? "on" : "off");
            for (Scope s : Scope.values()) {
                startServers(tb.hostNetwork(s));
                startServers(tb.overlay(s));
            }
            for (Scope s : Scope.values()) {
                for (Route r : List.of(tb.hostNetwork(s), tb.overlay(s))) {
                    if (!Testbed.ping(r.client(), r.serverIp())) {
                        throw new IllegalStateException("no connectivity: " + r.description());
                    }
                }
            }
            List<Config> configs = new ArrayList<>(List.of(Config.HOST, Config.OVERLAY));
            if (accelerator != null) {
                accelTb = Testbed.create();
                for (Scope s : Scope.values()) {
                    startServers(accelTb.overlay(s));
                }
                long t0 = System.nanoTime();
                acceleration = accelerator.accelerate(accelTb);
                // Warm-up: a few round trips through the slow path let the learners fill endpoints and caches.
                for (Scope s : Scope.values()) {
                    Route r = accelTb.overlay(s);
                    if (!Testbed.ping(r.client(), r.serverIp())) {
                        throw new IllegalStateException("no connectivity with XMasq attached: " + r.description());
                    }
                }
                configs.add(Config.XMASQ);
                out.printf(Locale.ROOT, "xmasq on testbed %s (%s), attached and warmed up in %d ms%n",
                        accelTb.prefix(), accelerator.describe(), (System.nanoTime() - t0) / 1_000_000);
            } else {
                out.println("xmasq: skipped (--no-xmasq)");
            }
            out.println("load average at start: " + loadAverage());
            out.printf("UDP stream socket buffers: %d KiB asked (iperf3 -w), net.core.rmem_max %s, wmem_max %s%n",
                    ClientRun.UDP_SOCKET_BUFFER >> 10, sysctl("net/core/rmem_max"), sysctl("net/core/wmem_max"));
            out.printf("%d rounds x %d scopes x %d workloads x %d configs (streams %d s, req/resp %d s)%n", rounds,
                    scopes.size(), workloads.size(), configs.size(), streamSeconds, rrSeconds);
            rounds:
            for (int round = 1; round <= rounds; round++) {
                for (Scope s : scopes) {
                    for (Workload w : workloads) {
                        if (Duration.ofNanos(System.nanoTime() - start).compareTo(HARD_LIMIT) > 0) {
                            out.println("time limit reached, stopping in round " + round);
                            break rounds;
                        }
                        for (Config c : configs) {
                            Measurement m = runTest(round, c, s, w);
                            if (m != null) {
                                all.add(m);
                            }
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            out.println("benchmark aborted: " + e);
            failures++;
        } finally {
            tearDown();
        }
        if (all.isEmpty()) {
            return 1;
        }
        report(all, Duration.ofNanos(System.nanoTime() - start));
        return failures == 0 ? 0 : 3;
    }

    private void startServers(Route r) {
        String key = r.server().name() + "@" + r.serverIp();
        servers.computeIfAbsent(key, k -> Servers.start(r.server(), r.serverIp()));
    }

    private Route route(Config c, Scope s) {
        return switch (c) {
            case HOST -> tb.hostNetwork(s);
            case OVERLAY -> tb.overlay(s);
            case XMASQ -> accelTb.overlay(s);
        };
    }

    private Measurement runTest(int round, Config c, Scope s, Workload w) {
        Route r = route(c, s);
        Servers srv = servers.get(r.server().name() + "@" + r.serverIp());
        int seconds = w.stream() ? streamSeconds : rrSeconds;
        for (int attempt = 1; attempt <= 2; attempt++) {
            Acceleration acc = c == Config.XMASQ ? acceleration : null;
            Map<String, Long> countersBefore = acc != null ? acc.counters() : Map.of();
            long sysBefore = CpuClock.systemBusyTicks();
            long srvBefore = srv.cpuTicks();
            ClientRun.Result res;
            try {
                res = ClientRun.run(w, r, seconds);
            } catch (RuntimeException e) {
                out.printf("[round %d] %-7s %-10s %-12s attempt %d failed: %s%n", round, c.label(), s.label(),
                        w.label(), attempt, e.getMessage());
                sleep(1000);
                continue;
            }
            double sysCpu = (CpuClock.systemBusyTicks() - sysBefore) / CpuClock.TICKS_PER_SECOND;
            double procCpu = res.clientCpuSeconds() + (srv.cpuTicks() - srvBefore) / CpuClock.TICKS_PER_SECOND;
            Map<Metric, Double> v = new EnumMap<>(res.metrics());
            if (w.stream()) {
                double mb = res.work() / 1e6;
                v.put(Metric.CPU_US_PER_MB, procCpu * 1e6 / mb);
                v.put(Metric.SYS_CPU_US_PER_MB, sysCpu * 1e6 / mb);
            } else {
                v.put(Metric.CPU_US_PER_TX, procCpu * 1e6 / res.work());
                v.put(Metric.SYS_CPU_US_PER_TX, sysCpu * 1e6 / res.work());
            }
            String extra = "";
            if (acc != null) {
                Map<String, Long> after = acc.counters();
                long hits = Acceleration.sum(after, "HIT_") - Acceleration.sum(countersBefore, "HIT_");
                long misses = Acceleration.sum(after, "MISS_") - Acceleration.sum(countersBefore, "MISS_");
                after.forEach((k, n) -> xmasqTotals.merge(k, n - countersBefore.getOrDefault(k, 0L), Long::sum));
                v.put(Metric.XMASQ_MISSES, (double) misses);
                if (w.stream()) {
                    v.put(Metric.XMASQ_HITS, (double) hits);
                } else {
                    v.put(Metric.XMASQ_HITS_PER_TX, hits / res.work());
                }
                extra = String.format(Locale.ROOT, "  [xmasq hits %d, misses %d]", hits, misses);
            }
            out.printf(Locale.ROOT, "[round %d] %-7s %-10s %-12s %s  cpu %.1f %s%s%n", round, c.label(), s.label(),
                    w.label(), headline(w, v), w.stream() ? v.get(Metric.CPU_US_PER_MB) : v.get(Metric.CPU_US_PER_TX),
                    w.stream() ? "us/MB" : "us/tx", extra);
            return new Measurement(round, c, s, w, v);
        }
        failures++;
        return null;
    }

    private static String headline(Workload w, Map<Metric, Double> v) {
        if (w.stream()) {
            return String.format(Locale.ROOT, "%7.2f Gbit/s%s", v.get(Metric.GBPS),
                    w.udp() ? String.format(Locale.ROOT, " (%.1f%% lost)", v.get(Metric.LOSS_PCT)) : "");
        }
        return String.format(Locale.ROOT, "%8.0f tx/s p50 %.1f us p99 %.1f us", v.get(Metric.RATE),
                v.get(Metric.P50_US), v.get(Metric.P99_US));
    }

    private void report(List<Measurement> all, Duration took) throws IOException {
        String title = String.format(Locale.ROOT, "XMasq network benchmark: testbeds %s%s, %d rounds, streams %d s, "
                + "req/resp %d s, %d s total", tb.prefix(), accelTb != null ? " + " + accelTb.prefix() : "", rounds,
                streamSeconds, rrSeconds, took.toSeconds());
        Report rep = new Report(all, title);
        String table = rep.table();
        StringBuilder text = new StringBuilder(table);
        if (!xmasqTotals.isEmpty()) {
            text.append("XMasq counters over all xmasq tests (both nodes):");
            xmasqTotals.forEach((k, n) -> {
                if (n != 0) {
                    text.append(' ').append(k).append('=').append(n);
                }
            });
            text.append('\n');
        }
        text.append("load average at the end: ").append(loadAverage()).append(" (2-core machine shared with other work: "
                + "absolute numbers are noisy, ratios within a round less so)\n");
        text.append("host network intra-host = two processes in node h1 over h1's own address (loopback); "
                + "CPU = client + server processes' user+system time (softirq work included: this kernel has no "
                + "IRQ time accounting); sys CPU = whole machine (/proc/stat), includes unrelated load\n");
        Path dir = outDir.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + tb.prefix());
        Files.createDirectories(dir);
        rep.writeRawCsv(dir.resolve("raw.csv"));
        rep.writeSummaryCsv(dir.resolve("summary.csv"));
        rep.writeSvg(dir.resolve("chart.svg"));
        Files.writeString(dir.resolve("table.txt"), text);
        out.println();
        out.print(text);
        out.println("results: " + dir.toAbsolutePath());
    }

    /** Stops servers and XMasq, deletes the testbed; idempotent, also run by the shutdown hook on Ctrl-C. */
    synchronized void tearDown() {
        if (tornDown) {
            return;
        }
        tornDown = true;
        if (acceleration != null) {
            try {
                acceleration.close();
            } catch (RuntimeException e) {
                out.println("xmasq down failed: " + e);
            }
            acceleration = null;
        }
        servers.values().forEach(Servers::close);
        for (Testbed t : new Testbed[] {tb, accelTb}) {
            if (t != null) {
                t.close();
                out.println("testbed " + t.prefix() + " torn down" + (Testbed.namespacesOf(t.prefix()).isEmpty()
                        ? "" : " (namespaces left: " + Testbed.namespacesOf(t.prefix()) + ")"));
            }
        }
    }

    private static String sysctl(String path) {
        try {
            // not Files.readString: it reads a sysctl file in pieces and gets only the first byte ("4" for 4194304)
            return String.join(" ", Files.readAllLines(Path.of("/proc/sys", path))).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
