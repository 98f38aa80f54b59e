package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;

/** StructCodec places fields like a C compiler and refuses a layout that needs padding it was not given. */
class StructLayoutsFollowCAlignment {
    record Pair(long a, int b) {
    }

    @Test
    void theTestStructs() {
        assertEquals(8, TestKey.CODEC.size());
        assertEquals(List.of(new StructCodec.Field("addr", 0, 4), new StructCodec.Field("port", 4, 2),
                new StructCodec.Field("proto", 6, 1)), TestKey.CODEC.fields());
        assertEquals(32, TestValue.CODEC.size());
        assertEquals(8, TestValue.CODEC.alignment());
        assertEquals(List.of(0, 8, 16, 20), TestValue.CODEC.fields().stream().map(StructCodec.Field::offset).toList());
    }

    @Test
    void aMisalignedFieldNamesTheMissingPadding() {
        var b = StructCodec.<Pair>builder("pair");
        b.field("b", Codecs.u32(), Pair::b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.field("a", Codecs.u64(), Pair::a));
        assertTrue(e.getMessage().contains("add pad(4) before it"), e.getMessage());
    }

    @Test
    void aMissingTailPaddingIsNamed() {
        var b = StructCodec.<Pair>builder("pair");
        var a = b.field("a", Codecs.u64(), Pair::a);
        var bb = b.field("b", Codecs.u32(), Pair::b);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.build(v -> new Pair(v.get(a), v.get(bb))));
        assertTrue(e.getMessage().contains("add pad(4) at the end"), e.getMessage());
        StructCodec<Pair> ok = b.pad(4).build(v -> new Pair(v.get(a), v.get(bb)));
        assertEquals(16, ok.size());
    }
}
