package org.xmasq.examples.testbed;

/** A testbed step failed: a command exited non-zero, missed its deadline, or printed what we could not read. */
public final class TestbedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TestbedException(String message) {
        super(message);
    }

    public TestbedException(String message, Throwable cause) {
        super(message, cause);
    }
}
