package org.xmasq;

/** The interface exists but cannot play the role asked (a NIC without IPv4, a container "veth" that is no veth). */
public final class UnsuitableInterfaceException extends XMasqException {
    private static final long serialVersionUID = 1L;

    private final String interfaceName;

    public UnsuitableInterfaceException(String interfaceName, String message) {
        super(message);
        this.interfaceName = interfaceName;
    }

    public String interfaceName() {
        return interfaceName;
    }
}
