package org.xmasq.libbpf;

/** A network interface name or index does not exist in the namespace the call ran in. */
public final class UnknownInterfaceException extends BpfException {
    public UnknownInterfaceException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
