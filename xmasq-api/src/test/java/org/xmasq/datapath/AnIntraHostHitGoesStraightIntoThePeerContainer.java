package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_C2;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C2;
import static org.xmasq.datapath.Topology.C2_MAC;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.net.MacAddress;

/**
 * Intra-host hit path: between two containers of this host the egress fast path hands the frame to the peer
 * (bpf_redirect_peer; PROG_TEST_RUN reports TC_ACT_REDIRECT without delivering) as the overlay would have delivered
 * it: unchanged when the sender addressed the peer's MAC (bridged), from the gateway's MAC with one TTL less when it
 * addressed the gateway (routed). Frames the slow path would flood or whose MACs are not learned yet are misses.
 */
class AnIntraHostHitGoesStraightIntoThePeerContainer extends KernelTest {
    private static final int MISS = DatapathConfig.DEFAULTS.markMiss();

    @BeforeEach
    void cacheTheFlow() {
        dp.registerContainersLearned();
        dp.filter.put(C1_C2, FilterEntry.BOTH);
    }

    private static void assertMiss(byte[] frame, Stat reason) {
        Verdict v = dp.egress(frame, dp.veth1);
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(frame, v.frame());
        assertEquals(MISS, v.mark());
        assertEquals(Map.of(reason, 1L), dp.counts());
    }

    @Test
    void aBridgedFrameIsRedirectedAsItIs() {
        byte[] frame = Topology.c1ToC2Bridged();
        Verdict v = dp.egress(frame, dp.veth1);
        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval(), v.toString());
        assertArrayEquals(frame, v.frame());
        assertEquals(0, v.mark());
        assertEquals(Map.of(Stat.HIT_EGRESS_INTRA_HOST, 1L), dp.counts());
    }

    @Test
    void aRoutedFrameIsDeliveredFromTheGatewayOneHopLater() {
        Verdict v = dp.egress(Topology.c1ToC2Routed(), dp.veth1);
        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval(), v.toString());
        assertArrayEquals(Topology.c1ToC2RoutedDelivered(), v.frame());
        assertEquals(Map.of(Stat.HIT_EGRESS_INTRA_HOST, 1L), dp.counts());
    }

    @Test
    void theDestinationsOwnGatewayMacIsTheSourceOfARoutedDelivery() {
        MacAddress otherGateway = MacAddress.parse("02:42:0a:f4:09:01");
        dp.endpoints.put(C2, new Endpoint(dp.veth2, C2_MAC, otherGateway, Endpoint.MACS_KNOWN));
        Verdict v = dp.egress(Topology.c1ToC2Routed(), dp.veth1);
        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval());
        assertArrayEquals(Topology.udp(C2_MAC, otherGateway, C1, C2, Topology.C1_PORT, 7000, 63, Topology.PAYLOAD),
                v.frame());
    }

    @Test
    void aFrameToAnyOtherMacIsLeftToTheBridge() {
        assertMiss(Topology.udp(MacAddress.parse("02:42:0a:f4:01:77"), C1_MAC, C1, C2, Topology.C1_PORT, 7000, 64,
                Topology.PAYLOAD), Stat.MISS_UNEXPECTED_DST_MAC);
    }

    @Test
    void anUnlearnedDestinationMacIsAMiss() {
        dp.endpoints.put(C2, new Endpoint(dp.veth2, MacAddress.ZERO, GATEWAY_MAC, Endpoint.GATEWAY_MAC_KNOWN));
        assertMiss(Topology.c1ToC2Bridged(), Stat.MISS_MACS_NOT_LEARNED);
    }

    @Test
    void aRoutedFrameNeedsTheDestinationsGatewayMac() {
        dp.endpoints.put(C2, Endpoint.registered(dp.veth2, C2_MAC));
        assertMiss(Topology.c1ToC2Routed(), Stat.MISS_MACS_NOT_LEARNED);
    }

    @Test
    void aRoutedFrameIsRecognisedOnlyByTheSendersLearnedGatewayMac() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1, C1_MAC));
        assertMiss(Topology.c1ToC2Routed(), Stat.MISS_UNEXPECTED_DST_MAC);
    }

    @Test
    void withTheIntraHostPathDisabledTheFrameIsPassedUnmarked() {
        try (KernelDatapath off = KernelDatapath.start(DatapathConfig.DEFAULTS.withIntraHost(false))) {
            off.registerContainersLearned();
            off.filter.put(C1_C2, FilterEntry.BOTH);
            byte[] frame = Topology.c1ToC2Bridged();
            Verdict v = off.egress(frame, off.veth1);
            assertEquals(Verdict.TC_ACT_OK, v.retval());
            assertArrayEquals(frame, v.frame());
            assertEquals(0, v.mark());
            assertEquals(Map.of(Stat.PASS_INTRA_HOST_DISABLED, 1L), off.counts());
        }
    }
}
