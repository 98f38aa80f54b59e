package org.xmasq;

/** No interface of that name in the network namespace the instance runs in. */
public final class UnknownInterfaceException extends InterfaceException {
    private static final long serialVersionUID = 1L;

    public UnknownInterfaceException(String interfaceName, String message) {
        super(interfaceName, message);
    }
}
