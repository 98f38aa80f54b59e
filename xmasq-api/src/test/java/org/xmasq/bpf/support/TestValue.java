package org.xmasq.bpf.support;

import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.net.MacAddress;

/** struct test_value of xmasq_test.bpf.c: packets, bytes (u64), ifindex (u32), mac[6], pad[2], 4 bytes of tail padding (32 bytes). */
public record TestValue(long packets, long bytes, int ifindex, MacAddress mac) {
    public static final StructCodec<TestValue> CODEC;

    static {
        var b = StructCodec.<TestValue>builder("test_value");
        var packets = b.field("packets", Codecs.u64(), TestValue::packets);
        var bytes = b.field("bytes", Codecs.u64(), TestValue::bytes);
        var ifindex = b.field("ifindex", Codecs.u32(), TestValue::ifindex);
        var mac = b.field("mac", Codecs.mac(), TestValue::mac);
        b.pad(6); // pad[2] in C, then 4 bytes the compiler adds to reach a multiple of 8
        CODEC = b.build(v -> new TestValue(v.get(packets), v.get(bytes), v.get(ifindex), v.get(mac)));
    }

    public static TestValue of(long n) {
        return new TestValue(n, n * 100, (int) n + 1, new MacAddress(0x02_00_00_00_00_00L | n));
    }
}
