package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C1_R;
import static org.xmasq.datapath.Topology.C2;
import static org.xmasq.datapath.Topology.C2_MAC;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;
import static org.xmasq.datapath.Topology.PAYLOAD;
import static org.xmasq.datapath.Topology.R;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.net.Ipv4Address;

/**
 * Invariant 1: the egress fast path serves a packet only when its source IPv4 is the one registered for the veth
 * it runs on. Anything else is passed untouched, unmarked (the learners never see it as a miss) and counted.
 */
class AContainerCannotSpoofItsWayOntoTheFastPath extends KernelTest {
    @BeforeEach
    void cacheEverything() {
        dp.cacheInterHostFlow(C1_R);
        // The flows a spoofer would like to ride: C2's to R, and C1 <-> C2 on this host.
        dp.filter.put(FlowKey.udp(C2, Topology.C1_PORT, Topology.R, Topology.R_PORT), FilterEntry.BOTH);
        dp.filter.put(Topology.C1_C2, FilterEntry.BOTH);
    }

    private static void assertRejected(Verdict v, byte[] sent) {
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(sent, v.frame(), "passed untouched");
        assertEquals(0, v.mark(), "not marked: the learners must not learn from it");
        assertEquals(Map.of(Stat.SPOOF_REJECTED, 1L), dp.counts());
    }

    @Test
    void theRightSourceOnItsOwnVethIsServed() {
        // The control: without it the tests below could pass on a datapath that never redirects.
        assertEquals(Verdict.TC_ACT_REDIRECT, dp.egress(Topology.c1ToR(), dp.veth1).retval());
    }

    @Test
    void anotherLocalContainersAddressIsRejected() {
        byte[] spoofed = Topology.udp(GATEWAY_MAC, C1_MAC, C2, R, Topology.C1_PORT, Topology.R_PORT, 64, PAYLOAD);
        assertRejected(dp.egress(spoofed, dp.veth1), spoofed);
    }

    @Test
    void anUnregisteredAddressIsRejected() {
        byte[] spoofed = Topology.udp(GATEWAY_MAC, C1_MAC, Ipv4Address.parse("10.244.1.99"), R, Topology.C1_PORT,
                Topology.R_PORT, 64, PAYLOAD);
        assertRejected(dp.egress(spoofed, dp.veth1), spoofed);
    }

    @Test
    void aRegisteredAddressFromAnotherVethIsRejected() {
        byte[] frame = Topology.c1ToR();
        assertRejected(dp.egress(frame, dp.vethOther), frame);
    }

    @Test
    void theIntraHostPathIsGuardedToo() {
        byte[] spoofed = Topology.udp(C1_MAC, C2_MAC, C2, C1, 7000, Topology.C1_PORT, 64, PAYLOAD);
        assertRejected(dp.egress(spoofed, dp.veth1), spoofed);
    }

    @Test
    void theRemoteHostsAddressIsRejected() {
        byte[] spoofed = Topology.udp(GATEWAY_MAC, C1_MAC, Topology.REMOTE_HOST, C1, 1, 2, 64, PAYLOAD);
        assertRejected(dp.egress(spoofed, dp.veth1), spoofed);
    }
}
