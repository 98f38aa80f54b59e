package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;
import static org.xmasq.datapath.Topology.PAYLOAD;
import static org.xmasq.datapath.Topology.R;
import static org.xmasq.datapath.Topology.patched;
import static org.xmasq.datapath.Topology.resized;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.testing.Frames;

/**
 * Invariant 2, the rest: IPv4 with options, IPv6, ARP, VLAN tags, broadcast and multicast, truncated and malformed
 * frames return TC_ACT_OK from both fast paths, byte for byte unchanged and unmarked (none of them is a cache miss
 * the learners could learn from), each counted under its reason, with every cache primed for the flow.
 *
 * <p>PROG_TEST_RUN on this kernel refuses (EINVAL) an IPv4 frame shorter than Ethernet + a 20-byte IPv4 header, so
 * the shortest truncated IPv4 frames here are 34 bytes; the programs' bounds checks below that are the verifier's.
 */
class OptionsNonIpv4BroadcastAndMalformedFramesTakeTheSlowPath extends KernelTest {
    private static final byte[] NOPS = {1, 1, 1, 1};
    private static final byte[] RECORD_ROUTE = {7, 7, 4, 0, 0, 0, 0};

    @BeforeEach
    void cacheEverything() {
        dp.cacheInterHostFlow(Topology.C1_R);
    }

    /** A frame a container could send, and the reason it must be passed. */
    static Stream<Arguments> containerFrames() {
        byte[] good = Topology.c1ToR();
        byte[] tcp = Topology.tcp(GATEWAY_MAC, C1_MAC, C1, R, Topology.C1_PORT, 80, 64, PAYLOAD);
        return Stream.of(
                Arguments.of("IPv4 options (NOPs)", Topology.c1ToRWith(ip -> ip.options(NOPS)), Stat.PASS_IP_OPTIONS),
                Arguments.of("IPv4 options (record route)", Topology.c1ToRWith(ip -> ip.options(RECORD_ROUTE)),
                        Stat.PASS_IP_OPTIONS),
                Arguments.of("IPv6", Frames.ipv6UdpFrame(GATEWAY_MAC.toString(), C1_MAC.toString()),
                        Stat.PASS_NOT_IPV4),
                Arguments.of("ARP", Frames.arpRequest(C1_MAC.toString(), C1.toString(), "10.244.1.1"),
                        Stat.PASS_NOT_IPV4),
                Arguments.of("VLAN tag", patched(good, 12, 0x81, 0x00), Stat.PASS_NOT_IPV4),
                Arguments.of("broadcast MAC", patched(good, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
                        Stat.PASS_BROADCAST_MULTICAST),
                Arguments.of("multicast MAC", patched(good, 0, 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01),
                        Stat.PASS_BROADCAST_MULTICAST),
                Arguments.of("multicast IPv4", udpTo("224.0.0.251"), Stat.PASS_BROADCAST_MULTICAST),
                Arguments.of("limited broadcast IPv4", udpTo("255.255.255.255"), Stat.PASS_BROADCAST_MULTICAST),
                Arguments.of("IPv4 header only", resized(good, 34), Stat.PASS_MALFORMED),
                Arguments.of("IPv4 header only, total length 20", patched(resized(good, 34), 16, 0, 20),
                        Stat.PASS_MALFORMED),
                Arguments.of("UDP header cut", resized(good, 38), Stat.PASS_MALFORMED),
                Arguments.of("payload cut (total length too big)", resized(good, good.length - 3),
                        Stat.PASS_MALFORMED),
                Arguments.of("trailing padding (total length too small)", resized(good, good.length + 6),
                        Stat.PASS_MALFORMED),
                Arguments.of("IP version 6 in an IPv4 frame", patched(good, 14, 0x65), Stat.PASS_MALFORMED),
                Arguments.of("IHL 4", patched(good, 14, 0x44), Stat.PASS_MALFORMED),
                Arguments.of("UDP length wrong", patched(good, 38, 0, 9), Stat.PASS_MALFORMED),
                Arguments.of("TCP data offset 4", patched(tcp, 46, 0x40), Stat.PASS_MALFORMED),
                Arguments.of("TCP data offset beyond the packet", patched(tcp, 46, 0xf0), Stat.PASS_MALFORMED),
                Arguments.of("source 0.0.0.0", patched(good, 26, 0, 0, 0, 0), Stat.PASS_MALFORMED),
                Arguments.of("multicast source", patched(good, 26, 224, 0, 0, 1), Stat.PASS_MALFORMED),
                Arguments.of("destination 0.0.0.0", patched(good, 30, 0, 0, 0, 0), Stat.PASS_MALFORMED),
                Arguments.of("TTL 1 (the overlay answers time exceeded)", Topology.c1ToRWith(ip -> ip.ttl(1)),
                        Stat.PASS_TTL_EXPIRING));
    }

    private static byte[] udpTo(String dst) {
        return Topology.udp(GATEWAY_MAC, C1_MAC, C1, Ipv4Address.parse(dst), Topology.C1_PORT, Topology.R_PORT, 64,
                PAYLOAD);
    }

    /** A frame arriving at the NIC, and the reason it must be passed. */
    static Stream<Arguments> nicFrames() {
        byte[] good = Topology.rToC1OnTheWire();
        int inner = TunnelHeader.ENCAP_LEN;
        MacAddress vtep = Topology.VTEP_MAC;
        MacAddress remoteVtep = Topology.REMOTE_VTEP_MAC;
        return Stream.of(
                Arguments.of("inner IPv4 options", Topology.rToC1With(ip -> ip.options(NOPS)), Stat.PASS_IP_OPTIONS),
                Arguments.of("inner IPv6", Topology.fromRemoteAround(Frames.ipv6UdpFrame(vtep.toString(),
                        remoteVtep.toString())), Stat.PASS_NOT_IPV4),
                Arguments.of("inner ARP", Topology.fromRemoteAround(Frames.arpRequest(remoteVtep.toString(),
                        R.toString(), C1.toString())), Stat.PASS_NOT_IPV4),
                Arguments.of("inner broadcast MAC", patched(good, inner, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
                        Stat.PASS_BROADCAST_MULTICAST),
                Arguments.of("inner multicast IPv4", patched(Topology.rToC1OnTheWire(), inner + 30, 239, 1, 1, 1),
                        Stat.PASS_BROADCAST_MULTICAST),
                Arguments.of("outer broadcast MAC", patched(good, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
                        Stat.PASS_BROADCAST_MULTICAST),
                Arguments.of("outer IPv6", Frames.ipv6UdpFrame(Topology.NIC_MAC.toString(),
                        Topology.REMOTE_NIC_MAC.toString()), Stat.PASS_NOT_OVERLAY),
                Arguments.of("outer ARP", Frames.arpRequest(Topology.REMOTE_NIC_MAC.toString(),
                        Topology.REMOTE_HOST.toString(), Topology.LOCAL_HOST.toString()), Stat.PASS_NOT_OVERLAY),
                Arguments.of("inner frame cut", resized(good, inner + 30), Stat.HEADER_INVALID),
                Arguments.of("inner total length wrong", patched(good, inner + 16, 0, 99), Stat.PASS_MALFORMED),
                Arguments.of("inner IHL 4", patched(good, inner + 14, 0x44), Stat.PASS_MALFORMED),
                Arguments.of("inner UDP length wrong", patched(good, inner + 38, 0, 9), Stat.PASS_MALFORMED),
                Arguments.of("outer UDP header cut", resized(good, 40), Stat.PASS_MALFORMED),
                Arguments.of("VXLAN header cut", resized(good, 46), Stat.HEADER_INVALID),
                Arguments.of("outer IHL 4", patched(good, 14, 0x44), Stat.PASS_MALFORMED),
                Arguments.of("inner TTL 1", Topology.rToC1With(ip -> ip.ttl(1)), Stat.PASS_TTL_EXPIRING),
                Arguments.of("outer IPv4 header only", resized(good, 34), Stat.PASS_MALFORMED));
    }

    private static void assertSlowPath(Verdict v, byte[] sent, Stat reason) {
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(sent, v.frame(), "unchanged");
        assertEquals(0, v.mark(), "unmarked");
        assertEquals(Map.of(reason, 1L), dp.counts());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containerFrames")
    void theEgressFastPathPassesIt(String name, byte[] frame, Stat reason) {
        assertSlowPath(dp.egress(frame, dp.veth1), frame, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nicFrames")
    void theIngressFastPathPassesIt(String name, byte[] frame, Stat reason) {
        assertSlowPath(dp.ingress(frame), frame, reason);
    }
}
