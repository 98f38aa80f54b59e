package org.xmasq.libbpf.jna;

import com.sun.jna.Library;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Map;

/**
 * The two libraries the backend binds, opened with one set of options: strings cross as UTF-8 whatever the JVM's
 * default encoding is (JDK 17 under a POSIX locale would otherwise mangle non-ASCII paths).
 */
final class NativeLibraries {
    /** The runtime soname (package libbpf1); the unversioned libbpf.so comes only with libbpf-dev. */
    static final String LIBBPF = "libbpf.so.1";
    private static final Map<String, Object> OPTIONS = Map.of(Library.OPTION_STRING_ENCODING, "UTF-8");

    private NativeLibraries() {
    }

    /** libbpf.so.1; throws UnsatisfiedLinkError (with the loader's reason) every time it cannot be loaded. */
    static NativeLibrary libbpf() {
        return NativeLibrary.getInstance(LIBBPF, OPTIONS);
    }

    static NativeLibrary libc() {
        return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME, OPTIONS);
    }
}
