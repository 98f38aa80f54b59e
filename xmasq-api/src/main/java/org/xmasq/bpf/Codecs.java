package org.xmasq.bpf;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * Codecs for the scalar C types and the SDK's address records. "Native" integers use the CPU's byte order (what a
 * BPF program sees in a __u32 it computes with); "network" ones are big-endian (addresses and ports as they are in
 * packets).
 */
public final class Codecs {
    private Codecs() {
    }

    private record Simple<T>(String name, int size, int alignment, Encoder<T> encoder, Decoder<T> decoder)
            implements Codec<T> {
        @Override
        public void encode(T value, ByteBuffer buf, int offset) {
            encoder.encode(Objects.requireNonNull(value, name), buf, offset);
        }

        @Override
        public T decode(ByteBuffer buf, int offset) {
            return decoder.decode(buf, offset);
        }

        @Override
        public String toString() {
            return name + "(" + size + " bytes)";
        }
    }

    private interface Encoder<T> {
        void encode(T value, ByteBuffer buf, int offset);
    }

    private interface Decoder<T> {
        T decode(ByteBuffer buf, int offset);
    }

    private static final Codec<Integer> U8 = new Simple<>("u8", 1, 1,
            (v, b, o) -> b.put(o, (byte) checkRange(v, 0xff, "u8")), (b, o) -> b.get(o) & 0xff);
    private static final Codec<Integer> U16 = new Simple<>("u16", 2, 2,
            (v, b, o) -> Bytes.putShortNative(b, o, (short) checkRange(v, 0xffff, "u16")),
            (b, o) -> Bytes.getShortNative(b, o) & 0xffff);
    private static final Codec<Integer> U16_NETWORK = new Simple<>("be16", 2, 2,
            (v, b, o) -> Bytes.putShortBig(b, o, (short) checkRange(v, 0xffff, "be16")),
            (b, o) -> Bytes.getShortBig(b, o) & 0xffff);
    private static final Codec<Integer> U32 = new Simple<>("u32", 4, 4, (v, b, o) -> Bytes.putIntNative(b, o, v),
            Bytes::getIntNative);
    private static final Codec<Integer> U32_NETWORK = new Simple<>("be32", 4, 4,
            (v, b, o) -> Bytes.putIntBig(b, o, v), Bytes::getIntBig);
    private static final Codec<Long> U64 = new Simple<>("u64", 8, 8, (v, b, o) -> Bytes.putLongNative(b, o, v),
            Bytes::getLongNative);
    private static final Codec<Ipv4Address> IPV4 = new Simple<>("Ipv4Address", 4, 4,
            (v, b, o) -> Bytes.putIntBig(b, o, v.value()), (b, o) -> new Ipv4Address(Bytes.getIntBig(b, o)));
    private static final Codec<MacAddress> MAC = new Simple<>("MacAddress", 6, 1,
            (v, b, o) -> {
                long x = v.value();
                for (int i = 0; i < 6; i++) {
                    b.put(o + i, (byte) (x >>> (40 - 8 * i)));
                }
            },
            (b, o) -> {
                long x = 0;
                for (int i = 0; i < 6; i++) {
                    x = x << 8 | (b.get(o + i) & 0xff);
                }
                return new MacAddress(x);
            });

    private static int checkRange(int v, int max, String type) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(type + " holds 0.." + max + ", not " + v);
        }
        return v;
    }

    /** __u8, as an int 0..255. */
    public static Codec<Integer> u8() {
        return U8;
    }

    /** __u16 in native order, as an int 0..65535. */
    public static Codec<Integer> u16() {
        return U16;
    }

    /** __be16 (a port in a packet), as an int 0..65535. */
    public static Codec<Integer> u16Network() {
        return U16_NETWORK;
    }

    /** __u32 in native order (the int's bits; read it unsigned with Integer.toUnsignedLong). */
    public static Codec<Integer> u32() {
        return U32;
    }

    /** __be32. */
    public static Codec<Integer> u32Network() {
        return U32_NETWORK;
    }

    /** __u64 in native order. */
    public static Codec<Long> u64() {
        return U64;
    }

    /** An IPv4 address as a __be32 (network order). */
    public static Codec<Ipv4Address> ipv4() {
        return IPV4;
    }

    /** A MAC address as __u8[6] in wire order. */
    public static Codec<MacAddress> mac() {
        return MAC;
    }

    /** A fixed-size byte array (__u8[size]); encoding checks the length. */
    public static Codec<byte[]> bytes(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0");
        }
        return new Simple<>("u8[" + size + "]", size, 1, (v, b, o) -> {
            if (v.length != size) {
                throw new IllegalArgumentException("u8[" + size + "] needs " + size + " bytes, got " + v.length);
            }
            b.put(o, v, 0, size);
        }, (b, o) -> {
            byte[] out = new byte[size];
            b.get(o, out, 0, size);
            return out;
        });
    }
}
