package org.xmasq.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.xmasq.examples.testbed.TestbedException;

/** The rate comes from the valid (post warm-up) part, CPU is divided by every round trip of the whole run. */
class SockperfOutputIsReadIntoRateAndPercentiles {
    static final String OUTPUT = String.join("\n",
            "sockperf: [Total Run] RunTime=2.001 sec; Warm up time=400 msec; SentMessages=25700; ReceivedMessages=25699",
            "sockperf: ========= Printing statistics for Server No: 0",
            "sockperf: [Valid Duration] RunTime=1.552 sec; SentMessages=19072; ReceivedMessages=19072",
            "sockperf: \u001B[2;35m====> avg-rtt=81.315 (std-dev=402.830)\u001B[0m",
            "sockperf: ---> percentile 99.990 = 8402.647",
            "sockperf: ---> percentile 99.000 = 1706.835",
            "sockperf: ---> percentile 90.000 =   49.824",
            "sockperf: ---> percentile 50.000 =   37.260",
            "sockperf: ---> <MIN> observation =   25.468");

    @Test
    void rateIsValidRoundTripsOverValidTime() {
        ClientRun.Result r = ClientRun.parseSockperf(OUTPUT, 0.5);
        assertEquals(19072 / 1.552, r.metrics().get(Metric.RATE), 1e-6);
    }

    @Test
    void percentilesAreTheFiftiethAndNinetyNinth() {
        ClientRun.Result r = ClientRun.parseSockperf(OUTPUT, 0.5);
        assertEquals(37.260, r.metrics().get(Metric.P50_US), 1e-9);
        assertEquals(1706.835, r.metrics().get(Metric.P99_US), 1e-9);
    }

    @Test
    void workIsEveryRoundTripOfTheRun() {
        assertEquals(25699, ClientRun.parseSockperf(OUTPUT, 0.5).work(), 0);
    }

    @Test
    void outputWithoutStatisticsIsAnError() {
        assertThrows(TestbedException.class, () -> ClientRun.parseSockperf("sockperf: ERROR: connect", 0));
    }
}
