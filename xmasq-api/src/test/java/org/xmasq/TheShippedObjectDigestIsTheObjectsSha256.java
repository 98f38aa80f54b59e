package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.xmasq.datapath.DatapathObject;

/**
 * The instance record identifies the datapath object by its SHA-256, which the SDK reads from the digest the build
 * ships next to the object (hashing it costs a short-lived JVM tens of milliseconds): that digest must be the
 * object's.
 */
class TheShippedObjectDigestIsTheObjectsSha256 {
    @Test
    void theShippedDigestIsTheSha256OfTheShippedObject() throws Exception {
        try (InputStream in = XMasq.class.getClassLoader().getResourceAsStream(DatapathObject.RESOURCE + ".sha256")) {
            assertNotNull(in, "the build ships " + DatapathObject.RESOURCE + ".sha256");
        }
        assertArrayEquals(org.xmasq.datapath.DatapathObject.computedDigest(), org.xmasq.datapath.DatapathObject.digest());
    }
}
