package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfFsException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** A pin directory that is not on bpffs is refused before load, and the message says how to mount one. */
class PinsMustBeOnABpfFilesystem {
    @Test
    void aPinDirectoryOutsideBpfFs() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObjectSpec spec = FakeObjects.open(fake).pinMapsIn(Path.of("/tmp/xmt-not-bpffs"))) {
            BpfFsException e = assertThrows(BpfFsException.class, spec::load);
            assertTrue(e.getMessage().contains("mount -t bpf bpf /sys/fs/bpf"), e.getMessage());
            assertTrue(e.getMessage().contains("/tmp/xmt-not-bpffs"), e.getMessage());
        }
        assertEquals(0, fake.calls("objectLoad"), "refused before the kernel saw anything");
    }

    @Test
    void theRealCheckLooksAtTheFilesystemType() {
        // Not the fake: the kernel's check of the real rule, on a path that exists here and is not bpffs.
        BpfFsException e = assertThrows(BpfFsException.class, () -> BpfFs.kernel()
                .checkMounted(Path.of(System.getProperty("java.io.tmpdir"), "x", "y"), "pin"));
        assertTrue(e.getMessage().contains("filesystem"), e.getMessage());
    }
}
