package org.xmasq.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.examples.testbed.Scope;

/**
 * A configuration's number is the median of its rounds; a ratio is the median of the per-round ratios to the host
 * network (rounds pair the configurations measured back to back).
 */
class MediansAndRatiosComeFromEveryRound {
    private static Measurement m(int round, Config c, double rate) {
        return new Measurement(round, c, Scope.INTER_HOST, Workload.TCP_RR, Map.of(Metric.RATE, rate,
                Metric.XMASQ_MISSES, 1.0));
    }

    private final Report report = new Report(List.of(
            m(1, Config.HOST, 100), m(2, Config.HOST, 300), m(3, Config.HOST, 200),
            m(1, Config.OVERLAY, 50), m(2, Config.OVERLAY, 70),
            m(1, Config.XMASQ, 90), m(2, Config.XMASQ, 120), m(3, Config.XMASQ, 180)), "t");

    @Test
    void anOddNumberOfRoundsTakesTheMiddle() {
        assertEquals(200, report.median(Config.HOST, Scope.INTER_HOST, Workload.TCP_RR, Metric.RATE));
    }

    @Test
    void anEvenNumberOfRoundsAveragesTheTwoMiddles() {
        assertEquals(60, report.median(Config.OVERLAY, Scope.INTER_HOST, Workload.TCP_RR, Metric.RATE));
    }

    @Test
    void ratiosAreMediansOfEachRoundsRatioToTheHostNetwork() {
        // rounds: 90/100, 120/300, 180/200 -> 0.9, 0.4, 0.9; the ratio of the medians (120/200) would say 0.6
        assertEquals(0.9, report.ratio(Config.XMASQ, Config.HOST, Scope.INTER_HOST, Workload.TCP_RR, Metric.RATE),
                1e-12);
        // a round without the base configuration does not count: overlay rounds 1 and 2 -> 0.5, 70/300
        assertEquals((0.5 + 70.0 / 300) / 2,
                report.ratio(Config.OVERLAY, Config.HOST, Scope.INTER_HOST, Workload.TCP_RR, Metric.RATE), 1e-12);
    }

    @Test
    void xmasqCountersHaveNoRatioAndMissingNumbersAreNaN() {
        assertTrue(Double.isNaN(report.ratio(Config.XMASQ, Config.HOST, Scope.INTER_HOST, Workload.TCP_RR,
                Metric.XMASQ_MISSES)));
        assertTrue(Double.isNaN(report.median(Config.HOST, Scope.INTRA_HOST, Workload.TCP_RR, Metric.RATE)));
    }

    @Test
    void theTableShowsMediansAndRatios() {
        String table = report.table();
        assertTrue(table.lines().anyMatch(l -> l.startsWith("inter-host  TCP req/resp  tx/s")
                && l.contains(" 200.0 ") && l.contains(" 60.0 ") && l.contains(" 120.0 ") && l.contains(" 0.37 ")
                && l.contains(" 0.90 ") && l.contains(" 1.76")),
                table);
    }

    @Test
    void theTableHasRowsOnlyForWhatTheRunMeasured() {
        String table = report.table();
        assertTrue(table.lines().noneMatch(l -> l.startsWith("intra-host") || l.contains("TCP stream")), table);
    }

    @Test
    void aRunSelectsWorkloadsAndScopesByTheirCommandLineNames() {
        assertEquals(List.of(Workload.TCP_STREAM, Workload.UDP_RR),
                NetBench.select("udp-rr,tcp-stream", Workload.values(), Workload::option));
        assertEquals(List.of(Scope.INTRA_HOST), NetBench.select("intra-host", Scope.values(), Scope::label));
        var e = assertThrows(IllegalArgumentException.class,
                () -> NetBench.select("tcp-stream,tcp_rr", Workload.values(), Workload::option));
        assertTrue(e.getMessage().contains("tcp_rr"), e.getMessage());
    }
}
