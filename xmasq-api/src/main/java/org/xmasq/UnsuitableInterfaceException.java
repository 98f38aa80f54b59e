package org.xmasq;

/** The interface exists but cannot play the role asked (a NIC without IPv4, a container "veth" that is no veth). */
public final class UnsuitableInterfaceException extends InterfaceException {
    private static final long serialVersionUID = 1L;

    public UnsuitableInterfaceException(String interfaceName, String message) {
        super(interfaceName, message);
    }
}
