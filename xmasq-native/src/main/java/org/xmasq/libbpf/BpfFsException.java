package org.xmasq.libbpf;

/** A pin path is not on a mounted bpf filesystem. */
public final class BpfFsException extends BpfException {
    public BpfFsException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
