package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.VerifierException;

/** Loading xmasq_rejected.bpf.o fails with VerifierException whose log holds the verifier's complaint. */
class TheVerifiersRejectionCarriesItsLog {
    @Test
    void rejectedObject() {
        BpfObjectSpec spec = BpfObjectSpec.fromResource(KernelObjects.lib(), KernelObjects.REJECTED);
        assertEquals("xmasq_rejected", spec.name());
        VerifierException e = assertThrows(VerifierException.class, spec::load);
        assertTrue(e.log().contains("invalid access to packet"), e.log());
        assertTrue(e.getMessage().contains("bpf_object__load(xmasq_rejected)"), e.getMessage());
        assertTrue(e.errno() > 0);
        assertThrows(ClosedResourceException.class, spec::load, "the failed spec was closed");
        spec.close();
    }
}
