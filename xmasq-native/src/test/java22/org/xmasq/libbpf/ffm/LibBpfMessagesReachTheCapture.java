package org.xmasq.libbpf.ffm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpfLog;

/**
 * libbpf's print callback (an FFM upcall formatting with vsnprintf) routes what libbpf prints on this thread into
 * {@link LibBpfLog#capture}, formatted, including messages far larger than the first 64 KiB buffer.
 */
class LibBpfMessagesReachTheCapture {
    private final FfmLibBpf lib = new FfmLibBpf();

    @Test
    void aWarningIsFormattedIntoTheCapture() {
        String path = "/nonexistent-xmt" + Long.toHexString(System.nanoTime()) + "/object.bpf.o";
        LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> lib.objectOpenFile(path));
        assertTrue(c.value() == -Errno.ENOENT, "open of a missing file returns -ENOENT, got " + c.value());
        // libbpf: pr_warn("elf: failed to open %s: %s\n", path, strerror) — both conversions must be expanded.
        assertTrue(c.log().contains("failed to open " + path + ": No such file or directory"), c.log());
        assertFalse(c.log().contains("%s"), c.log());
    }

    @Test
    void aMessageLargerThanTheFirstBufferArrivesWhole() {
        // A path far longer than PATH_MAX: open(2) fails with ENAMETOOLONG and libbpf's warning carries the path.
        String path = "/xmt" + "x".repeat(70_000) + "/object.bpf.o";
        LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> lib.objectOpenFile(path));
        assertTrue(c.value() < 0, "open of an impossible path fails, got " + c.value());
        assertTrue(c.log().contains("failed to open " + path + ": "), "the whole 70 KB path is in the log");
        assertFalse(c.log().contains(PrintCallback.TRUNCATED), "nothing was truncated");
    }

    @Test
    void nothingIsCapturedOutsideACapture() {
        String path = "/nonexistent-xmt" + Long.toHexString(System.nanoTime()) + "/object.bpf.o";
        lib.objectOpenFile(path); // prints, but no capture is active on this thread
        LibBpfLog.Captured<Long> c = LibBpfLog.capture(() -> 0L);
        assertFalse(c.log().contains(path), "an earlier message leaked into a later capture: " + c.log());
    }
}
