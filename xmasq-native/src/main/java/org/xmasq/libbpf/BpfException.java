package org.xmasq.libbpf;

/**
 * Root of every failure the SDK reports. Carries the operation that failed (for example
 * {@code "bpf_map_update_elem(endpoints)"}) and the errno the kernel or libbpf gave (0 when there was none).
 */
public abstract sealed class BpfException extends RuntimeException
        permits BpfSyscallException, NotSupportedException, PermissionException, VerifierException,
        UnknownInterfaceException, IncompatibleMapException, ClosedResourceException, LibBpfUnavailableException,
        BpfFsException {

    private final String operation;
    private final int errno;

    protected BpfException(String operation, int errno, String message, Throwable cause) {
        super(message, cause);
        this.operation = operation;
        this.errno = errno;
    }

    protected BpfException(String operation, int errno, String message) {
        this(operation, errno, message, null);
    }

    /** What the SDK was doing. */
    public String operation() {
        return operation;
    }

    /** The errno (positive), or 0. */
    public int errno() {
        return errno;
    }

    /** The exception a failed {@code operation} with {@code errno} (positive or negative) maps to. */
    public static BpfException of(String operation, int errno) {
        int e = Math.abs(errno);
        String msg = operation + " failed: " + Errno.describe(e);
        return switch (e) {
            case Errno.EPERM, Errno.EACCES -> new PermissionException(operation, e,
                    msg + " (needs root or CAP_BPF + CAP_NET_ADMIN)");
            case Errno.EOPNOTSUPP, Errno.ENOTSUPP, Errno.ENOSYS -> new NotSupportedException(operation, e, msg);
            case Errno.ENODEV -> new UnknownInterfaceException(operation, e, msg);
            default -> new BpfSyscallException(operation, e, msg);
        };
    }

    /** Returns {@code rc} when it is non-negative, throws {@link #of} otherwise. */
    public static int check(int rc, String operation) {
        if (rc < 0) {
            throw of(operation, rc);
        }
        return rc;
    }

    /** Returns {@code rc} when it is non-negative, throws {@link #of} otherwise. */
    public static long check(long rc, String operation) {
        if (rc < 0) {
            throw of(operation, (int) rc);
        }
        return rc;
    }
}
