package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C1_PORT;
import static org.xmasq.datapath.Topology.C1_R;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;
import static org.xmasq.datapath.Topology.R;
import static org.xmasq.datapath.Topology.REMOTE_VTEP_MAC;
import static org.xmasq.datapath.Topology.R_PORT;
import static org.xmasq.datapath.Topology.VTEP_MAC;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmasq.testing.Frames;

/**
 * Invariant 6: what the ingress fast path redirects into a container is byte for byte what the slow path (VXLAN
 * device, routing by the gateway, the bridge) delivers there: the inner packet, from the gateway's MAC to the
 * container's MAC, routed once more on this host (TTL - 1, checksum updated), DSCP and ECN untouched.
 * Decapsulation asks bpf_skb_adjust_room for FIXED_GSO (gso_size kept) and NO_CSUM_RESET.
 *
 * <p>The slow-path delivery is modelled as the frame the ingress learner sees at the container's veth (the
 * namespace-level comparison against a real overlay is the network tests' job); the learning round trip below
 * ties the two together: the fast path reproduces exactly the frame the learner learned from.
 */
class DecapsulatedPacketsAreWhatTheSlowPathDelivers extends KernelTest {
    private static final long FIXED_GSO = 1L;
    private static final long NO_CSUM_RESET = 1L << 5;
    private static final int MISS_REMOTE = DatapathConfig.DEFAULTS.markMiss() | DatapathConfig.DEFAULTS.markRemote();

    @BeforeEach
    void cacheEverything() {
        dp.cacheInterHostFlow(C1_R);
    }

    /** R -> C1 UDP with the inner IPv4 header shaped by {@code ip}: as it arrives, and as the slow path delivers. */
    private static byte[][] arrivingAndDelivered(UnaryOperator<Frames.Ipv4> ip, int ttl, byte[] payload) {
        String r = R.toString();
        String c1 = C1.toString();
        byte[] udp = Frames.udp(r, c1, R_PORT, C1_PORT, payload, true);
        byte[] inner = Frames.ethernet(VTEP_MAC.toString(), REMOTE_VTEP_MAC.toString(), 0x0800,
                ip.apply(new Frames.Ipv4(r, c1, Frames.IPPROTO_UDP)).ttl(ttl).build(udp));
        byte[] delivered = Frames.ethernet(C1_MAC.toString(), GATEWAY_MAC.toString(), 0x0800,
                ip.apply(new Frames.Ipv4(r, c1, Frames.IPPROTO_UDP)).ttl(ttl - 1).build(udp));
        return new byte[][] {Topology.fromRemoteAround(inner), delivered};
    }

    private static void assertDelivers(byte[] arriving, byte[] delivered) {
        Verdict v = dp.ingress(arriving);
        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval(), v.toString());
        assertArrayEquals(delivered, v.frame());
        assertEquals(0, v.mark());
    }

    @Test
    void theDeliveredFrameIsTheSlowPathsFrame() {
        assertDelivers(Topology.rToC1OnTheWire(), Topology.rToC1Delivered());
        assertEquals(Map.of(Stat.HIT_INGRESS, 1L), dp.counts());
    }

    @ParameterizedTest(name = "payload {0}, tos 0x{1}, ttl {2}")
    @CsvSource({"0, 00, 64", "1, 03, 2", "333, b8, 255", "1400, 01, 63"})
    void sizesTtlsDscpAndEcnComeThroughAsTheSlowPathGivesThem(int payload, String tos, int ttl) {
        byte[][] f = arrivingAndDelivered(ip -> ip.tos(Integer.parseInt(tos, 16)), ttl, new byte[payload]);
        assertDelivers(f[0], f[1]);
    }

    @Test
    void aTcpSegmentComesThroughToo() {
        dp.filter.put(FlowKey.tcp(C1, 8080, R, 51234), FilterEntry.BOTH);
        byte[] inner = Topology.tcp(VTEP_MAC, REMOTE_VTEP_MAC, R, C1, 51234, 8080, 63, Topology.PAYLOAD);
        byte[] delivered = Topology.tcp(C1_MAC, GATEWAY_MAC, R, C1, 51234, 8080, 62, Topology.PAYLOAD);
        assertDelivers(Topology.fromRemoteAround(inner), delivered);
    }

    @Test
    void theTtlDecrementKeepsTheChecksumExactEvenAtTheWrap() {
        // The TTL word grows by 0x0100, so the checksum shrinks by it; a checksum of 0xfeff is where the
        // incremental update wraps (RFC 1624). Run that id and a spread of others against a full recomputation.
        boolean wrapped = false;
        for (int id = 0; id < 0x10000; id++) {
            final int i = id;
            byte[][] f = arrivingAndDelivered(ip -> ip.id(i), 63, new byte[4]);
            int check = Frames.u16(f[0], TunnelHeader.ENCAP_LEN + Frames.ETH_HLEN + 10);
            if (check == 0xfeff || check == 0xff00 || check == 0x00ff || check == 0 || id % 4093 == 0) {
                assertDelivers(f[0], f[1]);
                wrapped |= check == 0xfeff;
            }
        }
        assertTrue(wrapped, "no id reached the wrap");
    }

    @Test
    void learningFromTheSlowPathsDeliveryMakesTheFastPathDeliverTheSame() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        Verdict miss = dp.ingress(Topology.rToC1OnTheWire());
        assertEquals(Verdict.TC_ACT_OK, miss.retval());
        assertEquals(MISS_REMOTE, miss.mark());

        // The overlay decapsulates, routes and delivers; the ingress learner sees the delivery with the marks.
        byte[] delivered = Topology.rToC1Delivered();
        Verdict learned = dp.ingressLearner(delivered, miss.mark(), dp.veth1);
        assertEquals(Verdict.TC_ACT_OK, learned.retval());
        assertArrayEquals(delivered, learned.frame());

        assertDelivers(Topology.rToC1OnTheWire(), delivered);
    }

    @Test
    void theProgramAsksForFixedGsoAndNoChecksumReset() {
        assertEquals(List.of(FIXED_GSO | NO_CSUM_RESET),
                Xlated.adjustRoomFlags(Xlated.dump(dp.program(DatapathObject.INGRESS_FAST_PATH))));
    }
}
