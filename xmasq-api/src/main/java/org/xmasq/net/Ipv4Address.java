package org.xmasq.net;

import java.util.Objects;

/**
 * An IPv4 address. {@link #value()} is the address as a 32-bit number (10.0.0.1 is 0x0A000001); {@link #bytes()}
 * and the BPF codec use network byte order, as every address in a BPF map key does.
 */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {
    public static final Ipv4Address ANY = new Ipv4Address(0);

    public static Ipv4Address of(int a, int b, int c, int d) {
        for (int part : new int[] {a, b, c, d}) {
            if (part < 0 || part > 255) {
                throw new IllegalArgumentException("IPv4 address parts are 0..255, not " + part);
            }
        }
        return new Ipv4Address(a << 24 | b << 16 | c << 8 | d);
    }

    /** Parses dotted-quad notation ("10.0.0.1"); never resolves names. */
    public static Ipv4Address parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            int n = Integer.parseInt(p);
            if (n > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "' (" + n + " > 255)");
            }
            v = v << 8 | n;
        }
        return new Ipv4Address(v);
    }

    /** From 4 bytes in network order. */
    public static Ipv4Address fromBytes(byte[] bytes) {
        if (bytes.length != 4) {
            throw new IllegalArgumentException("an IPv4 address has 4 bytes, not " + bytes.length);
        }
        return new Ipv4Address((bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8
                | (bytes[3] & 0xff));
    }

    /** The 4 bytes in network order. */
    public byte[] bytes() {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public int compareTo(Ipv4Address o) {
        return Integer.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + (value >>> 16 & 0xff) + "." + (value >>> 8 & 0xff) + "." + (value & 0xff);
    }
}
