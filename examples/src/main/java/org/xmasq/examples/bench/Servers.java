package org.xmasq.examples.bench;

import java.util.ArrayList;
import java.util.List;
import org.xmasq.examples.testbed.Netns;
import org.xmasq.examples.testbed.TestbedException;

/**
 * The servers of one namespace: iperf3 and two sockperf servers (UDP, TCP) bound to one address. They run for the
 * whole benchmark; each is a process we started (nsenter exec()s, so its pid is the tool's) and is stopped by pid.
 */
final class Servers implements AutoCloseable {
    static final int IPERF_PORT = 5201;
    static final int SOCKPERF_UDP_PORT = 11111;
    static final int SOCKPERF_TCP_PORT = 11112;

    private final Netns netns;
    private final String ip;
    private final List<Process> processes = new ArrayList<>();

    private Servers(Netns netns, String ip) {
        this.netns = netns;
        this.ip = ip;
    }

    static Servers start(Netns netns, String ip) {
        Servers s = new Servers(netns, ip);
        try {
            // --idle-timeout: a server left mid-test by a killed client recovers by itself.
            s.processes.add(netns.start(List.of("iperf3", "-s", "-B", ip, "-p", String.valueOf(IPERF_PORT),
                    "--idle-timeout", "30")));
            s.processes.add(netns.start(List.of("sockperf", "server", "-i", ip, "-p",
                    String.valueOf(SOCKPERF_UDP_PORT))));
            s.processes.add(netns.start(List.of("sockperf", "server", "--tcp", "-i", ip, "-p",
                    String.valueOf(SOCKPERF_TCP_PORT))));
            Thread.sleep(300);
            for (Process p : s.processes) {
                if (!p.isAlive()) {
                    throw new TestbedException("a server in " + netns.name() + " exited at start with "
                            + p.exitValue());
                }
            }
            return s;
        } catch (InterruptedException e) {
            s.close();
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted", e);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    Netns netns() {
        return netns;
    }

    String ip() {
        return ip;
    }

    /** CPU ticks used so far by these servers. */
    long cpuTicks() {
        long t = 0;
        for (Process p : processes) {
            t += CpuClock.processTicks(p.pid());
        }
        return t;
    }

    boolean alive() {
        return processes.stream().allMatch(Process::isAlive);
    }

    @Override
    public void close() {
        processes.forEach(Netns::stop);
    }
}
