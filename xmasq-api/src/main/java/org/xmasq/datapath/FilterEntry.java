package org.xmasq.datapath;

import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;

/**
 * A value of {@code filter_cache} ({@code struct xmasq_filter_entry}, 4 bytes): which directions of a flow the slow
 * path was seen to carry. A fast path serves the flow only when both bits are set.
 */
public record FilterEntry(int seen) {
    /** FILTER_SEEN_EGRESS: the overlay let the flow out. */
    public static final int SEEN_EGRESS = 0x1;
    /** FILTER_SEEN_INGRESS: the overlay delivered the flow's reply. */
    public static final int SEEN_INGRESS = 0x2;
    public static final int SEEN_BOTH = SEEN_EGRESS | SEEN_INGRESS;

    public static final FilterEntry BOTH = new FilterEntry(SEEN_BOTH);

    public static final StructCodec<FilterEntry> CODEC;

    static {
        var b = StructCodec.<FilterEntry>builder("xmasq_filter_entry");
        var seen = b.field("seen", Codecs.u32(), FilterEntry::seen);
        CODEC = b.build(v -> new FilterEntry(v.get(seen)));
    }

    public boolean egressSeen() {
        return (seen & SEEN_EGRESS) != 0;
    }

    public boolean ingressSeen() {
        return (seen & SEEN_INGRESS) != 0;
    }

    /** Whether the fast path may serve the flow. */
    public boolean allowsFastPath() {
        return (seen & SEEN_BOTH) == SEEN_BOTH;
    }
}
