package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * An IPv4 address is written most significant byte first (as in a packet) in any buffer, and its text form
 * round-trips; likewise MAC addresses in wire order.
 */
class AddressesAreInNetworkByteOrder {
    @Property
    void ipv4BytesAreBigEndian(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
                               @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d,
                               @ForAll boolean bigBuffer) {
        Ipv4Address ip = Ipv4Address.of(a, b, c, d);
        ByteBuffer buf = ByteBuffer.allocate(4).order(bigBuffer ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        Codecs.ipv4().encode(ip, buf, 0);
        assertArrayEquals(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, buf.array());
        assertArrayEquals(buf.array(), ip.bytes());
        assertEquals(a + "." + b + "." + c + "." + d, ip.toString());
        assertEquals(ip, Ipv4Address.parse(ip.toString()));
        assertEquals(ip, Ipv4Address.fromBytes(ip.bytes()));
    }

    @Property
    void macBytesAreInWireOrder(@ForAll @LongRange(max = 0xffff_ffff_ffffL) long v) {
        MacAddress mac = new MacAddress(v);
        ByteBuffer buf = ByteBuffer.allocate(6);
        Codecs.mac().encode(mac, buf, 0);
        assertArrayEquals(mac.bytes(), buf.array());
        assertEquals((byte) (v >>> 40), buf.get(0));
        assertEquals(mac, MacAddress.parse(mac.toString()));
        assertEquals(mac, MacAddress.fromBytes(mac.bytes()));
    }

    @Test
    void textForms() {
        assertEquals(0x0a000001, Ipv4Address.parse("10.0.0.1").value());
        assertEquals("02:42:ac:11:00:02", MacAddress.parse("02-42-AC-11-00-02").toString());
        for (String bad : new String[] {"10.0.0", "10.0.0.256", "10.0.0.-1", "a.b.c.d", "10..0.1", "1.2.3.4.5", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad), bad);
        }
        for (String bad : new String[] {"02:42:ac:11:00", "02:42:ac:11:00:0g", "0242ac110002"}) {
            assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
        }
    }
}
