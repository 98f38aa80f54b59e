package org.xmasq.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.xmasq.examples.testbed.TestbedException;

/** Throughput is what arrived (sum_received), not what was sent: a UDP sender can send far more than gets through. */
class IperfJsonIsReadFromTheReceiverSide {
    @Test
    void tcpThroughputAndBytesComeFromSumReceived() {
        String json = "{\"start\":{},\"end\":{\"sum_sent\":{\"bytes\":900,\"bits_per_second\":4e9},"
                + "\"sum_received\":{\"bytes\":800,\"bits_per_second\":3.5e9}}}";
        ClientRun.Result r = ClientRun.parseIperf(Workload.TCP_STREAM, json, 1.0);
        assertEquals(3.5, r.metrics().get(Metric.GBPS), 1e-12);
        assertEquals(800, r.work(), 0);
        assertFalse(r.metrics().containsKey(Metric.LOSS_PCT));
    }

    @Test
    void udpReportsLoss() {
        String json = "{\"end\":{\"sum\":{\"bits_per_second\":4.4e8,\"lost_percent\":44.8},"
                + "\"sum_received\":{\"bytes\":61551000,\"bits_per_second\":2.4e8,\"lost_percent\":44.8}}}";
        ClientRun.Result r = ClientRun.parseIperf(Workload.UDP_STREAM, json, 1.0);
        assertEquals(0.24, r.metrics().get(Metric.GBPS), 1e-12);
        assertEquals(44.8, r.metrics().get(Metric.LOSS_PCT), 1e-12);
    }

    @Test
    void anIperfErrorIsAFailure() {
        assertThrows(TestbedException.class, () -> ClientRun.parseIperf(Workload.TCP_STREAM,
                "{\"start\":{},\"end\":{},\"error\":\"the server is busy running a test. try again later\"}", 0));
    }
}
