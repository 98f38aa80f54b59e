package org.xmasq;

/** An interface named in a call cannot be used: there is none of that name, or it cannot play the role asked. */
public abstract sealed class InterfaceException extends XMasqException
        permits UnknownInterfaceException, UnsuitableInterfaceException {
    private static final long serialVersionUID = 1L;

    private final String interfaceName;

    InterfaceException(String interfaceName, String message) {
        super(message);
        this.interfaceName = interfaceName;
    }

    /** The name the call gave. */
    public String interfaceName() {
        return interfaceName;
    }
}
