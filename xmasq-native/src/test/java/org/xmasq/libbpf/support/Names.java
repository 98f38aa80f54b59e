package org.xmasq.libbpf.support;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Unique names for what the tests create, so nothing clashes with a parallel run or with what others made. */
public final class Names {
    private Names() {
    }

    /** "xmt-" and 8 random hex digits. */
    public static String unique() {
        return "xmt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
