package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.TestObjects;

/**
 * A program the verifier rejects makes bpf_object__load return -errno, and the kernel's verifier log reaches
 * LibBpfLog on the loading thread, so a capture around the load holds it.
 */
class AVerifierRejectionReturnsErrnoAndCapturesTheLog {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void theLoadFailsWithAnErrnoAndTheCaptureHoldsTheVerifierText() {
        try (OpenObject o = OpenObject.open(lib, TestObjects.REJECTED, "xmasq_rejected")) {
            LibBpfLog.Captured<Integer> c = LibBpfLog.capture(() -> lib.objectLoad(o.handle()));
            assertTrue(c.value() < 0, "load returned " + c.value());
            assertEquals(-Errno.EACCES, c.value(), "the verifier denies with EACCES");
            String log = c.log();
            assertTrue(log.contains("unchecked_read"), "names the program:\n" + log);
            assertTrue(log.contains("invalid access to packet"), "has the verifier's reason:\n" + log);
            assertTrue(log.contains("processed "), "has the verifier's statistics line:\n" + log);
            assertTrue(lib.programFd(o.program("unchecked_read")) < 0);
        }
    }

    @Test
    void nothingIsCapturedOutsideACapture() {
        LibBpfLog.Captured<String> outer = LibBpfLog.capture(() -> "none");
        assertEquals("", outer.log());
        try (OpenObject o = OpenObject.open(lib, TestObjects.REJECTED, "xmasq_rejected")) {
            assertTrue(lib.objectLoad(o.handle()) < 0, "a load outside a capture fails the same way");
        }
    }

    @Test
    void aLogFromAnotherThreadDoesNotLeakIntoThisCapture() throws Exception {
        LibBpfLog.Captured<Integer> c = LibBpfLog.capture(() -> {
            Thread t = new Thread(() -> {
                try (OpenObject o = OpenObject.open(lib, TestObjects.REJECTED, "xmasq_rejected")) {
                    lib.objectLoad(o.handle());
                }
            });
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return 0;
        });
        assertTrue(!c.log().contains("invalid access to packet"), "captured another thread's log:\n" + c.log());
    }
}
