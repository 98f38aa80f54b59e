package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.bpf.support.BtfStructs;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;

/** Every struct codec has the size and field offsets clang gave the C struct, as the object's BTF records them. */
class StructCodecsMatchTheObjectsBtf {
    private final BtfStructs btf = BtfStructs.ofResource(KernelObjects.TEST);

    @Test
    void testKeyAndTestValue() {
        assertEquals(List.of(), btf.differences(TestKey.CODEC));
        assertEquals(List.of(), btf.differences(TestValue.CODEC));
    }

    record Wrong(long packets, int ifindex) {
    }

    @Test
    void aWrongLayoutIsReported() {
        var b = StructCodec.<Wrong>builder("test_value");
        var packets = b.field("packets", Codecs.u64(), Wrong::packets);
        var ifindex = b.field("ifindex", Codecs.u32(), Wrong::ifindex);
        StructCodec<Wrong> wrong = b.pad(4).build(v -> new Wrong(v.get(packets), v.get(ifindex)));
        List<String> diffs = btf.differences(wrong);
        assertFalse(diffs.isEmpty());
        assertEquals(List.of("size: BTF 32, codec 16", "field ifindex: BTF offset 16, codec 8",
                "member bytes: in BTF, not in the codec", "member mac: in BTF, not in the codec"), diffs);
    }
}
