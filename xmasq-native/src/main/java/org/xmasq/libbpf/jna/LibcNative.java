package org.xmasq.libbpf.jna;

import com.sun.jna.Native;

/** The few libc calls the backend needs, through JNA direct mapping. On failure read {@link Native#getLastError()}. */
final class LibcNative {
    static {
        Native.register(LibcNative.class, NativeLibraries.libc());
    }

    private LibcNative() {
    }

    /** open(2) is variadic; passing the mode explicitly is the same call on the LP64 ABIs JNA supports here. */
    static native int open(String path, int flags, int mode);

    static native int close(int fd);

    static native int setns(int fd, int nstype);

    static native int if_nametoindex(String name);

    static native long if_indextoname(int ifindex, long buf);

    static native int vsnprintf(long buf, long size, long fmt, long ap);

    static native int socket(int domain, int type, int protocol);

    /** ssize_t send(int, const void *, size_t, int): pointer and size_t travel as long on LP64 */
    static native long send(int fd, long buf, long length, int flags);

    static native long recv(int fd, long buf, long capacity, int flags);
}
