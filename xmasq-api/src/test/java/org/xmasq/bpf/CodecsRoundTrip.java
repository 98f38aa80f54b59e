package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.xmasq.bpf.support.TestKey;
import org.xmasq.bpf.support.TestValue;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/** decode(encode(x)) == x for every codec, at any offset, whatever byte order the buffer is set to. */
class CodecsRoundTrip {
    private static <T> T roundTrip(Codec<T> codec, T value, int offset, boolean bigEndianBuffer) {
        ByteBuffer buf = ByteBuffer.allocate(offset + codec.size() + 3)
                .order(bigEndianBuffer ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        codec.encode(value, buf, offset);
        // the buffer's order must not matter: read it back through a buffer set to the other order
        ByteBuffer other = buf.duplicate().order(bigEndianBuffer ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        return codec.decode(other, offset);
    }

    @Property
    void scalars(@ForAll @IntRange(max = 255) int u8, @ForAll @IntRange(max = 65535) int u16, @ForAll int u32,
                 @ForAll long u64, @ForAll @IntRange(max = 16) int offset, @ForAll boolean big) {
        assertEquals(u8, roundTrip(Codecs.u8(), u8, offset, big));
        assertEquals(u16, roundTrip(Codecs.u16(), u16, offset, big));
        assertEquals(u16, roundTrip(Codecs.u16Network(), u16, offset, big));
        assertEquals(u32, roundTrip(Codecs.u32(), u32, offset, big));
        assertEquals(u32, roundTrip(Codecs.u32Network(), u32, offset, big));
        assertEquals(u64, roundTrip(Codecs.u64(), u64, offset, big));
    }

    @Property
    void addresses(@ForAll int ip, @ForAll @LongRange(max = 0xffff_ffff_ffffL) long mac,
                   @ForAll @IntRange(max = 16) int offset, @ForAll boolean big) {
        assertEquals(new Ipv4Address(ip), roundTrip(Codecs.ipv4(), new Ipv4Address(ip), offset, big));
        assertEquals(new MacAddress(mac), roundTrip(Codecs.mac(), new MacAddress(mac), offset, big));
    }

    @Property
    void byteArrays(@ForAll @Size(12) byte[] bytes, @ForAll @IntRange(max = 16) int offset, @ForAll boolean big) {
        assertArrayEquals(bytes, roundTrip(Codecs.bytes(12), bytes, offset, big));
    }

    @Property
    void structs(@ForAll int addr, @ForAll @IntRange(max = 65535) int port, @ForAll @IntRange(max = 255) int proto,
                 @ForAll long packets, @ForAll long bytes, @ForAll int ifindex,
                 @ForAll @LongRange(max = 0xffff_ffff_ffffL) long mac, @ForAll boolean big) {
        TestKey k = new TestKey(new Ipv4Address(addr), port, proto);
        TestValue v = new TestValue(packets, bytes, ifindex, new MacAddress(mac));
        assertEquals(k, roundTrip(TestKey.CODEC, k, 5, big));
        assertEquals(v, roundTrip(TestValue.CODEC, v, 3, big));
    }
}
