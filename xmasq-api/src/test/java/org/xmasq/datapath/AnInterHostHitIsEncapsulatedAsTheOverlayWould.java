package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.Topology.C1_R;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.testing.Frames;

/**
 * Egress hit path: with the filter entry, level 1 and level 2 cached, a container's packet to a remote container
 * leaves the egress fast path exactly as the overlay would have put it on the wire (only the UDP source port is
 * the fast path's own), redirected to the NIC.
 */
class AnInterHostHitIsEncapsulatedAsTheOverlayWould extends KernelTest {
    @BeforeEach
    void cacheTheFlow() {
        dp.cacheInterHostFlow(C1_R);
    }

    @Test
    void theEncapsulatedFrameIsTheOverlaysFrame() {
        Verdict v = dp.egress(Topology.c1ToR(), dp.veth1);

        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval(), v.toString());
        byte[] expected = Topology.c1ToROnTheWire();
        expected[TunnelHeader.UDP_SRC_PORT] = v.frame()[TunnelHeader.UDP_SRC_PORT];
        expected[TunnelHeader.UDP_SRC_PORT + 1] = v.frame()[TunnelHeader.UDP_SRC_PORT + 1];
        assertArrayEquals(expected, v.frame());
        assertEquals(0, v.mark(), "a hit carries no mark");
        assertEquals(Map.of(Stat.HIT_EGRESS_INTER_HOST, 1L), dp.counts());
    }

    @Test
    void theInnerPacketIsRoutedOnceWithAValidChecksum() {
        Verdict v = dp.egress(Topology.c1ToR(), dp.veth1);

        byte[] f = v.frame();
        int inner = TunnelHeader.ENCAP_LEN + Frames.ETH_HLEN;
        assertEquals(63, f[inner + 8] & 0xff, "inner TTL");
        assertEquals(0, Frames.checksum(f, inner, 20, 0), "inner IPv4 checksum");
    }
}
