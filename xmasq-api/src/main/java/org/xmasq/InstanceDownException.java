package org.xmasq;

/** A call on an instance after {@link XMasq#close()} or {@link XMasq#down()}. */
public final class InstanceDownException extends IllegalStateException {
    public InstanceDownException(String message) {
        super(message);
    }
}
