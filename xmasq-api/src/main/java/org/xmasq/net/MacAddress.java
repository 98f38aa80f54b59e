package org.xmasq.net;

import java.util.Objects;

/** An Ethernet MAC address; {@link #value()} holds its 48 bits, first byte on the wire most significant. */
public record MacAddress(long value) {
    public static final MacAddress ZERO = new MacAddress(0);
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(value));
        }
    }

    /** Parses "aa:bb:cc:dd:ee:ff" (also with '-' separators, any case). */
    public static MacAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || Character.digit(p.charAt(0), 16) < 0 || Character.digit(p.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            v = v << 8 | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    /** From 6 bytes in wire order. */
    public static MacAddress fromBytes(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        long v = 0;
        for (byte b : bytes) {
            v = v << 8 | (b & 0xff);
        }
        return new MacAddress(v);
    }

    /** The 6 bytes in wire order. */
    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    public boolean isMulticast() {
        return (value >>> 40 & 1) != 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            int b = (int) (value >>> (40 - 8 * i)) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
