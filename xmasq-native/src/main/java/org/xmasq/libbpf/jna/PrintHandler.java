package org.xmasq.libbpf.jna;

import com.sun.jna.Memory;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import org.xmasq.libbpf.LibBpfLog;

/**
 * libbpf's print callback: formats each message with libc vsnprintf into a per-thread buffer and hands it to
 * {@link LibBpfLog}. Installed once per process; the instance is held strongly for as long as libbpf may call it.
 *
 * <p>The verifier log of a failed load arrives as one message that can be far larger than the buffer. Where the
 * va_list can be copied (x86-64 and aarch64, where the callee gets a pointer to the va_list state, and copying that
 * state is what va_copy does) the first pass formats from a copy and an oversized message is formatted again from
 * the original into a buffer of the right size, so the end of the log (the verifier's verdict) is never lost.
 * Elsewhere the message is cut at the buffer size and marked.
 */
final class PrintHandler implements LibbpfNative.PrintFn {
    static final int BUFFER_SIZE = 64 * 1024;
    /** Upper bound of a reformatted message; libbpf's own verifier log buffer is 16 MiB. */
    static final int MAX_MESSAGE = 32 * 1024 * 1024;
    static final String TRUNCATED = "[truncated]\n";
    private static final boolean VA_LIST_COPYABLE = Platform.is64Bit()
            && (Platform.isIntel() || Platform.isARM()) && Platform.isLinux();

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public int invoke(int level, Pointer fmt, Pointer ap) {
        try {
            if (level >= LibBpfLog.LEVEL_DEBUG && !LibBpfLog.debugEnabled()) {
                return 0;
            }
            LibBpfLog.accept(level, format(Pointer.nativeValue(fmt), Pointer.nativeValue(ap)));
        } catch (Throwable t) {
            // Nothing may unwind into libbpf's C frames; a lost log line is the lesser harm.
        }
        return 0;
    }

    private static String format(long fmt, long ap) {
        Buffers b = BUFFERS.get();
        long apForFirstPass = ap;
        if (VA_LIST_COPYABLE) {
            b.vaCopy.write(0, b.vaCopyBytes(ap), 0, Structs.VA_LIST_COPY_SIZE);
            apForFirstPass = b.vaCopyAddress;
        }
        int n = LibcNative.vsnprintf(b.textAddress, BUFFER_SIZE, fmt, apForFirstPass);
        if (n < 0) {
            return "";
        }
        if (n < BUFFER_SIZE) {
            return utf8(b.text, n);
        }
        if (VA_LIST_COPYABLE && n < MAX_MESSAGE) {
            Memory big = new Memory(n + 1L);
            int m = LibcNative.vsnprintf(Pointer.nativeValue(big), n + 1L, fmt, ap);
            if (m == n) {
                return utf8(big, n);
            }
        }
        return utf8(b.text, BUFFER_SIZE - 1) + TRUNCATED;
    }

    private static String utf8(Pointer p, int n) {
        return new String(p.getByteArray(0, n), StandardCharsets.UTF_8);
    }

    /** Per-thread scratch: the text buffer and room for a copy of the va_list state. */
    private static final class Buffers {
        final Memory text = new Memory(BUFFER_SIZE);
        final long textAddress = Pointer.nativeValue(text);
        final Memory vaCopy = new Memory(Structs.VA_LIST_COPY_SIZE);
        final long vaCopyAddress = Pointer.nativeValue(vaCopy);
        final byte[] vaBytes = new byte[Structs.VA_LIST_COPY_SIZE];

        byte[] vaCopyBytes(long ap) {
            new Pointer(ap).read(0, vaBytes, 0, vaBytes.length);
            return vaBytes;
        }
    }
}
