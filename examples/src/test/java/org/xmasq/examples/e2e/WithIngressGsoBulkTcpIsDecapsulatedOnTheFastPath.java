package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code xmasq up --ingress-gso}: the receiving node decapsulates the sender's GSO packets itself instead of
 * leaving them to the VXLAN device, and a 104 MiB transfer still arrives byte for byte.
 */
class WithIngressGsoBulkTcpIsDecapsulatedOnTheFastPath {
    private static Cluster cl;

    @BeforeAll
    static void up() {
        cl = Cluster.withXMasq("--ingress-gso");
    }

    @AfterAll
    static void down() {
        if (cl != null) {
            cl.close();
        }
    }

    @Test
    void gsoPacketsAreDecapsulatedAndTheTransferArrivesIntact() throws Exception {
        var t = AHundredMegabyteTransferArrivesIntact.transfer(cl, 7202);
        assertEquals(0, t.delta(2, "PASS_INGRESS_GSO"), "no GSO packet left to the VXLAN device: " + t.after().get(1));
        long hits = t.delta(2, "HIT_INGRESS");
        assertTrue(hits >= t.sent() / 65536, "node 2 decapsulated the transfer: " + hits + " hits");
        assertTrue(hits < t.segments(), "as GSO packets: " + hits + " hits for " + t.sent() + " bytes, fewer than "
                + t.segments() + " MTU-sized segments");
    }
}
