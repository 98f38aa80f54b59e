package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C2;
import static org.xmasq.datapath.Topology.C2_MAC;
import static org.xmasq.datapath.Topology.R;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;
import net.jqwik.api.statistics.Statistics;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.testing.Frames;

/**
 * Properties of the learners over random and mutated frames and marks, each try starting from freshly registered
 * endpoints (no MAC learned, nothing cached): a learner returns TC_ACT_OK with the frame unchanged, learns nothing
 * and keeps the mark when the MISS bit is absent, clears exactly our bits otherwise, never creates an endpoint or
 * moves one to another veth, and whatever it writes is what the frame shows.
 */
class LearnersNeverChangeAFrameNorLearnFromAnUnmarkedOne {
    private static final DatapathConfig CFG = DatapathConfig.DEFAULTS;
    private static final int TRIES = 300;

    static KernelDatapath dp;

    @BeforeContainer
    static void start() {
        dp = KernelDatapath.start();
    }

    @AfterContainer
    static void stop() {
        if (dp != null) {
            dp.close();
            dp = null;
        }
    }

    @BeforeTry
    void registerOnly() {
        dp.endpoints.clear();
        dp.egressHosts.clear();
        dp.egressHeaders.clear();
        dp.filter.clear();
        dp.registerNic();
        dp.endpoints.put(C1, Endpoint.registered(dp.veth1));
        dp.endpoints.put(C2, Endpoint.registered(dp.veth2));
    }

    @Provide
    Arbitrary<byte[]> wireFrames() {
        byte[] tcp = Topology.vxlan(Topology.REMOTE_NIC_MAC, Topology.NIC_MAC, Topology.LOCAL_HOST,
                Topology.REMOTE_HOST, 47000, Topology.tcp(Topology.REMOTE_VTEP_MAC, Topology.VTEP_MAC, C1, R, 40001,
                        443, 63, Topology.PAYLOAD));
        byte[] fromC2 = Topology.vxlan(Topology.REMOTE_NIC_MAC, Topology.NIC_MAC, Topology.LOCAL_HOST,
                Ipv4Address.parse("192.168.50.3"), 47001, Topology.udp(Topology.REMOTE_VTEP_MAC, Topology.VTEP_MAC,
                        C2, Ipv4Address.parse("10.244.3.3"), 1234, 53, 63, Topology.PAYLOAD));
        return seedsOrMutants(Topology.c1ToROnTheWire(), tcp, fromC2, Topology.rToC1OnTheWire());
    }

    @Provide
    Arbitrary<byte[]> deliveries() {
        byte[] reply = Topology.udp(C1_MAC, C2_MAC, C2, C1, 7000, Topology.C1_PORT, 64, Topology.PAYLOAD);
        return seedsOrMutants(Topology.rToC1Delivered(), Topology.c1ToC2Bridged(), Topology.c1ToC2RoutedDelivered(),
                reply);
    }

    /** The seeds themselves often (so that learning happens), mutants and random frames otherwise. */
    private static Arbitrary<byte[]> seedsOrMutants(byte[]... seeds) {
        return Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of(Arrays.asList(seeds))),
                Tuple.of(3, RandomAndMutatedFramesNeverEarnAnUnjustifiedRedirect.mutated(seeds)));
    }

    @Provide
    Arbitrary<Integer> marks() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(0, CFG.markMiss(), CFG.markMiss() | CFG.markRemote(),
                CFG.markMiss() | CFG.markEst(), CFG.markRemote(), 0x4000, 0x4000 | CFG.markMiss(),
                0x4000 | CFG.markMiss() | CFG.markRemote())), Tuple.of(1, Arbitraries.integers()));
    }

    @Provide
    Arbitrary<Integer> veths() {
        return Arbitraries.of(1, 2, 3).map(i -> i == 1 ? dp.veth1 : i == 2 ? dp.veth2 : dp.vethOther);
    }

    /** The caches a learner may write. */
    record Snapshot(Map<Ipv4Address, Endpoint> endpoints, Map<Ipv4Address, EgressHost> hosts,
                    Map<Ipv4Address, EgressHeader> headers, Map<FlowKey, FilterEntry> filter) {
        static Snapshot take() {
            return new Snapshot(new HashMap<>(dp.endpoints.entries()), new HashMap<>(dp.egressHosts.entries()),
                    new HashMap<>(dp.egressHeaders.entries()), new HashMap<>(dp.filter.entries()));
        }
    }

    private static <K, V> Set<K> changed(Map<K, V> before, Map<K, V> after) {
        Set<K> keys = new HashSet<>(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
        return keys;
    }

    private static Verdict run(String learner, byte[] frame, int mark, int ifindex, Snapshot before,
                               Snapshot after[]) {
        Verdict v = dp.run(learner, frame, new Skb(mark, ifindex, 0));
        after[0] = Snapshot.take();
        assertEquals(Verdict.TC_ACT_OK, v.retval());
        assertArrayEquals(frame, v.frame(), "a learner never changes the frame");
        boolean learned = !before.equals(after[0]);
        Statistics.label("learned").collect(learned);
        Statistics.label("learned").coverage(c -> c.check(true).percentage(p -> p >= 4));
        if ((mark & CFG.markMiss()) == 0) {
            assertEquals(mark, v.mark(), "an unmarked packet keeps its mark");
            assertEquals(before, after[0], "nothing learned from an unmarked packet");
        } else {
            assertEquals(mark & ~CFG.allMarks(), v.mark(), "our bits cleared, the others kept");
            assertEquals(before.endpoints.keySet(), after[0].endpoints.keySet(), "endpoints are never created");
            after[0].endpoints.forEach((ip, ep) -> assertEquals(before.endpoints.get(ip).ifindex(), ep.ifindex()));
        }
        return v;
    }

    private static Ipv4Address ipAt(byte[] f, int off) {
        return Ipv4Address.fromBytes(Arrays.copyOfRange(f, off, off + 4));
    }

    @Property(tries = TRIES)
    void theEgressLearnerLearnsOnlyWhatAMarkedOverlayPacketShows(@ForAll("wireFrames") byte[] frame,
                                                                   @ForAll("marks") int mark) {
        Snapshot before = Snapshot.take();
        Snapshot[] after = new Snapshot[1];
        run(DatapathObject.EGRESS_LEARNER, frame, mark, dp.nic, before, after);
        Snapshot a = after[0];
        assertEquals(before.endpoints, a.endpoints, "the egress learner never writes endpoints");
        if (frame.length < 84) {
            assertEquals(before, a, "nothing to learn from a runt");
            return;
        }
        for (Ipv4Address host : changed(before.headers, a.headers)) {
            assertEquals(ipAt(frame, TunnelHeader.OUTER_DST_ADDR), host);
            assertEquals(new EgressHeader(TunnelHeader.fromBytes(Arrays.copyOf(frame, 64)), dp.nic),
                    a.headers.get(host));
        }
        for (Ipv4Address container : changed(before.hosts, a.hosts)) {
            assertEquals(ipAt(frame, 64 + 16), container);
            assertEquals(new EgressHost(ipAt(frame, TunnelHeader.OUTER_DST_ADDR)), a.hosts.get(container));
        }
        for (FlowKey key : changed(before.filter, a.filter)) {
            assertEquals(ipAt(frame, 64 + 12), key.localAddress());
            assertTrue(a.filter.get(key).egressSeen());
            assertTrue(before.endpoints.containsKey(key.localAddress()), "only our containers' flows");
        }
    }

    @Property(tries = TRIES)
    void theIngressLearnerLearnsOnlyWhatAMarkedDeliveryShows(@ForAll("deliveries") byte[] frame,
                                                             @ForAll("marks") int mark,
                                                             @ForAll("veths") int veth) {
        Snapshot before = Snapshot.take();
        Snapshot[] after = new Snapshot[1];
        run(DatapathObject.INGRESS_LEARNER, frame, mark, veth, before, after);
        Snapshot a = after[0];
        assertEquals(before.hosts, a.hosts, "the ingress learner never writes level 1");
        assertEquals(before.headers, a.headers, "the ingress learner never writes level 2");
        if (frame.length < 34) {
            assertEquals(before, a, "nothing to learn from a runt");
            return;
        }
        Ipv4Address src = ipAt(frame, 26);
        Ipv4Address dst = ipAt(frame, 30);
        for (FlowKey key : changed(before.filter, a.filter)) {
            assertTrue(key.localAddress().equals(dst) && key.remoteAddress().equals(src)
                    || key.localAddress().equals(src) && key.remoteAddress().equals(dst), key::toString);
        }
        for (Ipv4Address ip : changed(before.endpoints, a.endpoints)) {
            assertEquals(dst, ip, "only the destination's endpoint learns");
            Endpoint ep = a.endpoints.get(ip);
            assertEquals(veth, ep.ifindex(), "learned only on the destination's own veth");
            assertEquals(MacAddress.fromBytes(Arrays.copyOf(frame, 6)), ep.containerMac());
            if (ep.gatewayMacKnown()) {
                assertTrue((mark & CFG.markRemote()) != 0, "a gateway MAC is learned only from remote deliveries");
                assertEquals(MacAddress.fromBytes(Arrays.copyOfRange(frame, 6, 12)), ep.gatewayMac());
            }
        }
        if (!changed(before.filter, a.filter).isEmpty()) {
            assertEquals(0x0800, Frames.u16(frame, 12));
        }
    }
}
