package org.xmasq.bpf.support;

import java.nio.ByteBuffer;

/** Crafted Ethernet frames for BPF_PROG_TEST_RUN. */
public final class Frames {
    private Frames() {
    }

    /** Ethernet + IPv4 + UDP, {@code length} bytes (at least 42). */
    public static byte[] udp(int length) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(length, 42));
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (b.capacity() - 14)).putInt(0).put((byte) 64)
                .put((byte) 17).putShort((short) 0).putInt(0x0a000001).putInt(0x0a000002);
        b.putShort((short) 1234).putShort((short) 5678).putShort((short) (b.capacity() - 34)).putShort((short) 0);
        return b.array();
    }
}
