package org.xmasq;

/**
 * The root of what the XMasq domain layer throws about an instance, its interfaces and its endpoints: one tree to
 * catch. Failures of the BPF layer underneath stay {@link org.xmasq.libbpf.BpfException}s (errno and operation);
 * a bad argument (a null, an address no container can have) is an {@link IllegalArgumentException}.
 */
public abstract sealed class XMasqException extends RuntimeException
        permits IncompatibleInstanceException, InstanceDownException, DuplicateEndpointException, InterfaceException {
    private static final long serialVersionUID = 1L;

    XMasqException(String message) {
        super(message);
    }
}
