package org.xmasq.examples.bench;

/** What one test does between a client and a server. */
public enum Workload {
    TCP_STREAM("TCP stream", true),
    UDP_STREAM("UDP stream", true),
    TCP_RR("TCP req/resp", false),
    UDP_RR("UDP req/resp", false);

    private final String label;
    private final boolean stream;

    Workload(String label, boolean stream) {
        this.label = label;
        this.stream = stream;
    }

    public String label() {
        return label;
    }

    /** Throughput (iperf3) rather than request/response (sockperf ping-pong). */
    public boolean stream() {
        return stream;
    }

    /** The name on the command line ({@code --workloads tcp-stream,...}). */
    public String option() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public boolean udp() {
        return this == UDP_STREAM || this == UDP_RR;
    }
}
