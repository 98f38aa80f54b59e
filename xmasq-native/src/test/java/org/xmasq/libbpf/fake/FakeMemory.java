package org.xmasq.libbpf.fake;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fake's "native memory": every direct buffer that {@link FakeLibBpf#address} saw gets a range of synthetic
 * addresses, and an address resolves back to (buffer, offset). Buffers are held weakly, so a caller that drops a
 * buffer does not leak it; an address into a collected buffer is a fault, as a dangling pointer would be.
 */
final class FakeMemory {
    /** Far from anything a real process maps, and a gap between buffers so an overrun never lands in a neighbour. */
    private static final long BASE = 0x7e00_0000_0000L;
    private static final long GAP = 4096;

    /** Thrown (and turned into -EFAULT) when an address does not resolve to enough registered bytes. */
    static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fault(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Region extends WeakReference<ByteBuffer> {
        final long start;
        final int capacity;

        Region(ByteBuffer buf, long start, ReferenceQueue<ByteBuffer> queue) {
            super(buf, queue);
            this.start = start;
            this.capacity = buf.capacity();
        }
    }

    private final TreeMap<Long, Region> regions = new TreeMap<>();
    private final ReferenceQueue<ByteBuffer> collected = new ReferenceQueue<>();
    private long next = BASE;

    synchronized long register(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("address() needs a direct ByteBuffer");
        }
        expunge();
        long start = next;
        next += ((direct.capacity() + GAP - 1) / GAP + 1) * GAP;
        regions.put(start, new Region(direct, start, collected));
        return start;
    }

    private void expunge() {
        for (Object r; (r = collected.poll()) != null; ) {
            regions.remove(((Region) r).start);
        }
    }

    private ByteBuffer resolve(long address, long length, long[] offsetOut) {
        if (address == 0) {
            throw new Fault("NULL pointer");
        }
        Map.Entry<Long, Region> e;
        synchronized (this) {
            e = regions.floorEntry(address);
        }
        if (e == null) {
            throw new Fault("address 0x" + Long.toHexString(address) + " is not in any registered buffer");
        }
        Region region = e.getValue();
        ByteBuffer buf = region.get();
        long offset = address - region.start;
        if (buf == null || length < 0 || offset + length > region.capacity) {
            throw new Fault("address 0x" + Long.toHexString(address) + " + " + length + " is outside its buffer");
        }
        offsetOut[0] = offset;
        return buf;
    }

    byte[] read(long address, int length) {
        long[] off = new long[1];
        ByteBuffer buf = resolve(address, length, off);
        byte[] out = new byte[length];
        buf.get((int) off[0], out, 0, length);
        return out;
    }

    void write(long address, byte[] src, int srcOffset, int length) {
        long[] off = new long[1];
        ByteBuffer buf = resolve(address, length, off);
        if (buf.isReadOnly()) {
            throw new Fault("write to a read-only buffer");
        }
        buf.put((int) off[0], src, srcOffset, length);
    }

    void write(long address, byte[] src) {
        write(address, src, 0, src.length);
    }

    int readInt(long address) {
        long[] off = new long[1];
        ByteBuffer buf = resolve(address, 4, off);
        return buf.duplicate().order(java.nio.ByteOrder.nativeOrder()).getInt((int) off[0]);
    }

    void writeInt(long address, int value) {
        byte[] b = new byte[4];
        ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).putInt(0, value);
        write(address, b);
    }
}
