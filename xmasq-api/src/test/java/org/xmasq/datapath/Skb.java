package org.xmasq.datapath;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The struct __sk_buff given to and returned by BPF_PROG_TEST_RUN (192 bytes, offsets from linux/bpf.h). The
 * kernel accepts only a few fields on input: mark, priority, ingress_ifindex, ifindex, cb, tstamp, wire_len,
 * gso_segs, gso_size and hwtstamp; an ifindex above 1 must name a device of the caller's namespace.
 */
record Skb(int mark, int ifindex, int gsoSize) {
    static final int SIZE = 192;
    static final int MARK = 8;
    static final int IFINDEX = 40;
    static final int GSO_SIZE = 176;

    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
        b.putInt(MARK, mark).putInt(IFINDEX, ifindex).putInt(GSO_SIZE, gsoSize);
        return b.array();
    }

    static Skb parse(byte[] ctx) {
        ByteBuffer b = ByteBuffer.wrap(ctx).order(ByteOrder.nativeOrder());
        return new Skb(b.getInt(MARK), b.getInt(IFINDEX), b.getInt(GSO_SIZE));
    }
}
