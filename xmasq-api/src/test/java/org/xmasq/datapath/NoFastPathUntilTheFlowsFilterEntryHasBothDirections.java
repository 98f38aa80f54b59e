package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.Topology.C1_C2;
import static org.xmasq.datapath.Topology.C1_R;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 4: a flow takes a fast path only once its filter entry (the flow as the local container sees it) has
 * both bits: the overlay let it out and delivered its reply. Until then every packet is a miss, marked for the
 * learners. This holds for the egress and ingress inter-host paths and for the intra-host path.
 */
class NoFastPathUntilTheFlowsFilterEntryHasBothDirections extends KernelTest {
    private static final int MISS = DatapathConfig.DEFAULTS.markMiss();
    private static final int MISS_REMOTE = MISS | DatapathConfig.DEFAULTS.markRemote();

    /** A path: how to send its packet, its flow key, the mark of a miss and the counter of a hit. */
    record Path(String name, FlowKey key, Supplier<Verdict> send, byte[] frame, int missMark, Stat hit) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Path> paths() {
        return Stream.of(
                new Path("egress inter-host", C1_R, () -> dp.egress(Topology.c1ToR(), dp.veth1), Topology.c1ToR(),
                        MISS, Stat.HIT_EGRESS_INTER_HOST),
                new Path("ingress", C1_R, () -> dp.ingress(Topology.rToC1OnTheWire()), Topology.rToC1OnTheWire(),
                        MISS_REMOTE, Stat.HIT_INGRESS),
                new Path("intra-host", C1_C2, () -> dp.egress(Topology.c1ToC2Bridged(), dp.veth1),
                        Topology.c1ToC2Bridged(), MISS, Stat.HIT_EGRESS_INTRA_HOST));
    }

    static Stream<Arguments> pathsAndHalves() {
        return paths().flatMap(p -> Stream.of(
                Arguments.of(p, FilterEntry.SEEN_EGRESS),
                Arguments.of(p, FilterEntry.SEEN_INGRESS)));
    }

    private static void cacheAllButTheFilter() {
        dp.registerNic();
        dp.registerContainersLearned();
        dp.cacheRemoteHost();
    }

    private static void assertMiss(Path p, Stat reason) {
        Verdict v = p.send().get();
        assertEquals(Verdict.TC_ACT_OK, v.retval(), v.toString());
        assertArrayEquals(p.frame(), v.frame(), "unchanged");
        assertEquals(p.missMark(), v.mark(), "marked for the learners");
        assertEquals(Map.of(reason, 1L), dp.counts());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void withoutAnEntryItIsAMiss(Path p) {
        cacheAllButTheFilter();
        assertMiss(p, Stat.MISS_NO_FILTER_ENTRY);
    }

    @ParameterizedTest(name = "{0}, seen 0x{1}")
    @MethodSource("pathsAndHalves")
    void withOneDirectionItIsAMiss(Path p, int bit) {
        cacheAllButTheFilter();
        dp.filter.put(p.key(), new FilterEntry(bit));
        assertMiss(p, Stat.MISS_HALF_FILTER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void withBothDirectionsItIsServed(Path p) {
        cacheAllButTheFilter();
        dp.filter.put(p.key(), FilterEntry.BOTH);
        Verdict v = p.send().get();
        assertEquals(Verdict.TC_ACT_REDIRECT, v.retval(), v.toString());
        assertEquals(Map.of(p.hit(), 1L), dp.counts());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void thePeersViewOfTheFlowDoesNotCount(Path p) {
        cacheAllButTheFilter();
        dp.filter.put(p.key().reversed(), FilterEntry.BOTH);
        assertMiss(p, Stat.MISS_NO_FILTER_ENTRY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void anotherPortOrProtocolDoesNotCount(Path p) {
        cacheAllButTheFilter();
        FlowKey k = p.key();
        dp.filter.put(new FlowKey(k.localAddress(), k.remoteAddress(), k.localPort() + 1, k.remotePort(),
                k.protocol()), FilterEntry.BOTH);
        dp.filter.put(new FlowKey(k.localAddress(), k.remoteAddress(), k.localPort(), k.remotePort() + 1,
                k.protocol()), FilterEntry.BOTH);
        dp.filter.put(new FlowKey(k.localAddress(), k.remoteAddress(), k.localPort(), k.remotePort(),
                FlowKey.PROTOCOL_TCP), FilterEntry.BOTH);
        assertMiss(p, Stat.MISS_NO_FILTER_ENTRY);
    }

    @Test
    void theIntraHostReplyNeedsItsOwnEntry() {
        cacheAllButTheFilter();
        dp.filter.put(C1_C2, FilterEntry.BOTH);
        byte[] reply = Topology.udp(Topology.C1_MAC, Topology.C2_MAC, Topology.C2, Topology.C1, 7000,
                Topology.C1_PORT, 64, Topology.PAYLOAD);
        Verdict v = dp.egress(reply, dp.veth2);
        assertEquals(Verdict.TC_ACT_OK, v.retval());
        assertEquals(MISS, v.mark());
        dp.filter.put(C1_C2.reversed(), FilterEntry.BOTH);
        assertEquals(Verdict.TC_ACT_REDIRECT, dp.egress(reply, dp.veth2).retval());
    }
}
