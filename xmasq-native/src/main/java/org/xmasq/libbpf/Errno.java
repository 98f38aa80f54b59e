package org.xmasq.libbpf;

/** The Linux errno values the SDK looks at, and their names for messages. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    public static final int EOPNOTSUPP = 95;
    /** Kernel-internal "not supported", leaks out of some bpf commands. */
    public static final int ENOTSUPP = 524;

    private Errno() {
    }

    /** "ENOENT (No such file or directory)" style name for messages. */
    public static String describe(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (Operation not permitted)";
            case ENOENT -> "ENOENT (No such file or directory)";
            case ESRCH -> "ESRCH (No such process)";
            case EINTR -> "EINTR (Interrupted system call)";
            case EIO -> "EIO (Input/output error)";
            case E2BIG -> "E2BIG (Argument list too long)";
            case EBADF -> "EBADF (Bad file descriptor)";
            case EAGAIN -> "EAGAIN (Resource temporarily unavailable)";
            case ENOMEM -> "ENOMEM (Cannot allocate memory)";
            case EACCES -> "EACCES (Permission denied)";
            case EFAULT -> "EFAULT (Bad address)";
            case EBUSY -> "EBUSY (Device or resource busy)";
            case EEXIST -> "EEXIST (File exists)";
            case ENODEV -> "ENODEV (No such device)";
            case ENOTDIR -> "ENOTDIR (Not a directory)";
            case EINVAL -> "EINVAL (Invalid argument)";
            case ENOSPC -> "ENOSPC (No space left on device)";
            case ERANGE -> "ERANGE (Numerical result out of range)";
            case ENOSYS -> "ENOSYS (Function not implemented)";
            case ENODATA -> "ENODATA (No data available)";
            case EOPNOTSUPP -> "EOPNOTSUPP (Operation not supported)";
            case ENOTSUPP -> "ENOTSUPP (Operation not supported by the kernel)";
            default -> "errno " + errno;
        };
    }
}
