package org.xmasq.examples.bench;

/** The three network configurations measured in one run, interleaved round by round. */
public enum Config {
    /** The nodes' own network: the limit an overlay is compared with. */
    HOST("host"),
    /** The unchanged Flannel-style overlay (bridge, routing, netfilter, VXLAN). */
    OVERLAY("overlay"),
    /** The same overlay with XMasq attached on both nodes. */
    XMASQ("xmasq");

    private final String label;

    Config(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
