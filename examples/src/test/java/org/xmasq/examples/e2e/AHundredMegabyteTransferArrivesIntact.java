package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xmasq.examples.testbed.Container;

/**
 * 100 MiB over one TCP connection across the overlay with XMasq up arrive byte for byte (SHA-256 on both ends), and
 * the fast path carried them as GSO super-packets: fewer hits than MTU-sized segments. With the default
 * configuration the receiving node leaves those GSO packets to the kernel's VXLAN device.
 */
@ExtendWith(SharedCluster.class)
class AHundredMegabyteTransferArrivesIntact {
    static final int CHUNK = 1 << 16;
    static final int CHUNKS = 1600; // 100 MiB + 4 MiB

    /** Bytes sent and both nodes' counters before and after. */
    record Transfer(long sent, List<Map<String, Object>> before, List<Map<String, Object>> after) {
        long delta(int node, String counter) {
            return Cluster.delta(before.get(node - 1), after.get(node - 1), counter);
        }

        /** What the transfer would be in MTU-sized segments (overlay MTU, IPv4 + TCP with timestamps). */
        long segments() {
            return sent / (1450 - 40 - 12);
        }
    }

    /** Sends 104 MiB from container 1 of node 1 to container 1 of node 2 and checks they arrive intact. */
    static Transfer transfer(Cluster cl, int port) throws Exception {
        Container from = cl.container(1, 1);
        Container to = cl.container(2, 1);
        var before = cl.statsOfBoth();
        var received = Traffic.sink(to.netns(), to.ip(), port, Duration.ofSeconds(10));
        MessageDigest md = Traffic.sha256();
        long sent = 0;
        try (Socket s = Traffic.LIB.inNetns(from.netns().path(), () -> {
            Socket c = new Socket();
            c.connect(new InetSocketAddress(to.ip(), port), Traffic.TIMEOUT_MS);
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
        Transfer t = new Transfer(sent, before, cl.statsOfBoth());
        long hits = t.delta(1, "HIT_EGRESS_INTER_HOST");
        assertTrue(hits >= sent / 65536, "the fast path encapsulated the transfer: " + hits + " hits; "
                + t.after().get(0));
        assertTrue(hits < t.segments(), "GSO: " + hits + " fast-path packets carried " + sent
                + " bytes, fewer than " + t.segments() + " MTU-sized segments");
        return t;
    }

    @Test
    void theChecksumsMatch() throws Exception {
        Transfer t = transfer(SharedCluster.get(), 7201);
        assertTrue(t.delta(2, "HIT_INGRESS") > 0, "node 2 decapsulated some");
        assertTrue(t.delta(2, "PASS_INGRESS_GSO") > 0, "by default node 2 leaves GSO packets to the VXLAN device: "
                + t.after().get(1));
    }
}
