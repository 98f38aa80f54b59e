package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_C2;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C1_R;
import static org.xmasq.datapath.Topology.C2;
import static org.xmasq.datapath.Topology.C2_MAC;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;
import static org.xmasq.datapath.Topology.R;
import static org.xmasq.datapath.Topology.REMOTE_HOST;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * Invariant 7: the learners write with BPF_ANY semantics (a newer observation replaces an older one: insert or
 * refresh, never insert-once), the ingress learner only updates endpoints the SDK registered, and neither learns
 * anything from a packet without the MISS mark (a container cannot set skb->mark). Learners never change a frame,
 * always return TC_ACT_OK and clear our mark bits, leaving other bits alone.
 */
class LearnersInsertOrRefreshAndNeverLearnFromUnmarkedPackets extends KernelTest {
    private static final DatapathConfig CFG = DatapathConfig.DEFAULTS;
    private static final int MISS = CFG.markMiss();
    private static final int MISS_REMOTE = CFG.markMiss() | CFG.markRemote();
    /** Someone else's bit (kube-proxy's masquerade mark): learners must keep it. */
    private static final int FOREIGN = 0x4000;

    private static Verdict egressLearn(byte[] frame, int mark) {
        Verdict v = dp.egressLearner(frame, mark);
        assertEquals(Verdict.TC_ACT_OK, v.retval());
        assertArrayEquals(frame, v.frame(), "a learner never changes the frame");
        assertEquals(mark & ~CFG.allMarks(), v.mark(), "our bits cleared, others kept");
        return v;
    }

    private static Verdict ingressLearn(byte[] frame, int mark, int veth) {
        Verdict v = dp.ingressLearner(frame, mark, veth);
        assertEquals(Verdict.TC_ACT_OK, v.retval());
        assertArrayEquals(frame, v.frame(), "a learner never changes the frame");
        assertEquals(mark & ~CFG.allMarks(), v.mark(), "our bits cleared, others kept");
        return v;
    }

    private static void assertNothingLearned() {
        assertEquals(0, dp.egressHosts.size());
        assertEquals(0, dp.egressHeaders.size());
        assertEquals(0, dp.filter.size());
    }

    // ---------------------------------------------------------------- egress learner

    @Test
    void theEgressLearnerInsertsAllThreeEntries() {
        dp.registerNic();
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        byte[] wire = Topology.c1ToROnTheWire();
        egressLearn(wire, MISS | FOREIGN);

        assertEquals(Optional.of(new EgressHeader(TunnelHeader.fromBytes(Arrays.copyOf(wire, 64)), dp.nic)),
                dp.egressHeaders.lookup(REMOTE_HOST));
        assertEquals(Optional.of(new EgressHost(REMOTE_HOST)), dp.egressHosts.lookup(R));
        assertEquals(Optional.of(new FilterEntry(FilterEntry.SEEN_EGRESS)), dp.filter.lookup(C1_R));
        assertEquals(Map.of(Stat.LEARN_EGRESS_HEADER, 1L, Stat.LEARN_EGRESS_HOST, 1L, Stat.LEARN_FILTER_EGRESS, 1L),
                dp.counts());
    }

    @Test
    void theEgressLearnerRefreshesWhatChanged() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        // Stale: R lived on another host, the remote NIC had another MAC, the flow had its reply seen already.
        Ipv4Address oldHost = Ipv4Address.parse("192.168.50.7");
        dp.egressHosts.put(R, new EgressHost(oldHost));
        byte[] stale = Topology.overlayHeader().bytes();
        stale[0] = 0x0e;
        dp.egressHeaders.put(REMOTE_HOST, new EgressHeader(TunnelHeader.fromBytes(stale), dp.vethOther));
        dp.filter.put(C1_R, new FilterEntry(FilterEntry.SEEN_INGRESS));

        egressLearn(Topology.c1ToROnTheWire(), MISS);

        assertEquals(new EgressHost(REMOTE_HOST), dp.egressHosts.lookup(R).orElseThrow());
        assertEquals(new EgressHeader(Topology.overlayHeader(), dp.nic), dp.egressHeaders.lookup(REMOTE_HOST)
                .orElseThrow());
        assertEquals(FilterEntry.BOTH, dp.filter.lookup(C1_R).orElseThrow());
    }

    @Test
    void theEgressLearnerIgnoresUnmarkedPackets() {
        dp.registerNic();
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        for (int mark : new int[] {0, FOREIGN, CFG.markRemote(), CFG.markEst()}) {
            Verdict v = dp.egressLearner(Topology.c1ToROnTheWire(), mark);
            assertEquals(Verdict.TC_ACT_OK, v.retval());
            assertArrayEquals(Topology.c1ToROnTheWire(), v.frame());
            assertEquals(mark, v.mark(), "an unmarked packet keeps its mark");
        }
        assertNothingLearned();
        assertEquals(Map.of(), dp.counts());
    }

    @Test
    void theEgressLearnerIgnoresRemotePacketsAndStrangers() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        egressLearn(Topology.c1ToROnTheWire(), MISS_REMOTE);
        dp.endpoints.delete(C1);
        egressLearn(Topology.c1ToROnTheWire(), MISS);
        assertNothingLearned();
        assertEquals(Map.of(Stat.LEARN_IGNORED, 2L), dp.counts());
    }

    // ---------------------------------------------------------------- ingress learner

    @Test
    void theIngressLearnerSetsTheIngressBitAndBothMacs() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        dp.filter.put(C1_R, new FilterEntry(FilterEntry.SEEN_EGRESS));
        ingressLearn(Topology.rToC1Delivered(), MISS_REMOTE | FOREIGN, dp.veth1);

        assertEquals(FilterEntry.BOTH, dp.filter.lookup(C1_R).orElseThrow());
        assertEquals(new Endpoint(dp.veth1, C1_MAC, GATEWAY_MAC, Endpoint.MACS_KNOWN),
                dp.endpoints.lookup(C1).orElseThrow());
        assertEquals(Map.of(Stat.LEARN_FILTER_INGRESS, 1L, Stat.LEARN_ENDPOINT_MACS, 1L), dp.counts());
    }

    @Test
    void theIngressLearnerRefreshesChangedMacs() {
        MacAddress oldGateway = MacAddress.parse("02:42:0a:f4:01:fe");
        dp.endpoints.put(C1, new Endpoint(dp.veth1, C1_MAC, oldGateway, Endpoint.MACS_KNOWN));
        ingressLearn(Topology.rToC1Delivered(), MISS_REMOTE, dp.veth1);
        assertEquals(GATEWAY_MAC, dp.endpoints.lookup(C1).orElseThrow().gatewayMac());
        // The same delivery again changes nothing and writes nothing.
        ingressLearn(Topology.rToC1Delivered(), MISS_REMOTE, dp.veth1);
        assertEquals(Map.of(Stat.LEARN_FILTER_INGRESS, 2L, Stat.LEARN_ENDPOINT_MACS, 1L), dp.counts());
    }

    @Test
    void theIngressLearnerIgnoresUnmarkedPackets() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        for (int mark : new int[] {0, FOREIGN, CFG.markRemote(), CFG.markEst()}) {
            Verdict v = dp.ingressLearner(Topology.rToC1Delivered(), mark, dp.veth1);
            assertEquals(Verdict.TC_ACT_OK, v.retval());
            assertEquals(mark, v.mark());
        }
        assertNothingLearned();
        assertEquals(Endpoint.registered(dp.veth1), dp.endpoints.lookup(C1).orElseThrow());
        assertEquals(Map.of(), dp.counts());
    }

    @Test
    void theIngressLearnerNeverCreatesAnEndpointNorLearnsOnAnotherVeth() {
        ingressLearn(Topology.rToC1Delivered(), MISS_REMOTE, dp.veth1);
        assertTrue(dp.endpoints.lookup(C1).isEmpty(), "endpoints are the SDK's to create");
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        ingressLearn(Topology.rToC1Delivered(), MISS_REMOTE, dp.vethOther);
        assertEquals(Endpoint.registered(dp.veth1), dp.endpoints.lookup(C1).orElseThrow());
        assertNothingLearned();
        assertEquals(Map.of(Stat.LEARN_IGNORED, 2L), dp.counts());
    }

    @Test
    void anIntraHostDeliveryLearnsBothViewsAndOnlyTheContainerMac() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        dp.endpoints.put(C2, Endpoint.registered(dp.veth2));
        // Bridged C1 -> C2, delivered into C2 carrying C1's MAC as source: not a gateway MAC.
        ingressLearn(Topology.c1ToC2Bridged(), MISS, dp.veth2);

        assertEquals(new FilterEntry(FilterEntry.SEEN_EGRESS), dp.filter.lookup(C1_C2).orElseThrow());
        assertEquals(new FilterEntry(FilterEntry.SEEN_INGRESS), dp.filter.lookup(C1_C2.reversed()).orElseThrow());
        assertEquals(Endpoint.registered(dp.veth2, C2_MAC), dp.endpoints.lookup(C2).orElseThrow());
        assertEquals(Map.of(Stat.LEARN_FILTER_EGRESS, 1L, Stat.LEARN_FILTER_INGRESS, 1L, Stat.LEARN_ENDPOINT_MACS,
                1L), dp.counts());
    }

    @Test
    void anIntraHostDeliveryDoesNotOverwriteAKnownContainerMac() {
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        dp.endpoints.put(C2, Endpoint.registered(dp.veth2, C2_MAC));
        // A frame the bridge flooded to C2 although addressed to someone else.
        byte[] flooded = Topology.udp(MacAddress.parse("02:42:0a:f4:01:77"), C1_MAC, C1, C2, Topology.C1_PORT, 7000,
                64, Topology.PAYLOAD);
        ingressLearn(flooded, MISS, dp.veth2);
        assertEquals(C2_MAC, dp.endpoints.lookup(C2).orElseThrow().containerMac());
    }

    @Test
    void requiringEstablishedConnectionsIgnoresPacketsWithoutTheEstMark() {
        try (KernelDatapath est = KernelDatapath.start(CFG.withRequireEst(true))) {
            est.endpoints.put(C1, Endpoint.registered(est.veth1));
            Verdict v = est.egressLearner(Topology.c1ToROnTheWire(), MISS);
            assertEquals(0, v.mark());
            assertEquals(0, est.filter.size());
            assertEquals(Map.of(Stat.LEARN_IGNORED, 1L), est.counts());

            v = est.egressLearner(Topology.c1ToROnTheWire(), MISS | CFG.markEst());
            assertEquals(0, v.mark(), "the est bit is cleared too");
            assertEquals(new FilterEntry(FilterEntry.SEEN_EGRESS), est.filter.lookup(C1_R).orElseThrow());

            v = est.ingressLearner(Topology.rToC1Delivered(), MISS_REMOTE, est.veth1);
            assertEquals(new FilterEntry(FilterEntry.SEEN_EGRESS), est.filter.lookup(C1_R).orElseThrow());
            v = est.ingressLearner(Topology.rToC1Delivered(), MISS_REMOTE | CFG.markEst(), est.veth1);
            assertEquals(FilterEntry.BOTH, est.filter.lookup(C1_R).orElseThrow());
        }
    }
}
