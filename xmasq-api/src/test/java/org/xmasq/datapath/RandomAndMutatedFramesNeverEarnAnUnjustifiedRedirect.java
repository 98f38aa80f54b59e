package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmasq.datapath.Topology.C1;
import static org.xmasq.datapath.Topology.C1_MAC;
import static org.xmasq.datapath.Topology.C2;
import static org.xmasq.datapath.Topology.C2_MAC;
import static org.xmasq.datapath.Topology.GATEWAY_MAC;
import static org.xmasq.datapath.Topology.R;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.xmasq.net.Ipv4Address;
import org.xmasq.testing.Frames;

/**
 * Properties over random and mutated frames, with the caches primed for a few flows: a fast path never redirects
 * a frame the caches do not justify (checked against an independent model of the rules), every verdict is counted
 * exactly once, and whatever is passed (TC_ACT_OK) leaves every byte as it was; only the mark may change, and only
 * to our miss bits. Coverage checks make sure each property sees redirects, misses and plain passes.
 */
class RandomAndMutatedFramesNeverEarnAnUnjustifiedRedirect {
    private static final DatapathConfig CFG = DatapathConfig.DEFAULTS;
    private static final int TRIES = 300;
    private static final FlowKey C1_R_TCP = FlowKey.tcp(C1, 40001, R, 443);
    private static final Ipv4Address R2 = Ipv4Address.parse("10.244.2.9");

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

    @BeforeProperty
    void primeCaches() {
        dp.reset();
        dp.cacheInterHostFlow(Topology.C1_R);
        dp.filter.put(C1_R_TCP, FilterEntry.BOTH);
        dp.filter.put(Topology.C1_C2, FilterEntry.BOTH);
        dp.filter.put(Topology.C1_C2.reversed(), FilterEntry.BOTH);
        // R2: level 1 only (its host's header is missing); a half-learned flow to it.
        dp.egressHosts.put(R2, new EgressHost(Ipv4Address.parse("192.168.50.3")));
        dp.filter.put(FlowKey.udp(C1, 40000, R2, 53), new FilterEntry(FilterEntry.SEEN_EGRESS));
    }

    // ---------------------------------------------------------------- generators

    /** A change to a frame: overwrite a byte, flip a bit, cut, or append. */
    record Mutation(int kind, int position, int value) {
        byte[] apply(byte[] f) {
            switch (kind) {
                case 0, 1, 2 -> { // overwrite a header byte (most interesting), or anywhere
                    byte[] out = f.clone();
                    int limit = kind == 2 ? f.length : Math.min(f.length, 100);
                    out[position % limit] = (byte) value;
                    return out;
                }
                case 3 -> {
                    byte[] out = f.clone();
                    int i = position % f.length;
                    out[i] ^= (byte) (1 << (value & 7));
                    return out;
                }
                case 4 -> {
                    return Arrays.copyOf(f, Math.max(14, position % (f.length + 1)));
                }
                default -> {
                    byte[] out = Arrays.copyOf(f, f.length + 1 + value % 24);
                    Arrays.fill(out, f.length, out.length, (byte) position);
                    return out;
                }
            }
        }
    }

    static Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(0, 10_000), Arbitraries.integers().between(0, 255)).as(Mutation::new);
        return one.list().ofMinSize(0).ofMaxSize(4);
    }

    static Arbitrary<byte[]> mutated(byte[]... seeds) {
        Arbitrary<byte[]> seed = Arbitraries.of(Arrays.asList(seeds));
        Arbitrary<byte[]> mutatedSeeds = Combinators.combine(seed, mutations()).as((f, ms) -> {
            byte[] out = f;
            for (Mutation m : ms) {
                out = m.apply(out);
            }
            return out;
        });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(14).ofMaxSize(200)
                .map(b -> {
                    if (b.length > 14 && (b[13] & 1) == 0) { // often IPv4, so the parsers get further
                        b[12] = 0x08;
                        b[13] = 0x00;
                        b[14] = 0x45;
                    }
                    return b;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, mutatedSeeds), net.jqwik.api.Tuple.of(1, random))
                .filter(RandomAndMutatedFramesNeverEarnAnUnjustifiedRedirect::acceptedByTestRun);
    }

    /** PROG_TEST_RUN refuses an IPv4 frame shorter than its IPv4 header and an IPv6 one shorter than its header. */
    static boolean acceptedByTestRun(byte[] f) {
        int type = Frames.u16(f, 12);
        return !(type == 0x0800 && f.length < 34) && !(type == 0x86dd && f.length < 54);
    }

    @Provide
    Arbitrary<byte[]> containerFrames() {
        return mutated(Topology.c1ToR(),
                Topology.tcp(GATEWAY_MAC, C1_MAC, C1, R, 40001, 443, 64, Topology.PAYLOAD),
                Topology.c1ToC2Bridged(), Topology.c1ToC2Routed(),
                Topology.udp(C1_MAC, C2_MAC, C2, C1, 7000, Topology.C1_PORT, 64, Topology.PAYLOAD),
                Topology.udp(GATEWAY_MAC, C1_MAC, C1, R2, 40000, 53, 64, Topology.PAYLOAD),
                Topology.udp(GATEWAY_MAC, C1_MAC, C1, Ipv4Address.parse("10.244.3.3"), 40000, 53, 64,
                        Topology.PAYLOAD),
                Topology.udp(GATEWAY_MAC, C1_MAC, C1, R, 40002, 53, 64, Topology.PAYLOAD),
                Topology.c1ToRWith(ip -> ip.ttl(2)));
    }

    @Provide
    Arbitrary<byte[]> nicFrames() {
        byte[] tcpInner = Topology.tcp(Topology.VTEP_MAC, Topology.REMOTE_VTEP_MAC, R, C1, 443, 40001, 63,
                Topology.PAYLOAD);
        byte[] toC2 = Topology.udp(Topology.VTEP_MAC, Topology.REMOTE_VTEP_MAC, R, C2, 53, 40000, 63,
                Topology.PAYLOAD);
        byte[] fromAnotherHost = Topology.vxlan(Topology.NIC_MAC, Topology.REMOTE_NIC_MAC,
                Ipv4Address.parse("192.168.50.3"), Topology.LOCAL_HOST, 50000, Topology.rToC1Inner(63));
        return mutated(Topology.rToC1OnTheWire(), Topology.fromRemoteAround(tcpInner),
                Topology.rToC1With(ip -> ip.ttl(2).tos(3)), Topology.c1ToROnTheWire(),
                Topology.fromRemoteAround(toC2), fromAnotherHost);
    }

    @Provide
    Arbitrary<Integer> containerVeths() {
        return Arbitraries.of(1, 1, 1, 2, 3, 4).map(i -> switch (i) {
            case 1 -> dp.veth1;
            case 2 -> dp.veth2;
            case 3 -> dp.vethOther;
            default -> dp.nic;
        });
    }

    // ---------------------------------------------------------------- properties

    /** Each fast-path property must see redirects, misses and plain passes, or it proves little. */
    private static void classify(Verdict v) {
        String kind = v.redirected() ? "redirect" : v.mark() != 0 ? "miss" : "pass";
        Statistics.label("verdict").collect(kind);
        Statistics.label("verdict").coverage(c -> {
            c.check("redirect").percentage(p -> p >= 5);
            c.check("miss").percentage(p -> p >= 5);
            c.check("pass").percentage(p -> p >= 5);
        });
    }

    @Property(tries = TRIES)
    @StatisticsReport(label = "verdict", format = net.jqwik.api.statistics.Histogram.class)
    void theEgressFastPathRedirectsOnlyWhatTheCachesJustify(@ForAll("containerFrames") byte[] frame,
                                                            @ForAll("containerVeths") int veth) {
        Map<Stat, Long> before = dp.counts();
        Verdict v = dp.egress(frame, veth);
        Stat counted = singleIncrement(before, dp.counts());
        classify(v);

        if (v.redirected()) {
            String why = EgressModel.justify(frame, veth, v.frame());
            assertEquals(null, why, () -> "unjustified redirect: " + why + " " + v);
            assertTrue(counted == Stat.HIT_EGRESS_INTER_HOST || counted == Stat.HIT_EGRESS_INTRA_HOST, counted::name);
        } else {
            assertEquals(Verdict.TC_ACT_OK, v.retval(), v::toString);
            assertArrayEquals(frame, v.frame(), "a passed frame is unchanged");
            boolean marked = v.mark() == CFG.markMiss();
            assertTrue(marked || v.mark() == 0, () -> "mark " + Integer.toHexString(v.mark()));
            assertEquals(marked, counted.isMiss() || counted == Stat.REDIRECT_ERROR, counted::name);
        }
    }

    @Property(tries = TRIES)
    @StatisticsReport(label = "verdict", format = net.jqwik.api.statistics.Histogram.class)
    void theIngressFastPathRedirectsOnlyWhatTheCachesJustify(@ForAll("nicFrames") byte[] frame) {
        Map<Stat, Long> before = dp.counts();
        Verdict v = dp.ingress(frame);
        Stat counted = singleIncrement(before, dp.counts());
        classify(v);

        if (v.redirected()) {
            String why = IngressModel.justify(frame, v.frame());
            assertEquals(null, why, () -> "unjustified redirect: " + why + " " + v);
            assertEquals(Stat.HIT_INGRESS, counted);
        } else {
            assertEquals(Verdict.TC_ACT_OK, v.retval(), v::toString);
            assertArrayEquals(frame, v.frame(), "a passed frame is unchanged");
            boolean marked = v.mark() == (CFG.markMiss() | CFG.markRemote());
            assertTrue(marked || v.mark() == 0, () -> "mark " + Integer.toHexString(v.mark()));
            assertEquals(marked, counted.isMiss() || counted == Stat.REDIRECT_ERROR, counted::name);
        }
    }

    /** Exactly one counter moved, by one: the verdict's. */
    private static Stat singleIncrement(Map<Stat, Long> before, Map<Stat, Long> after) {
        Map<Stat, Long> delta = new EnumMap<>(Stat.class);
        after.forEach((s, c) -> {
            long d = c - before.getOrDefault(s, 0L);
            if (d != 0) {
                delta.put(s, d);
            }
        });
        assertEquals(1, delta.size(), () -> "counted " + delta);
        Map.Entry<Stat, Long> e = delta.entrySet().iterator().next();
        assertEquals(1L, e.getValue(), () -> "counted " + delta);
        return e.getKey();
    }

    // ---------------------------------------------------------------- the model: when a redirect is justified

    private static int u8(byte[] f, int off) {
        return f[off] & 0xff;
    }

    private static Ipv4Address ipAt(byte[] f, int off) {
        return Ipv4Address.fromBytes(Arrays.copyOfRange(f, off, off + 4));
    }

    /** Why the IPv4 frame at {@code off} is not one a fast path may take (null when it is). */
    private static String ineligible(byte[] f, int off, int l3Len) {
        if (f.length < off + 34) {
            return "short";
        }
        if (Frames.u16(f, off + 12) != 0x0800) {
            return "not IPv4";
        }
        if ((f[off] & 1) != 0) {
            return "multicast MAC";
        }
        int ip = off + 14;
        if (u8(f, ip) != 0x45) {
            return "version/ihl";
        }
        if ((Frames.u16(f, ip + 6) & 0x3fff) != 0) {
            return "fragment";
        }
        if (Frames.u16(f, ip + 2) != l3Len) {
            return "total length";
        }
        if (u8(f, ip + 8) <= 1) {
            return "ttl";
        }
        int d = u8(f, ip + 16);
        int s = u8(f, ip + 12);
        if (d >= 224 || s >= 224 || ipAt(f, ip + 12).value() == 0 || ipAt(f, ip + 16).value() == 0) {
            return "address";
        }
        int proto = u8(f, ip + 9);
        if (proto == 6 && (f.length < ip + 40 || (u8(f, ip + 32) >> 4) < 5 || l3Len < 20 + (u8(f, ip + 32) >> 4) * 4)) {
            return "tcp header";
        }
        if (proto == 17 && (f.length < ip + 28 || Frames.u16(f, ip + 24) != l3Len - 20)) {
            return "udp header";
        }
        return null;
    }

    private static FlowKey flowOf(byte[] f, int ip, boolean localIsSource) {
        int proto = u8(f, ip + 9);
        boolean ports = proto == 6 || proto == 17;
        int sport = ports ? Frames.u16(f, ip + 20) : 0;
        int dport = ports ? Frames.u16(f, ip + 22) : 0;
        Ipv4Address s = ipAt(f, ip + 12);
        Ipv4Address d = ipAt(f, ip + 16);
        return localIsSource ? new FlowKey(s, d, sport, dport, proto) : new FlowKey(d, s, dport, sport, proto);
    }

    /** The IPv4 header at {@code ip} after a routing hop: TTL - 1, checksum updated as the datapath does. */
    private static byte[] routed(byte[] f, int ip) {
        byte[] out = f.clone();
        out[ip + 8]--;
        // The incremental update of the C code, done on the checksum as the little-endian CPU reads it.
        int le = (u8(f, ip + 11) << 8) | u8(f, ip + 10);
        int sum = le + 0x0001;
        int res = (sum + (sum >= 0xffff ? 1 : 0)) & 0xffff;
        out[ip + 10] = (byte) res;
        out[ip + 11] = (byte) (res >>> 8);
        return out;
    }

    static final class EgressModel {
        static String justify(byte[] in, int veth, byte[] out) {
            String why = ineligible(in, 0, in.length - 14);
            if (why != null) {
                return why;
            }
            FlowKey key = flowOf(in, 14, true);
            Endpoint src = dp.endpoints.lookup(key.localAddress()).orElse(null);
            if (src == null || src.ifindex() != veth) {
                return "source not registered on this veth";
            }
            if (!dp.filter.lookup(key).map(FilterEntry::allowsFastPath).orElse(false)) {
                return "filter";
            }
            Endpoint dst = dp.endpoints.lookup(key.remoteAddress()).orElse(null);
            if (dst != null) {
                if (!dst.containerMacKnown()) {
                    return "destination MAC unknown";
                }
                if (Arrays.equals(Arrays.copyOf(in, 6), dst.containerMac().bytes())) {
                    return Arrays.equals(in, out) ? null : "bridged frame changed";
                }
                if (!src.gatewayMacKnown() || !dst.gatewayMacKnown()
                        || !Arrays.equals(Arrays.copyOf(in, 6), src.gatewayMac().bytes())) {
                    return "frame addressed neither to the peer nor to the gateway";
                }
                byte[] expected = routed(in, 14);
                System.arraycopy(dst.containerMac().bytes(), 0, expected, 0, 6);
                System.arraycopy(dst.gatewayMac().bytes(), 0, expected, 6, 6);
                return Arrays.equals(expected, out) ? null : "routed frame differs";
            }
            EgressHost host = dp.egressHosts.lookup(key.remoteAddress()).orElse(null);
            if (host == null) {
                return "no level 1";
            }
            EgressHeader header = dp.egressHeaders.lookup(host.hostAddress()).orElse(null);
            if (header == null) {
                return "no level 2";
            }
            if (out.length != in.length + 50) {
                return "not encapsulated";
            }
            byte[] inner = Arrays.copyOfRange(routed(in, 14), 14, in.length);
            if (!Arrays.equals(inner, Arrays.copyOfRange(out, 64, out.length))) {
                return "inner packet differs";
            }
            byte[] h = header.header().bytes();
            for (int i = 0; i < 64; i++) {
                boolean perPacket = (i >= 15 && i <= 19) || i == 24 || i == 25 || (i >= 34 && i <= 35)
                        || (i >= 38 && i <= 41);
                if (!perPacket && h[i] != out[i]) {
                    return "cached header byte " + i + " differs";
                }
            }
            if (Frames.checksum(out, 14, 20, 0) != 0 || Frames.u16(out, 16) != out.length - 14
                    || Frames.u16(out, 38) != out.length - 34 || Frames.u16(out, 40) != 0) {
                return "outer lengths/checksums";
            }
            return null;
        }
    }

    static final class IngressModel {
        static String justify(byte[] in, byte[] out) {
            HostDevice dev = dp.hostDevices.lookup(dp.nic).orElse(null);
            if (dev == null || in.length < 64 + 34) {
                return "no device / short";
            }
            if (Frames.u16(in, 12) != 0x0800 || u8(in, 14) != 0x45 || u8(in, 23) != 17
                    || (Frames.u16(in, 20) & 0x3fff) != 0 || Frames.u16(in, 36) != Topology.VXLAN_PORT) {
                return "not our VXLAN";
            }
            if (!Arrays.equals(Arrays.copyOf(in, 6), dev.mac().bytes()) || !ipAt(in, 30).equals(dev.address())) {
                return "not addressed to this NIC";
            }
            if (Frames.u16(in, 16) != in.length - 14 || Frames.u16(in, 38) != in.length - 34
                    || Frames.checksum(in, 14, 20, 0) != 0) {
                return "outer lengths/checksum";
            }
            if (Frames.u32(in, 42) != 0x08000000L || Frames.u32(in, 46) != ((long) Topology.VNI << 8)) {
                return "VXLAN header";
            }
            if (dp.egressHeaders.lookup(ipAt(in, 26)).isEmpty()) {
                return "unknown remote host";
            }
            String why = ineligible(in, 50, in.length - 64);
            if (why != null) {
                return "inner " + why;
            }
            FlowKey key = flowOf(in, 64, false);
            Endpoint ep = dp.endpoints.lookup(key.localAddress()).orElse(null);
            if (ep == null || (ep.flags() & Endpoint.MACS_KNOWN) != Endpoint.MACS_KNOWN) {
                return "endpoint";
            }
            if (!dp.filter.lookup(key).map(FilterEntry::allowsFastPath).orElse(false)) {
                return "filter";
            }
            byte[] expected = Arrays.copyOfRange(routed(in, 64), 50, in.length);
            System.arraycopy(ep.containerMac().bytes(), 0, expected, 0, 6);
            System.arraycopy(ep.gatewayMac().bytes(), 0, expected, 6, 6);
            return Arrays.equals(expected, out) ? null : "delivered frame differs";
        }
    }
}
