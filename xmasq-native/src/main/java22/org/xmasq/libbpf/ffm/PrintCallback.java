package org.xmasq.libbpf.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import org.xmasq.libbpf.LibBpfLog;

/**
 * libbpf's print callback, {@code int (enum libbpf_print_level, const char *fmt, va_list ap)}, as an upcall that
 * formats the message with libc's vsnprintf and hands it to {@link LibBpfLog#accept}. Verifier logs arrive through
 * here, so a per-thread buffer is kept and grown on demand.
 *
 * <p>On x86_64 and aarch64 a {@code va_list} parameter reaches the callee as a pointer (x86_64: the array type
 * decays; aarch64: a large struct is passed by reference), and va_copy is a plain copy of the va_list object.
 * That lets a truncated message be formatted again from a saved copy in a larger buffer. On other architectures
 * a truncated message is kept as it is, marked {@value #TRUNCATED}.
 */
@SuppressWarnings("restricted") // upcall stub, and reading the va_list libbpf hands over
final class PrintCallback {
    static final String TRUNCATED = "[truncated]";
    /** First size of the per-thread format buffer. */
    static final int INITIAL_BUFFER = 64 * 1024;
    /** Largest buffer a message may grow to (libbpf's own verifier log buffer is 16 MiB). */
    static final int MAX_BUFFER = 32 * 1024 * 1024;
    /** sizeof(va_list) where re-formatting from a copy is known to be safe, else 0. */
    private static final long VA_LIST_SIZE = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 24;
        case "aarch64" -> 32;
        default -> 0;
    };

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);
    private static volatile MemorySegment installed;

    private PrintCallback() {
    }

    /**
     * Points libbpf's print callback at this class. The upcall stub is made once per process (it lives in the global
     * arena, so libbpf can never call freed code); setting it again on every backend construction makes the newest
     * backend's callback the active one even if another backend (JNA) installed its own meanwhile.
     */
    static synchronized void install() throws Throwable {
        MemorySegment stub = installed;
        if (stub == null) {
            stub = Linker.nativeLinker().upcallStub(
                    MethodHandles.lookup().findStatic(PrintCallback.class, "print",
                            MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class)),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
                    Arena.global());
            installed = stub;
        }
        MemorySegment previous = (MemorySegment) LibBpfH.libbpf_set_print.H.invokeExact(stub); // not restored: ours stays
    }

    /** The upcall. Must never throw: an exception escaping into native code ends the JVM. */
    static int print(int level, MemorySegment fmt, MemorySegment ap) {
        try {
            if (level >= LibBpfLog.LEVEL_DEBUG && !LibBpfLog.debugEnabled()) {
                return 0;
            }
            LibBpfLog.accept(level, format(fmt, ap));
        } catch (Throwable t) {
            // Nothing sensible to do with a failure to log a log message; never let it reach libbpf.
        }
        return 0;
    }

    static String format(MemorySegment fmt, MemorySegment ap) throws Throwable {
        Buffers b = BUFFERS.get();
        boolean canRetry = VA_LIST_SIZE > 0;
        if (canRetry) {
            MemorySegment.copy(ap.reinterpret(VA_LIST_SIZE), 0, b.vaCopy, 0, VA_LIST_SIZE);
        }
        int n = (int) LibC.vsnprintf.H.invokeExact(b.buf.address(), b.buf.byteSize(), fmt, ap);
        if (n < 0) {
            return "[libbpf message could not be formatted]\n";
        }
        if (n >= b.buf.byteSize() && canRetry && n < MAX_BUFFER) {
            b.grow(n + 1L);
            n = (int) LibC.vsnprintf.H.invokeExact(b.buf.address(), b.buf.byteSize(), fmt, b.vaCopy);
        }
        if (n >= b.buf.byteSize()) {
            return b.buf.getString(0, StandardCharsets.UTF_8) + TRUNCATED + "\n";
        }
        return b.buf.getString(0, StandardCharsets.UTF_8);
    }

    /** Per-thread native scratch of the callback; freed with the thread's ThreadLocalMap by the GC. */
    private static final class Buffers {
        MemorySegment buf = Arena.ofAuto().allocate(INITIAL_BUFFER);
        final MemorySegment vaCopy = Arena.ofAuto().allocate(Math.max(VA_LIST_SIZE, 8), 16);

        void grow(long needed) {
            long size = buf.byteSize();
            while (size < needed) {
                size *= 2;
            }
            buf = Arena.ofAuto().allocate(Math.min(size, MAX_BUFFER));
        }
    }
}
