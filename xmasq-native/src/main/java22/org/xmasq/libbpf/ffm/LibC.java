package org.xmasq.libbpf.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles for the few libc functions the SDK needs, each made on first use (a holder class per function, as
 * in {@link LibBpfH}). errno is captured on those that report through it.
 */
final class LibC {
    private static final SymbolLookup LIBC = Linker.nativeLinker().defaultLookup();

    private LibC() {
    }

    private static MethodHandle libc(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LibBpfH.downcall(LIBC, name, fd, options);
    }

    /** int close(int fd) */
    static final class close {
        static final MethodHandle H = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    /** int open(const char *path, int flags); errno captured (variadic mode argument not passed) */
    static final class open {
        static final MethodHandle H = libc("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), LibBpfH.CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }
    /** int setns(int fd, int nstype); errno captured */
    static final class setns {
        static final MethodHandle H = libc("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), LibBpfH.CAPTURE_ERRNO);
    }
    /** unsigned int if_nametoindex(const char *ifname); errno captured */
    static final class if_nametoindex {
        static final MethodHandle H = libc("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS), LibBpfH.CAPTURE_ERRNO);
    }
    /** char *if_indextoname(unsigned int ifindex, char *ifname); errno captured */
    static final class if_indextoname {
        static final MethodHandle H = libc("if_indextoname", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS), LibBpfH.CAPTURE_ERRNO);
    }
    /** int socket(int domain, int type, int protocol); errno captured */
    static final class socket {
        static final MethodHandle H = libc("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                LibBpfH.CAPTURE_ERRNO);
    }
    /** ssize_t send(int fd, const void *buf, size_t len, int flags), buf as an address in a long; errno captured */
    static final class send {
        static final MethodHandle H = libc("send",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), LibBpfH.CAPTURE_ERRNO);
    }
    /** ssize_t recv(int fd, void *buf, size_t len, int flags), buf as an address in a long; errno captured */
    static final class recv {
        static final MethodHandle H = libc("recv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), LibBpfH.CAPTURE_ERRNO);
    }
    /** int vsnprintf(char *str, size_t size, const char *format, va_list ap): va_list arrives as a pointer */
    static final class vsnprintf {
        static final MethodHandle H = libc("vsnprintf", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
    }
}
