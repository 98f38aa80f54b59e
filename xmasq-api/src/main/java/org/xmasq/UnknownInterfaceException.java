package org.xmasq;

/** No interface of that name (or that index) in the network namespace the instance runs in. */
public final class UnknownInterfaceException extends XMasqException {
    private static final long serialVersionUID = 1L;

    private final String interfaceName;

    public UnknownInterfaceException(String interfaceName, String message) {
        super(message);
        this.interfaceName = interfaceName;
    }

    public String interfaceName() {
        return interfaceName;
    }
}
