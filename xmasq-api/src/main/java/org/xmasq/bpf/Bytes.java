package org.xmasq.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Byte-order-explicit absolute reads and writes that ignore the buffer's own order, and zero-filling. */
final class Bytes {
    private static final boolean NATIVE_BIG = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private Bytes() {
    }

    static void zero(ByteBuffer buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            buf.putLong(i, 0L);
        }
        for (; i < end; i++) {
            buf.put(i, (byte) 0);
        }
    }

    private static boolean big(ByteBuffer buf) {
        return buf.order() == ByteOrder.BIG_ENDIAN;
    }

    static void putIntNative(ByteBuffer buf, int offset, int v) {
        buf.putInt(offset, big(buf) == NATIVE_BIG ? v : Integer.reverseBytes(v));
    }

    static int getIntNative(ByteBuffer buf, int offset) {
        int v = buf.getInt(offset);
        return big(buf) == NATIVE_BIG ? v : Integer.reverseBytes(v);
    }

    static void putLongNative(ByteBuffer buf, int offset, long v) {
        buf.putLong(offset, big(buf) == NATIVE_BIG ? v : Long.reverseBytes(v));
    }

    static long getLongNative(ByteBuffer buf, int offset) {
        long v = buf.getLong(offset);
        return big(buf) == NATIVE_BIG ? v : Long.reverseBytes(v);
    }

    static void putShortNative(ByteBuffer buf, int offset, short v) {
        buf.putShort(offset, big(buf) == NATIVE_BIG ? v : Short.reverseBytes(v));
    }

    static short getShortNative(ByteBuffer buf, int offset) {
        short v = buf.getShort(offset);
        return big(buf) == NATIVE_BIG ? v : Short.reverseBytes(v);
    }

    static void putIntBig(ByteBuffer buf, int offset, int v) {
        buf.putInt(offset, big(buf) ? v : Integer.reverseBytes(v));
    }

    static int getIntBig(ByteBuffer buf, int offset) {
        int v = buf.getInt(offset);
        return big(buf) ? v : Integer.reverseBytes(v);
    }

    static void putShortBig(ByteBuffer buf, int offset, short v) {
        buf.putShort(offset, big(buf) ? v : Short.reverseBytes(v));
    }

    static short getShortBig(ByteBuffer buf, int offset) {
        short v = buf.getShort(offset);
        return big(buf) ? v : Short.reverseBytes(v);
    }

    static int align8(int n) {
        return (n + 7) & ~7;
    }
}
