package org.xmasq.libbpf;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where libbpf's print callback ends up. Backends format each message (vsnprintf) and call {@link #accept};
 * the message goes to SLF4J (logger {@code org.xmasq.libbpf.libbpf}) and, while the calling thread is inside
 * {@link #capture}, into that thread's capture buffer, so a failed load can carry its verifier log.
 */
public final class LibBpfLog {
    /** libbpf_print_level values. */
    public static final int LEVEL_WARN = 0;
    public static final int LEVEL_INFO = 1;
    public static final int LEVEL_DEBUG = 2;

    private static final Logger LOG = LoggerFactory.getLogger("org.xmasq.libbpf.libbpf");
    private static final ThreadLocal<StringBuilder> CAPTURE = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> QUIET = new ThreadLocal<>();

    private LibBpfLog() {
    }

    /** Called by backends from libbpf's print callback, on the thread that made the libbpf call. */
    public static void accept(int level, String message) {
        StringBuilder sb = CAPTURE.get();
        if (sb != null) {
            sb.append(message);
        }
        String line = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        if (QUIET.get() != null) {
            LOG.debug("{}", line);
            return;
        }
        switch (level) {
            case LEVEL_WARN -> LOG.warn("{}", line);
            case LEVEL_INFO -> LOG.debug("{}", line);
            default -> LOG.trace("{}", line);
        }
    }

    /** Whether debug-level libbpf messages are wanted (backends may skip formatting them otherwise). */
    public static boolean debugEnabled() {
        return LOG.isTraceEnabled() || CAPTURE.get() != null;
    }

    /**
     * Runs {@code action}, a call whose failure is an expected answer (e.g. a tc query on an interface without a
     * clsact qdisc), with libbpf's messages on this thread demoted to DEBUG: the caller reads the errno instead.
     */
    public static <T> T quietly(Supplier<T> action) {
        if (QUIET.get() != null) {
            return action.get();
        }
        QUIET.set(Boolean.TRUE);
        try {
            return action.get();
        } finally {
            QUIET.remove();
        }
    }

    /** What {@link #capture} returns: the action's result and everything libbpf printed meanwhile. */
    public record Captured<T>(T value, String log) {
    }

    /** Runs {@code action} while collecting everything libbpf prints on this thread. Nested captures share one buffer. */
    public static <T> Captured<T> capture(Supplier<T> action) {
        StringBuilder outer = CAPTURE.get();
        StringBuilder sb = outer != null ? outer : new StringBuilder();
        int start = sb.length();
        if (outer == null) {
            CAPTURE.set(sb);
        }
        try {
            T value = action.get();
            return new Captured<>(value, sb.substring(start));
        } finally {
            if (outer == null) {
                CAPTURE.remove();
            }
        }
    }
}
