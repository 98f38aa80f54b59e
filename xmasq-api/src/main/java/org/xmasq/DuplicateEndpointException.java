package org.xmasq;

import org.xmasq.net.Ipv4Address;

/** A container address is registered already (on another or the same veth). */
public final class DuplicateEndpointException extends XMasqException {
    private static final long serialVersionUID = 1L;

    private final transient Ipv4Address address;
    private final int ifindex;

    public DuplicateEndpointException(Ipv4Address address, int ifindex, String message) {
        super(message);
        this.address = address;
        this.ifindex = ifindex;
    }

    public Ipv4Address address() {
        return address;
    }

    /** The veth the address is registered on. */
    public int ifindex() {
        return ifindex;
    }
}
