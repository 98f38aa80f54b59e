package org.xmasq.libbpf;

/** libbpf.so.1 cannot be loaded, is older than 1.0, or the requested backend cannot run on this JVM. */
public final class LibBpfUnavailableException extends BpfException {
    public LibBpfUnavailableException(String operation, String message, Throwable cause) {
        super(operation, 0, message, cause);
    }
}
