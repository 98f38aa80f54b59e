package org.xmasq;

/** A call on an instance after {@link XMasq#close()} or {@link XMasq#down()}. */
public final class InstanceDownException extends XMasqException {
    private static final long serialVersionUID = 1L;

    public InstanceDownException(String message) {
        super(message);
    }
}
