package org.xmasq.libbpf.support;

import java.util.function.LongSupplier;

/** Waits for counters that packets in flight will raise. */
public final class Await {
    private Await() {
    }

    /** Polls {@code value} until it reaches {@code min} or 3 s pass. @return the last value read */
    public static long atLeast(LongSupplier value, long min) {
        long deadline = System.nanoTime() + 3_000_000_000L;
        long v = value.getAsLong();
        while (v < min && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return v;
            }
            v = value.getAsLong();
        }
        return v;
    }

    /** Lets packets in flight land before a "nothing changed" check. */
    public static void settle() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
