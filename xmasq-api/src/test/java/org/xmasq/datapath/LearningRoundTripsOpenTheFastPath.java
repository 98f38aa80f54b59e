package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C2;
import static org.xmasq.datapath.Topology.C2_MAC;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The learning loop end to end, through the four programs only: starting from registered endpoints and the NIC,
 * the first packets miss, carry the mark through the (simulated) overlay to the learners, and after one round trip
 * both fast paths serve the flow with exactly the bytes the overlay produced.
 */
class LearningRoundTripsOpenTheFastPath extends KernelTest {
    private static final int MISS = DatapathConfig.DEFAULTS.markMiss();
    private static final int MISS_REMOTE = MISS | DatapathConfig.DEFAULTS.markRemote();

    @Test
    void anInterHostFlowIsServedAfterOneRoundTrip() {
        dp.registerNic();
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));

        // C1 -> R: a miss; the overlay encapsulates it and the egress learner on the NIC sees it marked.
        Verdict out = dp.egress(Topology.c1ToR(), dp.veth1);
        assertEquals(Verdict.TC_ACT_OK, out.retval());
        assertEquals(MISS, out.mark());
        assertEquals(0, dp.egressLearner(Topology.c1ToROnTheWire(), out.mark()).mark());

        // R -> C1: still a miss (the endpoint's MACs and the flow's ingress bit are unknown); delivered by the overlay.
        Verdict in = dp.ingress(Topology.rToC1OnTheWire());
        assertEquals(Verdict.TC_ACT_OK, in.retval());
        assertEquals(MISS_REMOTE, in.mark());
        assertEquals(0, dp.ingressLearner(Topology.rToC1Delivered(), in.mark(), dp.veth1).mark());

        // Both directions now take the fast paths, with the overlay's bytes.
        Verdict fastOut = dp.egress(Topology.c1ToR(), dp.veth1);
        assertEquals(Verdict.TC_ACT_REDIRECT, fastOut.retval());
        byte[] wire = Topology.c1ToROnTheWire();
        System.arraycopy(fastOut.frame(), TunnelHeader.UDP_SRC_PORT, wire, TunnelHeader.UDP_SRC_PORT, 2);
        assertArrayEquals(wire, fastOut.frame());
        Verdict fastIn = dp.ingress(Topology.rToC1OnTheWire());
        assertEquals(Verdict.TC_ACT_REDIRECT, fastIn.retval());
        assertArrayEquals(Topology.rToC1Delivered(), fastIn.frame());

        assertEquals(1L, dp.count(Stat.HIT_EGRESS_INTER_HOST));
        assertEquals(1L, dp.count(Stat.HIT_INGRESS));
        assertEquals(1L, dp.count(Stat.MISS_NO_FILTER_ENTRY));
        assertEquals(1L, dp.count(Stat.MISS_MACS_NOT_LEARNED));
    }

    @Test
    void anIntraHostFlowIsServedAfterOneRoundTrip() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        dp.endpoints.put(C2, Endpoint.registered(dp.veth2));
        byte[] request = Topology.c1ToC2Bridged();
        byte[] reply = Topology.udp(C1_MAC, C2_MAC, C2, C1, 7000, Topology.C1_PORT, 64, Topology.PAYLOAD);

        Verdict first = dp.egress(request, dp.veth1);
        assertEquals(MISS, first.mark());
        dp.ingressLearner(request, first.mark(), dp.veth2); // the bridge delivers it into C2
        Verdict answer = dp.egress(reply, dp.veth2);
        assertEquals(MISS, answer.mark(), "the reply's own direction is still half-learned");
        dp.ingressLearner(reply, answer.mark(), dp.veth1);

        assertEquals(Verdict.TC_ACT_REDIRECT, dp.egress(request, dp.veth1).retval());
        assertEquals(Verdict.TC_ACT_REDIRECT, dp.egress(reply, dp.veth2).retval());
        assertEquals(Map.of(Stat.MISS_NO_FILTER_ENTRY, 1L, Stat.MISS_HALF_FILTER, 1L, Stat.LEARN_FILTER_EGRESS, 2L,
                Stat.LEARN_FILTER_INGRESS, 2L, Stat.LEARN_ENDPOINT_MACS, 2L, Stat.HIT_EGRESS_INTRA_HOST, 2L),
                dp.counts());
    }
}
