package org.xmasq.datapath;

import java.util.HexFormat;

/** What one BPF_PROG_TEST_RUN of a datapath program gave: its return value, the frame and the context after it. */
record Verdict(int retval, byte[] frame, Skb skb, int durationNs) {
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;
    static final int TC_ACT_REDIRECT = 7;

    boolean redirected() {
        return retval == TC_ACT_REDIRECT;
    }

    int mark() {
        return skb.mark();
    }

    @Override
    public String toString() {
        return "Verdict[retval " + retval + ", mark 0x" + Integer.toHexString(skb.mark()) + ", frame "
                + HexFormat.of().formatHex(frame) + "]";
    }
}
