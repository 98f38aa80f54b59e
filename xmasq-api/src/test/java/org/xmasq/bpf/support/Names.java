package org.xmasq.bpf.support;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Unique "xmt-<hex>" names for what a test creates, so nothing clashes with another run or with others' things. */
public final class Names {
    private Names() {
    }

    public static String unique() {
        return "xmt-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
