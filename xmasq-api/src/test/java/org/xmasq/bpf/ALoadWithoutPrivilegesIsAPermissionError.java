package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.PermissionException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** EPERM at load is missing privileges, not a verifier verdict: the exception says what is needed. */
class ALoadWithoutPrivilegesIsAPermissionError {
    @Test
    void epermBecomesPermissionException() {
        FakeLibBpf fake = new FakeLibBpf();
        fake.registerObject("noperm", FakeObjects.testObject().failLoad(Errno.EPERM, "").build());
        BpfObjectSpec spec = BpfObjectSpec.fromBytes(fake, FakeObjects.ELF, "noperm");
        PermissionException e = assertThrows(PermissionException.class, spec::load);
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.getMessage().contains("CAP_BPF"), e.getMessage());
        assertEquals(0, fake.openObjects(), "the object is closed");
    }
}
