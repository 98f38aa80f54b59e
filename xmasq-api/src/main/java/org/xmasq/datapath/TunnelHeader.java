package org.xmasq.datapath;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.xmasq.bpf.Codec;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * The 64 bytes level 2 of the egress cache holds per remote host, exactly as on the wire: outer Ethernet (14),
 * outer IPv4 without options (20), UDP (8), VXLAN (8) and the inner Ethernet header (14). The egress learner copies
 * them from a VXLAN packet the overlay sent; the egress fast path reuses them, patching only the per-packet fields
 * (IPv4 total length, id, ECN, checksum; UDP length, source port, checksum).
 *
 * <p>Immutable; the accessors parse the fields. {@link #vxlan} builds a header like the kernel's VXLAN device would.
 */
public final class TunnelHeader {
    /** EGRESS_HEADER_LEN. */
    public static final int SIZE = 64;

    /** Offsets in the header (and in every VXLAN frame). */
    public static final int OUTER_DST_MAC = 0;
    public static final int OUTER_SRC_MAC = 6;
    public static final int OUTER_ETHER_TYPE = 12;
    public static final int OUTER_IPV4 = 14;
    public static final int OUTER_TOS = 15;
    public static final int OUTER_TOTAL_LENGTH = 16;
    public static final int OUTER_ID = 18;
    public static final int OUTER_FRAG_OFF = 20;
    public static final int OUTER_TTL = 22;
    public static final int OUTER_PROTOCOL = 23;
    public static final int OUTER_CHECKSUM = 24;
    public static final int OUTER_SRC_ADDR = 26;
    public static final int OUTER_DST_ADDR = 30;
    public static final int UDP = 34;
    public static final int UDP_SRC_PORT = 34;
    public static final int UDP_DST_PORT = 36;
    public static final int UDP_LENGTH = 38;
    public static final int UDP_CHECKSUM = 40;
    public static final int VXLAN = 42;
    public static final int VXLAN_VNI = 46;
    public static final int INNER_DST_MAC = 50;
    public static final int INNER_SRC_MAC = 56;
    public static final int INNER_ETHER_TYPE = 62;

    /** What VXLAN-over-IPv4 encapsulation adds in front of the inner frame. */
    public static final int ENCAP_LEN = 50;

    /** u8[64], the {@code bytes} member of {@code struct xmasq_egress_header}. */
    public static final Codec<TunnelHeader> CODEC = new Codec<>() {
        @Override
        public int size() {
            return SIZE;
        }

        @Override
        public void encode(TunnelHeader value, ByteBuffer buf, int offset) {
            buf.put(offset, value.bytes, 0, SIZE);
        }

        @Override
        public TunnelHeader decode(ByteBuffer buf, int offset) {
            byte[] b = new byte[SIZE];
            buf.get(offset, b, 0, SIZE);
            return new TunnelHeader(b);
        }

        @Override
        public String name() {
            return "u8[64]";
        }
    };

    private final byte[] bytes;

    private TunnelHeader(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The header from its 64 wire bytes (copied). */
    public static TunnelHeader fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("a tunnel header has " + SIZE + " bytes, not " + bytes.length);
        }
        return new TunnelHeader(bytes.clone());
    }

    /**
     * A VXLAN-over-IPv4 header as the kernel's VXLAN device produces it: DF set and IP id 0, UDP checksum 0, VXLAN
     * flags I (0x08), inner EtherType IPv4; the lengths are those of an empty inner packet (the fast path rewrites
     * them per packet) and the outer IPv4 checksum is valid for those lengths.
     */
    public static TunnelHeader vxlan(MacAddress outerDst, MacAddress outerSrc, Ipv4Address outerSrcAddr,
                                     Ipv4Address outerDstAddr, int ttl, int tos, int udpSrcPort, int udpDstPort,
                                     int vni, MacAddress innerDst, MacAddress innerSrc) {
        checkRange(ttl, 0xff, "ttl");
        checkRange(tos, 0xff, "tos");
        checkRange(udpSrcPort, 0xffff, "UDP source port");
        checkRange(udpDstPort, 0xffff, "UDP destination port");
        checkRange(vni, 0xffffff, "VNI");
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.put(outerDst.bytes()).put(outerSrc.bytes()).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) tos).putShort((short) (SIZE - OUTER_IPV4)).putShort((short) 0)
                .putShort((short) 0x4000).put((byte) ttl).put((byte) 17).putShort((short) 0)
                .put(outerSrcAddr.bytes()).put(outerDstAddr.bytes());
        b.putShort((short) udpSrcPort).putShort((short) udpDstPort).putShort((short) (SIZE - UDP)).putShort((short) 0);
        b.putInt(0x08000000).putInt(vni << 8);
        b.put(innerDst.bytes()).put(innerSrc.bytes()).putShort((short) 0x0800);
        byte[] out = b.array();
        int check = ipv4HeaderChecksum(out, OUTER_IPV4);
        out[OUTER_CHECKSUM] = (byte) (check >>> 8);
        out[OUTER_CHECKSUM + 1] = (byte) check;
        return new TunnelHeader(out);
    }

    private static void checkRange(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " is 0.." + max + ", not " + v);
        }
    }

    /** The Internet checksum of the 20-byte IPv4 header at {@code off} (0 in the result when it is correct). */
    public static int ipv4HeaderChecksum(byte[] frame, int off) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (frame[off + i] & 0xff) << 8 | (frame[off + i + 1] & 0xff);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    /** The 64 wire bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    private int u16(int off) {
        return (bytes[off] & 0xff) << 8 | (bytes[off + 1] & 0xff);
    }

    private MacAddress mac(int off) {
        return MacAddress.fromBytes(Arrays.copyOfRange(bytes, off, off + 6));
    }

    private Ipv4Address ipv4(int off) {
        return Ipv4Address.fromBytes(Arrays.copyOfRange(bytes, off, off + 4));
    }

    public MacAddress outerDestinationMac() {
        return mac(OUTER_DST_MAC);
    }

    public MacAddress outerSourceMac() {
        return mac(OUTER_SRC_MAC);
    }

    public Ipv4Address outerSourceAddress() {
        return ipv4(OUTER_SRC_ADDR);
    }

    /** The remote host's underlay address. */
    public Ipv4Address outerDestinationAddress() {
        return ipv4(OUTER_DST_ADDR);
    }

    public int outerTtl() {
        return bytes[OUTER_TTL] & 0xff;
    }

    public int outerTos() {
        return bytes[OUTER_TOS] & 0xff;
    }

    public boolean dontFragment() {
        return (u16(OUTER_FRAG_OFF) & 0x4000) != 0;
    }

    public int udpSourcePort() {
        return u16(UDP_SRC_PORT);
    }

    public int udpDestinationPort() {
        return u16(UDP_DST_PORT);
    }

    public int vni() {
        return (bytes[VXLAN_VNI] & 0xff) << 16 | (bytes[VXLAN_VNI + 1] & 0xff) << 8 | (bytes[VXLAN_VNI + 2] & 0xff);
    }

    public MacAddress innerDestinationMac() {
        return mac(INNER_DST_MAC);
    }

    public MacAddress innerSourceMac() {
        return mac(INNER_SRC_MAC);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TunnelHeader t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TunnelHeader[" + outerSourceMac() + " > " + outerDestinationMac() + ", " + outerSourceAddress() + " > "
                + outerDestinationAddress() + ", udp " + udpSourcePort() + " > " + udpDestinationPort() + ", vni "
                + vni() + ", inner " + innerSourceMac() + " > " + innerDestinationMac() + ", bytes "
                + HexFormat.of().formatHex(bytes) + "]";
    }
}
