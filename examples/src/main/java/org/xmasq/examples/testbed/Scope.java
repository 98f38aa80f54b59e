package org.xmasq.examples.testbed;

/** Where the two ends of a flow run. */
public enum Scope {
    /** Client and server on different nodes: across the underlay (and, in the overlay, through VXLAN). */
    INTER_HOST("inter-host"),
    /** Client and server on the same node. */
    INTRA_HOST("intra-host");

    private final String label;

    Scope(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
