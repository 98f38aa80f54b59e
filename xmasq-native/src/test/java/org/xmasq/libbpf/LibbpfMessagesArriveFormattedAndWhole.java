package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.Names;

/**
 * What libbpf prints reaches LibBpfLog formatted (printf conversions expanded), on the calling thread only, and
 * whole even when one message is far larger than the backend's first formatting buffer (a verifier log can be MBs).
 */
class LibbpfMessagesArriveFormattedAndWhole {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void aWarningHasItsConversionsExpanded() {
        String path = "/" + Names.unique() + "/absent.bpf.o";
        LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> lib.objectOpenFile(path));
        assertEquals(-Errno.ENOENT, c.value());
        assertTrue(c.log().contains("failed to open " + path + ": No such file or directory"), c.log());
        assertFalse(c.log().contains("%s"), c.log());
    }

    @Test
    void aMessageOfSeveralHundredKilobytesArrivesWhole() {
        String path = "/" + Names.unique() + "x".repeat(300_000) + "/absent.bpf.o";
        LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> lib.objectOpenFile(path));
        assertTrue(c.value() < 0, "open of an impossible path fails, got " + c.value());
        assertTrue(c.log().contains("failed to open " + path + ": "), "the whole 300 KB path is in the log");
        assertFalse(c.log().contains("[truncated]"));
    }

    @Test
    void manyMessagesInARowAreEachFormattedOnce() {
        for (int i = 0; i < 200; i++) {
            String path = "/" + Names.unique() + "/n" + i + ".bpf.o";
            LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> lib.objectOpenFile(path));
            assertTrue(c.log().contains("failed to open " + path + ": No such file or directory"), c.log());
        }
    }

    @Test
    void anEarlierMessageDoesNotLeakIntoALaterCapture() {
        String path = "/" + Names.unique() + "/absent.bpf.o";
        lib.objectOpenFile(path);
        LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> 0L);
        assertFalse(c.log().contains(path), c.log());
    }
}
