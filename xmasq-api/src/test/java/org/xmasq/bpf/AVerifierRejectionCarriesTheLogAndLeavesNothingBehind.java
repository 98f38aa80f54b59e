package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.VerifierException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** A failed load throws VerifierException with libbpf's whole log, and closes the object: no fd, no pin remains. */
class AVerifierRejectionCarriesTheLogAndLeavesNothingBehind {
    @Test
    void theLogTravelsInTheException() {
        FakeLibBpf fake = new FakeLibBpf();
        String log = "0: R1=ctx() R10=fp0\n1: (61) r2 = *(u32 *)(r1 +76)\n2: (71) r3 = *(u8 *)(r2 +20)\n"
                + "invalid access to packet, off=20 size=1, R2(id=0,off=20,r=0)\n";
        fake.registerObject("bad", FakeObjects.testObject().failLoad(Errno.EACCES, log).build());
        BpfObjectSpec spec = BpfObjectSpec.fromBytes(fake, FakeObjects.ELF, "bad")
                .pinMapsIn(Path.of("/sys/fs/bpf/xmt-bad"));
        VerifierException e = assertThrows(VerifierException.class, spec::load);
        assertEquals(Errno.EACCES, e.errno());
        assertEquals(log, e.log());
        assertTrue(e.getMessage().contains("invalid access to packet"), e.getMessage());
        assertEquals("bpf_object__load(bad)", e.operation());
        assertEquals(0, fake.openObjects());
        assertEquals(0, fake.openFds());
        assertTrue(fake.pinnedPaths().isEmpty(), fake.pinnedPaths().toString());
        assertThrows(ClosedResourceException.class, spec::load, "the spec is closed after a failed load");
    }

    @Test
    void anUnknownObjectFailsToOpen() {
        FakeLibBpf fake = new FakeLibBpf();
        assertThrows(org.xmasq.libbpf.BpfSyscallException.class,
                () -> BpfObjectSpec.fromBytes(fake, FakeObjects.ELF, "nothing"));
        assertEquals(0, fake.openObjects());
    }
}
