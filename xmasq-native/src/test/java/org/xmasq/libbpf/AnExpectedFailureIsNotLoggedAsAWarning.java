package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.Names;

/**
 * libbpf warns about every failed call, even those whose failure is the answer the caller wants (a tc query on an
 * interface without a clsact qdisc). Inside LibBpfLog.quietly such messages go to DEBUG, yet a capture still sees them.
 * The test binding (slf4j-simple) writes WARN to System.err and hides DEBUG.
 */
class AnExpectedFailureIsNotLoggedAsAWarning {
    private final LibBpf lib = LibBpfs.get();

    private static String stderrOf(Supplier<?> action) {
        PrintStream saved = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.get();
        } finally {
            System.setErr(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void outsideQuietlyTheWarningIsLogged() {
        String path = "/" + Names.unique() + "/absent.bpf.o";
        String err = stderrOf(() -> lib.objectOpenFile(path));
        assertTrue(err.contains("WARN") && err.contains("failed to open " + path), err);
    }

    @Test
    void insideQuietlyItIsNotButACaptureStillSeesIt() {
        String path = "/" + Names.unique() + "/absent.bpf.o";
        String[] log = new String[1];
        String err = stderrOf(() -> {
            LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> LibBpfLog.quietly(() -> lib.objectOpenFile(path)));
            assertEquals(-Errno.ENOENT, c.value());
            log[0] = c.log();
            return null;
        });
        assertFalse(err.contains(path), err);
        assertTrue(log[0].contains("failed to open " + path), log[0]);
    }

    @Test
    void quietlyEndsWithItsAction() {
        String path = "/" + Names.unique() + "/absent.bpf.o";
        LibBpfLog.quietly(() -> LibBpfLog.quietly(() -> 0));
        String err = stderrOf(() -> lib.objectOpenFile(path));
        assertTrue(err.contains("failed to open " + path), "warnings are back after quietly: " + err);
    }
}
