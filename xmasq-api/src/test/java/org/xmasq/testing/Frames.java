package org.xmasq.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Builds Ethernet frames for datapath tests: IPv4 (with options and fragment bits), TCP, UDP, ICMP echo, VXLAN, ARP
 * and IPv6. Checksums are computed as a sender would. Addresses are given as dotted strings and "aa:bb:..." MACs.
 */
public final class Frames {
    public static final int ETH_HLEN = 14;
    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    private Frames() {
    }

    public static byte[] mac(String mac) {
        String[] p = mac.split(":");
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return b;
    }

    public static byte[] ip(String ip) {
        String[] p = ip.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            b[i] = (byte) Integer.parseInt(p[i]);
        }
        return b;
    }

    /** Ethernet header + payload. */
    public static byte[] ethernet(String dst, String src, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(ETH_HLEN + payload.length);
        b.put(mac(dst)).put(mac(src)).putShort((short) etherType).put(payload);
        return b.array();
    }

    /** The Internet checksum (RFC 1071) of {@code len} bytes at {@code off}, folded and complemented. */
    public static int checksum(byte[] data, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((data[off + i] & 0xff) << 8) | (data[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (data[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** An IPv4 header builder; {@link #build(byte[])} returns header + payload with the header checksum set. */
    public static final class Ipv4 {
        private final String src;
        private final String dst;
        private final int proto;
        private int ttl = 64;
        private int tos;
        private int id = 0x1234;
        private boolean dontFragment = true;
        private boolean moreFragments;
        private int fragmentOffset;
        private byte[] options = new byte[0];

        public Ipv4(String src, String dst, int proto) {
            this.src = src;
            this.dst = dst;
            this.proto = proto;
        }

        public Ipv4 ttl(int v) { ttl = v; return this; }
        public Ipv4 tos(int v) { tos = v; return this; }
        public Ipv4 id(int v) { id = v; return this; }
        public Ipv4 dontFragment(boolean v) { dontFragment = v; return this; }
        public Ipv4 moreFragments(boolean v) { moreFragments = v; return this; }
        /** In 8-byte units. */
        public Ipv4 fragmentOffset(int v) { fragmentOffset = v; return this; }
        /** Raw options; padded to a multiple of 4 bytes. */
        public Ipv4 options(byte[] v) {
            options = new byte[(v.length + 3) & ~3];
            System.arraycopy(v, 0, options, 0, v.length);
            return this;
        }

        public byte[] build(byte[] payload) {
            int hlen = 20 + options.length;
            byte[] p = new byte[hlen + payload.length];
            ByteBuffer b = ByteBuffer.wrap(p);
            int frag = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset & 0x1fff);
            b.put((byte) (0x40 | hlen / 4)).put((byte) tos).putShort((short) p.length).putShort((short) id)
                    .putShort((short) frag).put((byte) ttl).put((byte) proto).putShort((short) 0)
                    .put(ip(src)).put(ip(dst)).put(options).put(payload);
            int c = checksum(p, 0, hlen, 0);
            p[10] = (byte) (c >> 8);
            p[11] = (byte) c;
            return p;
        }
    }

    private static long pseudoHeaderSum(String src, String dst, int proto, int len) {
        byte[] s = ip(src);
        byte[] d = ip(dst);
        long sum = 0;
        sum += ((s[0] & 0xff) << 8 | (s[1] & 0xff)) + ((s[2] & 0xff) << 8 | (s[3] & 0xff));
        sum += ((d[0] & 0xff) << 8 | (d[1] & 0xff)) + ((d[2] & 0xff) << 8 | (d[3] & 0xff));
        return sum + proto + len;
    }

    /** A UDP datagram with its checksum over the IPv4 pseudo-header (0 when {@code withChecksum} is false). */
    public static byte[] udp(String src, String dst, int sport, int dport, byte[] payload, boolean withChecksum) {
        byte[] u = new byte[8 + payload.length];
        ByteBuffer.wrap(u).putShort((short) sport).putShort((short) dport).putShort((short) u.length)
                .putShort((short) 0).put(payload);
        if (withChecksum) {
            int c = checksum(u, 0, u.length, pseudoHeaderSum(src, dst, IPPROTO_UDP, u.length));
            if (c == 0) {
                c = 0xffff;
            }
            u[6] = (byte) (c >> 8);
            u[7] = (byte) c;
        }
        return u;
    }

    /** A TCP segment (20-byte header, given flags, window 64240) with its checksum. */
    public static byte[] tcp(String src, String dst, int sport, int dport, int flags, byte[] payload) {
        byte[] t = new byte[20 + payload.length];
        ByteBuffer.wrap(t).putShort((short) sport).putShort((short) dport).putInt(1000).putInt(0)
                .put((byte) 0x50).put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0)
                .put(payload);
        int c = checksum(t, 0, t.length, pseudoHeaderSum(src, dst, IPPROTO_TCP, t.length));
        t[16] = (byte) (c >> 8);
        t[17] = (byte) c;
        return t;
    }

    /** An ICMP echo request. */
    public static byte[] icmpEcho(int id, int seq, byte[] payload) {
        byte[] m = new byte[8 + payload.length];
        ByteBuffer.wrap(m).put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id)
                .putShort((short) seq).put(payload);
        int c = checksum(m, 0, m.length, 0);
        m[2] = (byte) (c >> 8);
        m[3] = (byte) c;
        return m;
    }

    /** An Ethernet + IPv4 + UDP frame. */
    public static byte[] udpFrame(String dstMac, String srcMac, String src, String dst, int sport, int dport,
                                  byte[] payload) {
        return ethernet(dstMac, srcMac, 0x0800,
                new Ipv4(src, dst, IPPROTO_UDP).build(udp(src, dst, sport, dport, payload, true)));
    }

    /** An Ethernet + IPv4 + TCP frame. */
    public static byte[] tcpFrame(String dstMac, String srcMac, String src, String dst, int sport, int dport,
                                  int flags, byte[] payload) {
        return ethernet(dstMac, srcMac, 0x0800,
                new Ipv4(src, dst, IPPROTO_TCP).build(tcp(src, dst, sport, dport, flags, payload)));
    }

    /** The 8-byte VXLAN header with the I flag and {@code vni}. */
    public static byte[] vxlanHeader(int vni) {
        return ByteBuffer.allocate(8).putInt(0x08000000).putInt(vni << 8).array();
    }

    /**
     * An outer Ethernet + IPv4 (DF, TTL 64, no options) + UDP (checksum 0) + VXLAN frame around {@code inner} (an
     * Ethernet frame), as the kernel's VXLAN device sends it.
     */
    public static byte[] vxlanFrame(String dstMac, String srcMac, String src, String dst, int sport, int dport,
                                    int vni, byte[] inner) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(vxlanHeader(vni));
        payload.writeBytes(inner);
        return ethernet(dstMac, srcMac, 0x0800,
                new Ipv4(src, dst, IPPROTO_UDP).id(0).build(udp(src, dst, sport, dport, payload.toByteArray(), false)));
    }

    /** An ARP request frame (broadcast). */
    public static byte[] arpRequest(String srcMac, String senderIp, String targetIp) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1)
                .put(mac(srcMac)).put(ip(senderIp)).put(new byte[6]).put(ip(targetIp));
        return ethernet("ff:ff:ff:ff:ff:ff", srcMac, 0x0806, b.array());
    }

    /** A minimal IPv6 + UDP frame (checksum left 0; only the ethertype and header matter to the datapath). */
    public static byte[] ipv6UdpFrame(String dstMac, String srcMac) {
        ByteBuffer b = ByteBuffer.allocate(40 + 8 + 4);
        b.putInt(0x60000000).putShort((short) 12).put((byte) 17).put((byte) 64);
        b.put(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        b.put(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        b.putShort((short) 1000).putShort((short) 2000).putShort((short) 12).putShort((short) 0).putInt(0xdeadbeef);
        return ethernet(dstMac, srcMac, 0x86dd, b.array());
    }

    /** Unsigned 16-bit big-endian field at {@code off}. */
    public static int u16(byte[] f, int off) {
        return ((f[off] & 0xff) << 8) | (f[off + 1] & 0xff);
    }

    /** Unsigned 32-bit big-endian field at {@code off}. */
    public static long u32(byte[] f, int off) {
        return ((long) u16(f, off) << 16) | u16(f, off + 2);
    }
}
