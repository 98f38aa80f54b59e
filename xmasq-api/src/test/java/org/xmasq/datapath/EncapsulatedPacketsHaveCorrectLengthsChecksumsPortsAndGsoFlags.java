package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C1_R;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;
import static org.xmasq.datapath.Topology.R;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmasq.testing.Frames;

/**
 * Invariant 5: what the egress fast path puts on the wire is a correct VXLAN packet: outer IPv4 total length and
 * header checksum right, UDP length right and UDP checksum zero, the UDP source port in the kernel's VXLAN range and
 * stable for a flow, the inner packet intact but for its routed TTL, ECN carried to the outer header, and
 * bpf_skb_adjust_room called with FIXED_GSO and the ENCAP flags.
 *
 * <p>PROG_TEST_RUN builds its skb with gso_type 0, and bpf_skb_adjust_room refuses to grow a GSO skb of no known
 * type, so GSO encapsulation itself cannot run here (a network test must show it). What is shown: such a refusal
 * leaves the packet unchanged and marked, a GSO packet whose segments would not fit the NIC is a miss, and the
 * flags constant the kernel translated into the program's bpf_skb_adjust_room call is exactly FIXED_GSO |
 * ENCAP_L3_IPV4 | ENCAP_L4_UDP | ENCAP_L2_ETH | ENCAP_L2(14).
 */
class EncapsulatedPacketsHaveCorrectLengthsChecksumsPortsAndGsoFlags extends KernelTest {
    static final long FIXED_GSO = 1L;
    static final long ENCAP_L3_IPV4 = 1L << 1;
    static final long ENCAP_L4_UDP = 1L << 4;
    static final long ENCAP_L2_ETH = 1L << 6;
    static final long ENCAP_L2_14 = 14L << 56;
    static final long NO_CSUM_RESET = 1L << 5;

    @BeforeEach
    void cacheEverything() {
        dp.cacheInterHostFlow(C1_R);
    }

    private static byte[] udpFromC1(int sport, int payload, int tos) {
        String c1 = C1.toString();
        String r = R.toString();
        return Frames.ethernet(GATEWAY_MAC.toString(), C1_MAC.toString(), 0x0800,
                new Frames.Ipv4(c1, r, Frames.IPPROTO_UDP).tos(tos).build(
                        Frames.udp(c1, r, sport, Topology.R_PORT, new byte[payload], true)));
    }

    private static Verdict encapsulate(byte[] frame) {
        Verdict v = dp.egress(frame, dp.veth1);
        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval(), v.toString());
        return v;
    }

    private static int sport(Verdict v) {
        return Frames.u16(v.frame(), TunnelHeader.UDP_SRC_PORT);
    }

    @ParameterizedTest(name = "{0} payload {1}")
    @CsvSource({"udp, 0", "udp, 1", "udp, 100", "udp, 1001", "udp, 1400", "tcp, 0", "tcp, 7", "tcp, 1380"})
    void lengthsAndChecksumsAreRight(String protocol, int payload) {
        byte[] in = protocol.equals("udp") ? udpFromC1(Topology.C1_PORT, payload, 0)
                : Topology.tcp(GATEWAY_MAC, C1_MAC, C1, R, Topology.C1_PORT, 443, 64, new byte[payload]);
        if (protocol.equals("tcp")) {
            dp.filter.put(FlowKey.tcp(C1, Topology.C1_PORT, R, 443), FilterEntry.BOTH);
        }
        byte[] out = encapsulate(in).frame();

        assertEquals(in.length + TunnelHeader.ENCAP_LEN, out.length);
        assertEquals(out.length - Frames.ETH_HLEN, Frames.u16(out, TunnelHeader.OUTER_TOTAL_LENGTH));
        assertEquals(0, Frames.checksum(out, TunnelHeader.OUTER_IPV4, 20, 0), "outer IPv4 checksum");
        assertEquals(out.length - TunnelHeader.UDP, Frames.u16(out, TunnelHeader.UDP_LENGTH));
        assertEquals(0, Frames.u16(out, TunnelHeader.UDP_CHECKSUM), "UDP checksum");
        assertEquals(Topology.VXLAN_PORT, Frames.u16(out, TunnelHeader.UDP_DST_PORT));
        assertEquals(0x08, out[TunnelHeader.VXLAN]);
        assertEquals(Topology.VNI, (int) (Frames.u32(out, TunnelHeader.VXLAN + 4) >>> 8));
        // The inner packet: the container's, routed once.
        int inner = TunnelHeader.ENCAP_LEN + Frames.ETH_HLEN;
        byte[] expectedInner = Arrays.copyOfRange(in, Frames.ETH_HLEN, in.length);
        expectedInner[8]--;
        expectedInner[10] = 0;
        expectedInner[11] = 0;
        int check = Frames.checksum(expectedInner, 0, 20, 0);
        expectedInner[10] = (byte) (check >>> 8);
        expectedInner[11] = (byte) check;
        assertArrayEquals(expectedInner, Arrays.copyOfRange(out, inner, out.length));
    }

    @Test
    void theSourcePortIsInTheKernelsRangeAndStableForAFlow() {
        int first = sport(encapsulate(udpFromC1(Topology.C1_PORT, 10, 0)));
        assertTrue(first >= 32768 && first < 60999, "port " + first);
        for (int i = 0; i < 5; i++) {
            assertEquals(first, sport(encapsulate(udpFromC1(Topology.C1_PORT, 10 + 100 * i, 0))),
                    "same flow, same port, whatever the payload");
        }
    }

    @Test
    void flowsSpreadOverTheRange() {
        Set<Integer> ports = new HashSet<>();
        for (int p = 20000; p < 20064; p++) {
            dp.filter.put(FlowKey.udp(C1, p, R, Topology.R_PORT), FilterEntry.BOTH);
            int port = sport(encapsulate(udpFromC1(p, 10, 0)));
            assertTrue(port >= 32768 && port < 60999, "port " + port);
            ports.add(port);
        }
        assertTrue(ports.size() > 32, "64 flows on " + ports.size() + " ports");
    }

    @Test
    void theConfiguredRangeIsUsed() {
        try (KernelDatapath narrow = KernelDatapath.start(DatapathConfig.DEFAULTS.withSourcePortRange(40000, 40001));
             KernelDatapath empty = KernelDatapath.start(DatapathConfig.DEFAULTS.withSourcePortRange(50000, 50000))) {
            for (KernelDatapath d : List.of(narrow, empty)) {
                d.cacheInterHostFlow(C1_R);
                for (int p = 20000; p < 20016; p++) {
                    d.filter.put(FlowKey.udp(C1, p, R, Topology.R_PORT), FilterEntry.BOTH);
                    Verdict v = d.egress(udpFromC1(p, 10, 0), d.veth1);
                    assertEquals(Verdict.TC_ACT_REDIRECT, v.retval());
                    assertEquals(d == narrow ? 40000 : 50000, sport(v));
                }
            }
        }
    }

    @ParameterizedTest(name = "inner TOS 0x{0} -> outer 0x{1}")
    @CsvSource({"00, 00", "01, 01", "02, 02", "03, 02", "b8, 00", "bb, 02"})
    void ecnIsCarriedOutAndDscpIsNot(String innerTos, String outerTos) {
        byte[] in = udpFromC1(Topology.C1_PORT, 10, Integer.parseInt(innerTos, 16));
        byte[] out = encapsulate(in).frame();
        assertEquals(Integer.parseInt(outerTos, 16), out[TunnelHeader.OUTER_TOS] & 0xff);
        assertEquals(Integer.parseInt(innerTos, 16), out[TunnelHeader.ENCAP_LEN + 15] & 0xff, "inner TOS untouched");
        assertEquals(0, Frames.checksum(out, TunnelHeader.OUTER_IPV4, 20, 0), "outer IPv4 checksum");
    }

    @Test
    void theCachedDscpIsKept() {
        byte[] header = Topology.overlayHeader().bytes();
        header[TunnelHeader.OUTER_TOS] = (byte) 0xb8;
        dp.egressHeaders.put(Topology.REMOTE_HOST, new EgressHeader(TunnelHeader.fromBytes(header), dp.nic));
        byte[] out = encapsulate(udpFromC1(Topology.C1_PORT, 10, 0x03)).frame();
        assertEquals(0xba, out[TunnelHeader.OUTER_TOS] & 0xff);
    }

    @Test
    void withoutDfEachPacketGetsAFreshId() {
        byte[] header = Topology.overlayHeader().bytes();
        header[TunnelHeader.OUTER_FRAG_OFF] = 0;
        dp.egressHeaders.put(Topology.REMOTE_HOST, new EgressHeader(TunnelHeader.fromBytes(header), dp.nic));
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            byte[] out = encapsulate(Topology.c1ToR()).frame();
            ids.add(Frames.u16(out, TunnelHeader.OUTER_ID));
            assertEquals(0, Frames.u16(out, TunnelHeader.OUTER_FRAG_OFF));
            assertEquals(0, Frames.checksum(out, TunnelHeader.OUTER_IPV4, 20, 0), "outer IPv4 checksum");
        }
        assertTrue(ids.size() > 1, "ids " + ids);
    }

    @Test
    void withDfTheIdIsTheCachedZero() {
        byte[] out = encapsulate(Topology.c1ToR()).frame();
        assertEquals(0x4000, Frames.u16(out, TunnelHeader.OUTER_FRAG_OFF));
        assertEquals(0, Frames.u16(out, TunnelHeader.OUTER_ID));
    }

    @Test
    void aGsoPacketTheKernelRefusesToGrowPassesUnchangedAndMarked() {
        // PROG_TEST_RUN's skb has gso_type 0, which bpf_skb_adjust_room refuses for a GSO packet: the fast path
        // must then pass the packet as it was (nothing changed yet), marked so the overlay learns as usual.
        byte[] frame = Topology.c1ToR();
        Verdict v = dp.run(DatapathObject.EGRESS_FAST_PATH, frame, new Skb(0, dp.veth1, 1000));
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(frame, v.frame());
        assertEquals(DatapathConfig.DEFAULTS.markMiss(), v.mark());
        assertEquals(1000, v.skb().gsoSize());
        assertEquals(Map.of(Stat.REDIRECT_ERROR, 1L), dp.counts());
    }

    @Test
    void gsoSegmentsThatWouldNotFitTheNicAreAMiss() {
        byte[] frame = Topology.c1ToR();
        // 20 (IPv4) + 8 (UDP) + 1423 + 50 = 1501 > MTU 1500
        Verdict v = dp.run(DatapathObject.EGRESS_FAST_PATH, frame, new Skb(0, dp.veth1, 1423));
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(frame, v.frame());
        assertEquals(DatapathConfig.DEFAULTS.markMiss(), v.mark());
        assertEquals(Map.of(Stat.MISS_NIC_MTU, 1L), dp.counts());
        // One byte less passes the MTU check and reaches bpf_skb_adjust_room (refused here, see above).
        dp.reset();
        dp.cacheInterHostFlow(C1_R);
        dp.run(DatapathObject.EGRESS_FAST_PATH, frame, new Skb(0, dp.veth1, 1422));
        assertEquals(Map.of(Stat.REDIRECT_ERROR, 1L), dp.counts());
    }

    @Test
    void aPacketThatWouldNotFitTheNicIsAMiss() {
        // 20 + 8 + 1423 + 50 = 1501 > 1500; one byte less fits.
        Verdict v = dp.egress(udpFromC1(Topology.C1_PORT, 1423, 0), dp.veth1);
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertEquals(Map.of(Stat.MISS_NIC_MTU, 1L), dp.counts());
        encapsulate(udpFromC1(Topology.C1_PORT, 1422, 0));
    }

    @Test
    void aVanishedNicIsAMiss() {
        dp.egressHeaders.put(Topology.REMOTE_HOST, new EgressHeader(Topology.overlayHeader(), 999_999));
        Verdict v = dp.egress(Topology.c1ToR(), dp.veth1);
        assertEquals(Verdict.TC_ACT_OK, v.retval());
        assertEquals(Map.of(Stat.MISS_NIC_MTU, 1L), dp.counts());
    }

    @Test
    void theProgramAsksForFixedGsoAndTheEncapsulationFlags() {
        String xlated = Xlated.dump(dp.program(DatapathObject.EGRESS_FAST_PATH));
        assertEquals(List.of(FIXED_GSO | ENCAP_L3_IPV4 | ENCAP_L4_UDP | ENCAP_L2_ETH | ENCAP_L2_14),
                Xlated.adjustRoomFlags(xlated));
        assertNotEquals(0, FIXED_GSO & Xlated.adjustRoomFlags(xlated).get(0));
    }
}
