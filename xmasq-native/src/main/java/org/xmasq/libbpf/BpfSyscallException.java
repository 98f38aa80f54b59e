package org.xmasq.libbpf;

/** A system call or libbpf call failed with an errno that has no more specific type. */
public final class BpfSyscallException extends BpfException {
    public BpfSyscallException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
