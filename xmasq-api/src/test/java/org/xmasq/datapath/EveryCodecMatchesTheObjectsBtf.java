package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xmasq.bpf.Codec;
import org.xmasq.bpf.MapSpec;
import org.xmasq.bpf.StructCodec;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * Every Java codec of a map key or value, the .rodata configuration and the counters mirror the loaded object's
 * BTF: struct size, every member's name, offset and size in order; every .rodata variable's offset; every
 * enum xmasq_stat name and value; and each map's key and value size.
 */
class EveryCodecMatchesTheObjectsBtf extends KernelTest {
    static Btf btf;

    @BeforeAll
    static void readBtf() {
        btf = Btf.of(dp.program(DatapathObject.EGRESS_FAST_PATH));
    }

    static Stream<StructCodec<?>> structCodecs() {
        return Stream.of(Endpoint.CODEC, EgressHost.CODEC, EgressHeader.CODEC, FlowKey.CODEC, FilterEntry.CODEC,
                HostDevice.CODEC);
    }

    private static List<String> javaLayout(StructCodec<?> codec) {
        List<String> out = new ArrayList<>();
        codec.fields().forEach(f -> out.add(f.name() + "@" + f.offset() + "+" + f.size()));
        return out;
    }

    @ParameterizedTest(name = "struct {0}")
    @MethodSource("structCodecs")
    void theStructLayoutIsTheObjects(StructCodec<?> codec) {
        assertEquals(btf.structSize(codec.name()), codec.size(), "sizeof(struct " + codec.name() + ")");
        List<String> c = new ArrayList<>();
        for (Btf.Member m : btf.structMembers(codec.name())) {
            if (!m.name().equals("pad")) { // explicit padding: the codec zero-fills it instead of naming it
                c.add(m.name() + "@" + m.offset() + "+" + m.size());
            }
        }
        assertEquals(c, javaLayout(codec));
    }

    @Test
    void theRodataCodecPlacesEveryVariable() {
        assertEquals(btf.datasecSize(".rodata"), DatapathConfig.RODATA.size());
        List<String> c = new ArrayList<>();
        btf.datasecVariables(".rodata").forEach(v -> c.add(v.name() + "@" + v.offset() + "+" + v.size()));
        assertEquals(c, javaLayout(DatapathConfig.RODATA));
    }

    @Test
    void theCountersAreTheEnum() {
        Map<String, Long> java = new LinkedHashMap<>();
        for (Stat s : Stat.values()) {
            java.put(s.cName(), (long) s.index());
        }
        java.put("STAT_COUNT", (long) Stat.COUNT);
        assertEquals(btf.enumValues("xmasq_stat"), java);
        assertEquals(Stat.COUNT, Stat.values().length);
    }

    @Test
    void everyMapHasTheCodecsSizes() {
        Map<String, int[]> expected = Map.of(
                DatapathObject.ENDPOINTS, new int[] {DatapathObject.IPV4_KEY.size(), Endpoint.CODEC.size()},
                DatapathObject.EGRESS_HOSTS, new int[] {DatapathObject.IPV4_KEY.size(), EgressHost.CODEC.size()},
                DatapathObject.EGRESS_HEADERS, new int[] {DatapathObject.IPV4_KEY.size(), EgressHeader.CODEC.size()},
                DatapathObject.FILTER_CACHE, new int[] {FlowKey.CODEC.size(), FilterEntry.CODEC.size()},
                DatapathObject.HOST_DEVICES, new int[] {DatapathObject.IFINDEX_KEY.size(), HostDevice.CODEC.size()},
                DatapathObject.STATS, new int[] {DatapathObject.STAT_KEY.size(), DatapathObject.COUNTER.size()});
        Map<String, String> actual = new LinkedHashMap<>();
        Map<String, String> wanted = new LinkedHashMap<>();
        for (MapSpec m : dp.object.maps()) {
            if (!m.internal()) {
                actual.put(m.name(), m.keySize() + "->" + m.valueSize());
            }
        }
        expected.forEach((k, v) -> wanted.put(k, v[0] + "->" + v[1]));
        assertEquals(new java.util.TreeMap<>(wanted), new java.util.TreeMap<>(actual));
        assertEquals(Stat.COUNT, dp.object.maps().stream().filter(m -> m.name().equals(DatapathObject.STATS))
                .findFirst().orElseThrow().maxEntries());
    }

    @Test
    void networkOrderFieldsAreBigEndianAndTheOthersNative() {
        // The BTF says which members are __be: check the codecs write those big-endian and the rest in host order.
        Map<String, String> typedefs = new LinkedHashMap<>();
        btf.structMembers("xmasq_flow_key").forEach(m -> typedefs.put("flow_key." + m.name(), m.typedef()));
        btf.structMembers("xmasq_host_device").forEach(m -> typedefs.put("host_device." + m.name(), m.typedef()));
        btf.structMembers("xmasq_endpoint").forEach(m -> typedefs.put("endpoint." + m.name(), m.typedef()));
        assertEquals("__be32", typedefs.get("flow_key.local_addr"));
        assertEquals("__be16", typedefs.get("flow_key.local_port"));
        assertEquals("__u16", typedefs.get("host_device.vxlan_port"));
        assertEquals("__u32", typedefs.get("host_device.vni"));
        assertEquals("__u32", typedefs.get("endpoint.ifindex"));

        assertArrayEquals(HexFormat.of().parseHex("0af401020af40205" + "9c400035" + "11000000"),
                encode(FlowKey.CODEC, Topology.C1_R));
        assertArrayEquals(HexFormat.of().parseHex("c0a83201" + "02000000aa01" + "b512" + "07000000"),
                encode(HostDevice.CODEC, new HostDevice(Ipv4Address.parse("192.168.50.1"),
                        MacAddress.parse("02:00:00:00:aa:01"), 4789, 7)));
        assertArrayEquals(HexFormat.of().parseHex("05000000" + "02420af40102" + "02420af40101" + "03000000"),
                encode(Endpoint.CODEC, new Endpoint(5, Topology.C1_MAC, Topology.GATEWAY_MAC, 3)));
    }

    private static <T> byte[] encode(Codec<T> codec, T value) {
        ByteBuffer b = ByteBuffer.allocate(codec.size());
        codec.encode(value, b, 0);
        return b.array();
    }
}
