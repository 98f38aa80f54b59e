package org.xmasq.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The client's CPU is the second line of bash's times (its children), user plus system, minutes included. */
class BashTimesGivesTheChildrensCpu {
    @Test
    void theSecondLineCounts() {
        String stderr = "sockperf: Test ended\n0m0.015s 0m0.010s\n1m1.142s 0m0.545s\n";
        assertEquals(61.142 + 0.545, CpuClock.childSecondsFromTimes(stderr), 1e-9);
    }

    @Test
    void withoutTimesOutputTheCpuIsUnknown() {
        assertTrue(Double.isNaN(CpuClock.childSecondsFromTimes("iperf3: error - unable to connect\n")));
    }

    @Test
    void aLiveProcessHasCpuTicksAndTheMachineHasBusyTime() {
        long self = ProcessHandle.current().pid();
        long spin = System.nanoTime();
        while (System.nanoTime() - spin < 100_000_000L) {
            Math.sqrt(spin);
        }
        assertTrue(CpuClock.processTicks(self) > 0);
        assertTrue(CpuClock.systemBusyTicks() > 0);
    }
}
