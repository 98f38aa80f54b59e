package org.xmasq.bpf;

import java.nio.ByteBuffer;

/**
 * How one C type (a map key or value) is laid out in bytes. Implementations read and write at an absolute offset
 * and never move the buffer's position. Map handles zero-fill the bytes before {@link #encode}, so padding a codec
 * skips is zero (padding is part of a hash key).
 *
 * <p>Codecs must not depend on the buffer's byte order: write each field in the order the C side expects
 * (the helpers in {@link Codecs} do that).
 */
public interface Codec<T> {
    /** Size in bytes, as sizeof() of the C type. */
    int size();

    void encode(T value, ByteBuffer buf, int offset);

    T decode(ByteBuffer buf, int offset);

    /** Alignment of the C type (for struct layout checks); 1 unless the codec says otherwise. */
    default int alignment() {
        return 1;
    }

    /** Name used in messages, for example the record or C struct name. */
    default String name() {
        return getClass().getSimpleName();
    }
}
