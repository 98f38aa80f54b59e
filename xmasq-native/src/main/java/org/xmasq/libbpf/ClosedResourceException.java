package org.xmasq.libbpf;

/** An object, map, program or link was used after close(). */
public final class ClosedResourceException extends BpfException {
    public ClosedResourceException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
