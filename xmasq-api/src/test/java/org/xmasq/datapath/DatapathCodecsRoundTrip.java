package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.xmasq.bpf.Codec;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.testing.Frames;

/**
 * Pure unit properties of the datapath records (no kernel): every codec decodes what it encoded, padding is written
 * as zeros over whatever the buffer held, a built tunnel header is a valid VXLAN header, and the configuration
 * refuses values the C code cannot honour.
 */
class DatapathCodecsRoundTrip {
    private static <T> T roundTrip(Codec<T> codec, T value, byte fill) {
        ByteBuffer b = ByteBuffer.allocate(codec.size() + 8);
        Arrays.fill(b.array(), fill);
        codec.encode(value, b, 4);
        return codec.decode(b, 4);
    }

    private static Arbitrary<Ipv4Address> ipv4() {
        return Arbitraries.integers().map(Ipv4Address::new);
    }

    private static Arbitrary<MacAddress> mac() {
        return Arbitraries.longs().between(0, 0xffff_ffff_ffffL).map(MacAddress::new);
    }

    @Provide
    Arbitrary<Endpoint> endpoints() {
        return Combinators.combine(Arbitraries.integers(), mac(), mac(), Arbitraries.integers()).as(Endpoint::new);
    }

    @Provide
    Arbitrary<FlowKey> flowKeys() {
        Arbitrary<Integer> port = Arbitraries.integers().between(0, 0xffff);
        return Combinators.combine(ipv4(), ipv4(), port, port, Arbitraries.integers().between(0, 255))
                .as(FlowKey::new);
    }

    @Provide
    Arbitrary<HostDevice> hostDevices() {
        return Combinators.combine(ipv4(), mac(), Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 0xffffff)).as(HostDevice::new);
    }

    @Provide
    Arbitrary<EgressHeader> egressHeaders() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(64), Arbitraries.integers())
                .as((b, i) -> new EgressHeader(TunnelHeader.fromBytes(b), i));
    }

    @Property(tries = 200)
    void endpointsRoundTrip(@ForAll("endpoints") Endpoint e) {
        assertEquals(e, roundTrip(Endpoint.CODEC, e, (byte) 0x5a));
    }

    @Property(tries = 200)
    void hostDevicesRoundTrip(@ForAll("hostDevices") HostDevice d) {
        assertEquals(d, roundTrip(HostDevice.CODEC, d, (byte) 0x5a));
    }

    @Property(tries = 200)
    void egressHeadersRoundTrip(@ForAll("egressHeaders") EgressHeader h) {
        assertEquals(h, roundTrip(EgressHeader.CODEC, h, (byte) 0x5a));
    }

    @Property(tries = 200)
    void smallValuesRoundTrip(@ForAll int bits, @ForAll int addr) {
        assertEquals(new FilterEntry(bits), roundTrip(FilterEntry.CODEC, new FilterEntry(bits), (byte) -1));
        EgressHost h = new EgressHost(new Ipv4Address(addr));
        assertEquals(h, roundTrip(EgressHost.CODEC, h, (byte) -1));
    }

    @Property(tries = 200)
    void flowKeysRoundTripWithZeroPadding(@ForAll("flowKeys") FlowKey k) {
        assertEquals(k, roundTrip(FlowKey.CODEC, k, (byte) 0x5a));
        ByteBuffer b = ByteBuffer.allocate(16);
        Arrays.fill(b.array(), (byte) 0xff);
        FlowKey.CODEC.encode(k, b, 0);
        assertArrayEquals(new byte[3], Arrays.copyOfRange(b.array(), 13, 16), "padding");
        assertEquals(k, k.reversed().reversed());
    }

    @Property(tries = 200)
    void theConfigurationRoundTripsThroughRodata(@ForAll @IntRange(min = 1, max = 0xffff) int port,
                                                 @ForAll @IntRange(min = 0, max = 0xffffff) int vni,
                                                 @ForAll @IntRange(min = 1, max = 0x10000) int a,
                                                 @ForAll @IntRange(min = 1, max = 0x10000) int b,
                                                 @ForAll boolean intra, @ForAll boolean est,
                                                 @ForAll boolean gso) {
        DatapathConfig c = DatapathConfig.DEFAULTS.withVxlan(port, vni).withIntraHost(intra).withRequireEst(est)
                .withSourcePortRange(Math.min(a, b), Math.max(a, b)).withIngressGso(gso);
        assertEquals(c, DatapathConfig.RODATA.decode(ByteBuffer.wrap(c.rodata()), 0));
        assertEquals(Stat.COUNT, ByteBuffer.wrap(c.rodata()).order(java.nio.ByteOrder.nativeOrder()).getInt(40));
    }

    @Property(tries = 200)
    void sourcePortsStayInTheRange(@ForAll int hash, @ForAll @IntRange(min = 1, max = 0x10000) int a,
                                   @ForAll @IntRange(min = 1, max = 0x10000) int b) {
        DatapathConfig c = DatapathConfig.DEFAULTS.withSourcePortRange(Math.min(a, b), Math.max(a, b));
        int p = c.sourcePortFor(hash);
        if (c.sportMax() <= c.sportMin()) {
            assertEquals(c.sportMin(), p);
        } else {
            assertEquals(true, p >= c.sportMin() && p < c.sportMax(), "port " + p);
        }
    }

    @Example
    void aBuiltTunnelHeaderIsAValidVxlanHeader() {
        TunnelHeader h = TunnelHeader.vxlan(Topology.REMOTE_NIC_MAC, Topology.NIC_MAC, Topology.LOCAL_HOST,
                Topology.REMOTE_HOST, 64, 0, 45000, 8472, 1, Topology.REMOTE_VTEP_MAC, Topology.VTEP_MAC);
        byte[] b = h.bytes();
        assertEquals(0, Frames.checksum(b, TunnelHeader.OUTER_IPV4, 20, 0));
        assertEquals(Topology.REMOTE_HOST, h.outerDestinationAddress());
        assertEquals(Topology.LOCAL_HOST, h.outerSourceAddress());
        assertEquals(Topology.REMOTE_NIC_MAC, h.outerDestinationMac());
        assertEquals(Topology.VTEP_MAC, h.innerSourceMac());
        assertEquals(45000, h.udpSourcePort());
        assertEquals(8472, h.udpDestinationPort());
        assertEquals(1, h.vni());
        assertEquals(true, h.dontFragment());
        // The kernel's VXLAN header for the same packet is what the overlay sends (bytes that do not vary per packet).
        byte[] wire = Topology.c1ToROnTheWire();
        for (int i : new int[] {0, 6, 12, 14, 20, 22, 23, 26, 30, 36, 42, 46, 50, 56, 62}) {
            assertEquals(wire[i], b[i], "byte " + i);
        }
    }

    @Example
    void theConfigurationRefusesWhatTheDatapathCannotHonour() {
        DatapathConfig d = DatapathConfig.DEFAULTS;
        assertThrows(IllegalArgumentException.class, () -> d.withMarks(0, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> d.withMarks(1, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> d.withMarks(1, 2, 0).withRequireEst(true));
        assertThrows(IllegalArgumentException.class, () -> d.withVxlan(0, 1));
        assertThrows(IllegalArgumentException.class, () -> d.withVxlan(8472, 1 << 24));
        assertThrows(IllegalArgumentException.class, () -> d.withSourcePortRange(2000, 1000));
        assertThrows(IllegalArgumentException.class, () -> new HostDevice(Ipv4Address.ANY, MacAddress.ZERO, 70000, 0));
        assertThrows(IllegalArgumentException.class, () -> TunnelHeader.fromBytes(new byte[63]));
    }

    @Example
    void statsAreFoundByIndex() {
        for (Stat s : Stat.values()) {
            assertEquals(s, Stat.of(s.index()));
            assertEquals("STAT_" + s.name(), s.cName());
        }
        assertThrows(IllegalArgumentException.class, () -> Stat.of(Stat.COUNT));
    }
}
