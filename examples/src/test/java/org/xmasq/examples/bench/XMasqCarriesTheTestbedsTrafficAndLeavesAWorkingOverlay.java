package org.xmasq.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.examples.testbed.Container;
import org.xmasq.examples.testbed.Host;
import org.xmasq.examples.testbed.Testbed;

/**
 * The benchmark's third configuration on a real testbed: with XMasq attached, traffic between containers is carried
 * by the fast path (hit counters grow, inter-host and intra-host), and after it is taken down the plain overlay
 * still works and no pin is left.
 */
class XMasqCarriesTheTestbedsTrafficAndLeavesAWorkingOverlay {
    private Testbed tb;
    private Acceleration acc;

    @BeforeEach
    void up() {
        tb = Testbed.create();
    }

    @AfterEach
    void down() {
        try {
            if (acc != null) {
                acc.close();
            }
        } finally {
            tb.close();
        }
    }

    @Test
    void requestResponseTrafficHitsTheFastPathBothWays() {
        acc = new XMasqAccelerator().accelerate(tb);
        Container c11 = tb.container(1, 1);
        assertTrue(Testbed.ping(c11.netns(), tb.container(2, 1).ip()), "inter-host with XMasq");
        assertTrue(Testbed.ping(c11.netns(), tb.container(1, 2).ip()), "intra-host with XMasq");
        Map<String, Long> before = acc.counters();
        ClientRun.Result inter = rr(tb.container(2, 1));
        ClientRun.Result intra = rr(tb.container(1, 2));
        Map<String, Long> after = acc.counters();
        long interHits = after.get("HIT_EGRESS_INTER_HOST") - before.get("HIT_EGRESS_INTER_HOST");
        long ingressHits = after.get("HIT_INGRESS") - before.get("HIT_INGRESS");
        long intraHits = after.get("HIT_EGRESS_INTRA_HOST") - before.get("HIT_EGRESS_INTRA_HOST");
        // Most of the round trips (all but the first few, which teach the caches) took the fast path.
        assertTrue(interHits > inter.work(), "inter-host egress hits " + interHits + " for " + inter.work() + " tx");
        assertTrue(ingressHits > inter.work(), "ingress hits " + ingressHits + " for " + inter.work() + " tx");
        assertTrue(intraHits > intra.work(), "intra-host hits " + intraHits + " for " + intra.work() + " tx");
    }

    @Test
    void afterDownTheOverlayStillWorksAndNoPinIsLeft() {
        acc = new XMasqAccelerator().accelerate(tb);
        for (Host h : tb.hosts()) {
            assertTrue(Files.exists(XMasqAccelerator.pinRoot(tb, h)), "pinned while attached");
        }
        acc.close();
        for (Host h : tb.hosts()) {
            assertFalse(Files.exists(XMasqAccelerator.pinRoot(tb, h)), "pins removed by down()");
            String tc = h.netns().run(Duration.ofSeconds(10), "tc", "filter", "show", "dev", h.nic(), "ingress")
                    .stdout();
            assertEquals("", tc.strip(), "no classic filter left on the NIC");
        }
        assertTrue(Testbed.ping(tb.container(1, 1).netns(), tb.container(2, 2).ip()));
        assertTrue(Testbed.ping(tb.container(2, 1).netns(), tb.container(2, 2).ip()));
    }

    private ClientRun.Result rr(Container server) {
        try (Servers s = Servers.start(server.netns(), server.ip())) {
            return ClientRun.run(Workload.UDP_RR, tb.overlay(server.host() == tb.host(1)
                    ? org.xmasq.examples.testbed.Scope.INTRA_HOST : org.xmasq.examples.testbed.Scope.INTER_HOST), 1);
        }
    }
}
