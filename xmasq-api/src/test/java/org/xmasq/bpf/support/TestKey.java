package org.xmasq.bpf.support;

import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.net.Ipv4Address;

/** struct test_key of xmasq_test.bpf.c: addr (be32), port (be16), proto (u8), one byte of padding. */
public record TestKey(Ipv4Address addr, int port, int proto) {
    public static final StructCodec<TestKey> CODEC;

    static {
        var b = StructCodec.<TestKey>builder("test_key");
        var addr = b.field("addr", Codecs.ipv4(), TestKey::addr);
        var port = b.field("port", Codecs.u16Network(), TestKey::port);
        var proto = b.field("proto", Codecs.u8(), TestKey::proto);
        b.pad(1);
        CODEC = b.build(v -> new TestKey(v.get(addr), v.get(port), v.get(proto)));
    }

    public static TestKey of(String addr, int port, int proto) {
        return new TestKey(Ipv4Address.parse(addr), port, proto);
    }
}
