package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.net.Ipv4Address;

/**
 * Padding is part of a hash key: struct codecs write zeros into their padding even over a dirty buffer, and map
 * handles zero the scratch before a codec that skips bytes encodes into it.
 */
class PaddingIsZeroInEveryKeyWeWrite {
    @Property
    void structPaddingIsZeroOverGarbage(@ForAll int addr, @ForAll @IntRange(max = 65535) int port,
                                        @ForAll @IntRange(max = 255) int proto, @ForAll byte garbage) {
        ByteBuffer buf = ByteBuffer.allocate(8);
        for (int i = 0; i < 8; i++) {
            buf.put(i, garbage == 0 ? (byte) 0xff : garbage);
        }
        TestKey.CODEC.encode(new TestKey(new Ipv4Address(addr), port, proto), buf, 0);
        assertEquals(0, buf.get(7), "the pad byte of test_key");
    }

    /** Writes all 4 bytes as 0xff once, then only the low 2 bytes: what a codec that skips padding does. */
    private static final class SkippingCodec implements Codec<Integer> {
        private boolean first = true;

        @Override
        public int size() {
            return 4;
        }

        @Override
        public void encode(Integer value, ByteBuffer buf, int offset) {
            if (first) {
                buf.putInt(offset, -1);
                first = false;
                return;
            }
            buf.put(offset, (byte) (int) value);
            buf.put(offset + 1, (byte) (value >> 8));
        }

        @Override
        public Integer decode(ByteBuffer buf, int offset) {
            return buf.getInt(offset);
        }
    }

    @Property(tries = 50)
    void mapHandlesZeroTheScratchBeforeEncoding(@ForAll @IntRange(max = 65535) int key) {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> skipping = o.map("test_lru", new SkippingCodec(), Codecs.u64());
            skipping.put(0, 1L); // leaves 0xffffffff in the key scratch
            skipping.put(key, 2L);
            BpfMap<Integer, Long> plain = o.map("test_lru", Codecs.u32(), Codecs.u64());
            List<Integer> keys = plain.keys();
            int written = keys.get(keys.size() - 1);
            assertEquals(0, written & (java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN
                    ? 0xffff0000 : 0x0000ffff), "bytes 2..3 are zero: " + Integer.toHexString(written));
        }
    }
}
