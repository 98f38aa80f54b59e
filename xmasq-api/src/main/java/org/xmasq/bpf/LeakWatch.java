package org.xmasq.bpf;

import java.lang.ref.Cleaner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a warning when an owner of kernel resources becomes unreachable without close(). Only a diagnostic: nothing
 * is released here (the fds stay open until the process exits), because cleanup must be deterministic.
 */
final class LeakWatch {
    private static final Logger LOG = LoggerFactory.getLogger(LeakWatch.class);
    private static final Cleaner CLEANER = Cleaner.create();

    /** Set {@link #closed} when the owner is closed; the cleaner action then stays silent. */
    static final class Token implements Runnable {
        private final String what;
        volatile boolean closed;

        private Token(String what) {
            this.what = what;
        }

        @Override
        public void run() {
            if (!closed) {
                LOG.warn("{} was garbage-collected without close(); its kernel resources stay until the process exits",
                        what);
            }
        }
    }

    private LeakWatch() {
    }

    /** Starts watching {@code owner}; {@code what} must not refer to it. */
    static Token watch(Object owner, String what) {
        Token t = new Token(what);
        CLEANER.register(owner, t);
        return t;
    }
}
