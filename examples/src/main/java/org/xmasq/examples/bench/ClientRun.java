package org.xmasq.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xmasq.examples.json.Json;
import org.xmasq.examples.testbed.CommandResult;
import org.xmasq.examples.testbed.Route;
import org.xmasq.examples.testbed.TestbedException;

/**
 * One client run of iperf3 or sockperf against the servers of a {@link Route}, with the CPU the client used (bash's
 * {@code times} after the tool exits) and what it printed, parsed.
 */
final class ClientRun {
    /** UDP payload that fits the overlay MTU (1450 - 20 - 8) with room to spare: no fragments in any config. */
    static final int UDP_PAYLOAD = 1380;
    static final int RR_MESSAGE = 64;
    /**
     * Socket buffers of the UDP stream (iperf3 -w, both ends): with the default ~200 KiB a receiver that is not
     * scheduled for a millisecond on a busy 2-core machine drops datagrams at its socket (UdpRcvbufErrors), and the
     * received rate then measures scheduling luck rather than the path. Capped by net.core.rmem_max/wmem_max.
     */
    static final int UDP_SOCKET_BUFFER = 4 << 20;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
    private static final Pattern TOTAL = Pattern.compile(
            "\\[Total Run\\] RunTime=([\\d.]+) sec; Warm up time=(\\d+) msec; SentMessages=(\\d+); "
                    + "ReceivedMessages=(\\d+)");
    private static final Pattern VALID = Pattern.compile(
            "\\[Valid Duration\\] RunTime=([\\d.]+) sec; SentMessages=(\\d+); ReceivedMessages=(\\d+)");
    private static final Pattern P50 = Pattern.compile("percentile 50\\.000 =\\s*([\\d.]+)");
    private static final Pattern P99 = Pattern.compile("percentile 99\\.000 =\\s*([\\d.]+)");

    /** Parsed numbers: the work done (bytes or transactions) and the workload's own metrics. */
    record Result(double work, Map<Metric, Double> metrics, double clientCpuSeconds) {
    }

    private ClientRun() {
    }

    static List<String> command(Workload w, String ip, int seconds) {
        List<String> tool = switch (w) {
            case TCP_STREAM -> List.of("iperf3", "-c", ip, "-p", String.valueOf(Servers.IPERF_PORT), "-t",
                    String.valueOf(seconds), "-J", "--connect-timeout", "3000");
            case UDP_STREAM -> List.of("iperf3", "-c", ip, "-p", String.valueOf(Servers.IPERF_PORT), "-u", "-b", "0",
                    "-l", String.valueOf(UDP_PAYLOAD), "-w", String.valueOf(UDP_SOCKET_BUFFER), "-t",
                    String.valueOf(seconds), "-J", "--connect-timeout", "3000");
            case UDP_RR -> List.of("sockperf", "ping-pong", "-i", ip, "-p", String.valueOf(Servers.SOCKPERF_UDP_PORT),
                    "-t", String.valueOf(seconds), "-m", String.valueOf(RR_MESSAGE), "--full-rtt");
            case TCP_RR -> List.of("sockperf", "ping-pong", "--tcp", "-i", ip, "-p",
                    String.valueOf(Servers.SOCKPERF_TCP_PORT), "-t", String.valueOf(seconds), "-m",
                    String.valueOf(RR_MESSAGE), "--full-rtt");
        };
        // bash runs the tool as its child and then reports its children's CPU time on stderr.
        List<String> all = new ArrayList<>(List.of("bash", "-c", "\"$@\"; rc=$?; times >&2; exit $rc", "client"));
        all.addAll(tool);
        return all;
    }

    /** Runs the client in the route's client namespace, bounded by the test duration plus a margin. */
    static Result run(Workload w, Route route, int seconds) {
        String[] cmd = command(w, route.serverIp(), seconds).toArray(String[]::new);
        CommandResult r = route.client().run(Duration.ofSeconds(seconds + 20L), cmd);
        if (!r.ok()) {
            throw new TestbedException(w.label() + " to " + route.serverIp() + " failed (" + r.exitCode() + "): "
                    + tail(r.stdout() + r.stderr()));
        }
        double cpu = CpuClock.childSecondsFromTimes(r.stderr());
        return w.stream() ? parseIperf(w, r.stdout(), cpu) : parseSockperf(r.stdout() + "\n" + r.stderr(), cpu);
    }

    static Result parseIperf(Workload w, String json, double cpu) {
        Object root = Json.parse(json);
        Object err = Json.at(root, "error");
        if (err != null) {
            throw new TestbedException("iperf3: " + err);
        }
        double bps = Json.number(root, "end", "sum_received", "bits_per_second");
        double bytes = Json.number(root, "end", "sum_received", "bytes");
        Map<Metric, Double> m = new java.util.EnumMap<>(Metric.class);
        m.put(Metric.GBPS, bps / 1e9);
        if (w.udp()) {
            Object lost = Json.at(root, "end", "sum_received", "lost_percent");
            m.put(Metric.LOSS_PCT, lost instanceof Number n ? n.doubleValue() : Json.number(root, "end", "sum", "lost_percent"));
        }
        return new Result(bytes, m, cpu);
    }

    static Result parseSockperf(String text, double cpu) {
        String t = ANSI.matcher(text).replaceAll("");
        Matcher total = find(TOTAL, t);
        Matcher valid = find(VALID, t);
        double validSeconds = Double.parseDouble(valid.group(1));
        double validReceived = Double.parseDouble(valid.group(3));
        Map<Metric, Double> m = new java.util.EnumMap<>(Metric.class);
        m.put(Metric.RATE, validReceived / validSeconds);
        m.put(Metric.P50_US, Double.parseDouble(find(P50, t).group(1)));
        m.put(Metric.P99_US, Double.parseDouble(find(P99, t).group(1)));
        // CPU covers the whole run, warm-up included: divide by every round trip of the whole run.
        return new Result(Double.parseDouble(total.group(4)), m, cpu);
    }

    private static Matcher find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new TestbedException("sockperf printed no " + p.pattern() + ": " + tail(text));
        }
        return m;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 600 ? "..." + t.substring(t.length() - 600) : t;
    }
}
