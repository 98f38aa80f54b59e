package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xmasq.examples.testbed.Container;

/**
 * 100 MiB over one TCP connection across the overlay with XMasq up arrive byte for byte (SHA-256 on both ends), and
 * the fast path carried them as GSO super-packets: fewer hits than MTU-sized segments.
 */
@ExtendWith(SharedCluster.class)
class AHundredMegabyteTransferArrivesIntact {
    static final int CHUNK = 1 << 16;
    static final int CHUNKS = 1600; // 100 MiB + 4 MiB

    @Test
    void theChecksumsMatch() throws Exception {
        {
            Cluster cl = SharedCluster.get();
            Container from = cl.container(1, 1);
            Container to = cl.container(2, 1);
            var before = cl.statsOfBoth();
            var received = Traffic.sink(to.netns(), to.ip(), 7201, Duration.ofSeconds(10));
            MessageDigest md = Traffic.sha256();
            long sent = 0;
            try (Socket s = Traffic.LIB.inNetns(from.netns().path(), () -> {
                Socket c = new Socket();
                c.connect(new InetSocketAddress(to.ip(), 7201), Traffic.TIMEOUT_MS);
                return c;
            })) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[CHUNK];
                for (int i = 0; i < CHUNKS; i++) {
                    Traffic.fill(chunk, 42, i);
                    md.update(chunk);
                    out.write(chunk);
                    sent += CHUNK;
                }
            }
            var got = received.get(60, TimeUnit.SECONDS);
            assertEquals(sent, got.bytes(), "bytes received");
            assertEquals(HexFormat.of().formatHex(md.digest()), got.sha256(), "SHA-256 of what arrived");
            var after = cl.statsOfBoth();
            long hits = Cluster.delta(before.get(0), after.get(0), "HIT_EGRESS_INTER_HOST");
            long segments = sent / (1450 - 40 - 12);
            assertTrue(hits >= sent / 65536, "the fast path encapsulated the transfer: " + hits + " hits; "
                    + after.get(0));
            assertTrue(hits < segments, "GSO: " + hits + " fast-path packets carried " + sent + " bytes, fewer than "
                    + segments + " MTU-sized segments");
            assertTrue(Cluster.delta(before.get(1), after.get(1), "HIT_INGRESS") > 0, "node 2 decapsulated some");
        }
    }
}
