package org.xmasq.libbpf;

/** The running kernel or libbpf lacks a feature; callers use it to fall back or to skip. */
public final class NotSupportedException extends BpfException {
    public NotSupportedException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
