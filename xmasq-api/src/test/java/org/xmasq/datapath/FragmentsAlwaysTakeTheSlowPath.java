package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmasq.testing.Frames;

/**
 * Invariant 2, fragments: every fragment (MF set or offset != 0, first or not) takes the slow path on both fast
 * paths, unchanged and unmarked, so all fragments of a datagram go the same way, even when every cache would let
 * the flow through.
 */
class FragmentsAlwaysTakeTheSlowPath extends KernelTest {
    @BeforeEach
    void cacheEverything() {
        dp.cacheInterHostFlow(Topology.C1_R);
    }

    static Stream<Arguments> fragments() {
        return Stream.of(
                Arguments.of("first fragment (MF)", (UnaryOperator<Frames.Ipv4>) ip -> ip.dontFragment(false)
                        .moreFragments(true)),
                Arguments.of("middle fragment (MF, offset 185)", (UnaryOperator<Frames.Ipv4>) ip -> ip
                        .dontFragment(false).moreFragments(true).fragmentOffset(185)),
                Arguments.of("last fragment (offset 185)", (UnaryOperator<Frames.Ipv4>) ip -> ip.dontFragment(false)
                        .fragmentOffset(185)),
                Arguments.of("offset 1 with DF", (UnaryOperator<Frames.Ipv4>) ip -> ip.fragmentOffset(1)),
                Arguments.of("highest offset", (UnaryOperator<Frames.Ipv4>) ip -> ip.dontFragment(false)
                        .fragmentOffset(0x1fff)));
    }

    private static void assertSlowPath(Verdict v, byte[] sent) {
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(sent, v.frame(), "unchanged");
        assertEquals(0, v.mark(), "unmarked");
        assertEquals(Map.of(Stat.PASS_FRAGMENT, 1L), dp.counts());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragments")
    void aFragmentSentByAContainerIsNotEncapsulated(String name, UnaryOperator<Frames.Ipv4> fragment) {
        byte[] frame = Topology.c1ToRWith(fragment);
        assertSlowPath(dp.egress(frame, dp.veth1), frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragments")
    void anInnerFragmentIsNotDecapsulated(String name, UnaryOperator<Frames.Ipv4> fragment) {
        byte[] frame = Topology.rToC1With(fragment);
        assertSlowPath(dp.ingress(frame), frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragments")
    void anOuterFragmentIsNotDecapsulated(String name, UnaryOperator<Frames.Ipv4> fragment) {
        byte[] inner = Topology.rToC1Inner(63);
        byte[] vxlan = new byte[8 + inner.length];
        System.arraycopy(Frames.vxlanHeader(Topology.VNI), 0, vxlan, 0, 8);
        System.arraycopy(inner, 0, vxlan, 8, inner.length);
        String src = Topology.REMOTE_HOST.toString();
        String dst = Topology.LOCAL_HOST.toString();
        byte[] frame = Frames.ethernet(Topology.NIC_MAC.toString(), Topology.REMOTE_NIC_MAC.toString(), 0x0800,
                fragment.apply(new Frames.Ipv4(src, dst, Frames.IPPROTO_UDP)).build(
                        Frames.udp(src, dst, Topology.REMOTE_SPORT, Topology.VXLAN_PORT, vxlan, false)));
        assertSlowPath(dp.ingress(frame), frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragments")
    void theControlWithoutFragmentationIsServed(String name, UnaryOperator<Frames.Ipv4> fragment) {
        // The same builders without the fragment bits hit: the caches would have let the fragments through.
        assertEquals(Verdict.TC_ACT_REDIRECT, dp.egress(Topology.c1ToRWith(ip -> ip), dp.veth1).retval());
        assertEquals(Verdict.TC_ACT_REDIRECT, dp.ingress(Topology.rToC1With(ip -> ip)).retval());
    }
}
