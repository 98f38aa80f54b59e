package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A null path or name is refused (NullPointerException, or the -errno/0 libbpf gives for NULL), and never crashes
 * the JVM by reaching a libc function that dereferences it.
 */
class NullNamesAreRefusedBeforeReachingNativeCode {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void pathsAndInterfaceNamesMustNotBeNull() {
        refused("objectOpenFile", () -> lib.objectOpenFile(null), false);
        refused("objGet", () -> lib.objGet(null), false);
        refused("objPin", () -> lib.objPin(0, null), false);
        refused("ifNameToIndex", () -> lib.ifNameToIndex(null), true);
    }

    private static void refused(String what, Supplier<Number> call, boolean zeroIsRefusal) {
        try {
            long rc = call.get().longValue();
            assertTrue(rc < 0 || (zeroIsRefusal && rc == 0), what + "(null) returned " + rc);
        } catch (NullPointerException expected) {
            // refused on the Java side
        }
    }
}
