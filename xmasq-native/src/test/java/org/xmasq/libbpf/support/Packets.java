package org.xmasq.libbpf.support;

import java.nio.ByteBuffer;

/** Crafted frames and contexts for BPF_PROG_TEST_RUN. */
public final class Packets {
    /** sizeof(struct __sk_buff). */
    public static final int SK_BUFF_SIZE = 192;
    /** offsetof(struct __sk_buff, mark). */
    public static final int SK_BUFF_MARK = 8;

    private Packets() {
    }

    /** An Ethernet + IPv4 + UDP frame of {@code length} bytes (at least 42) between two made-up hosts. */
    public static byte[] udpFrame(int length) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(length, 42));
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (b.capacity() - 14)).putInt(0).put((byte) 64)
                .put((byte) 17).putShort((short) 0).putInt(0x0a000001).putInt(0x0a000002);
        b.putShort((short) 1234).putShort((short) 5678).putShort((short) (b.capacity() - 34)).putShort((short) 0);
        return b.array();
    }

    /** A zeroed struct __sk_buff with only {@code mark} set (native byte order). */
    public static byte[] skBuffWithMark(int mark) {
        ByteBuffer b = ByteBuffer.allocate(SK_BUFF_SIZE).order(java.nio.ByteOrder.nativeOrder());
        b.putInt(SK_BUFF_MARK, mark);
        return b.array();
    }

    /** The mark of a struct __sk_buff. */
    public static int markOf(byte[] skBuff) {
        return ByteBuffer.wrap(skBuff).order(java.nio.ByteOrder.nativeOrder()).getInt(SK_BUFF_MARK);
    }
}
