package org.xmasq.examples.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Across the VXLAN overlay: every container on h1 reaches every container on h2, by ping and by TCP. */
class ContainersOnDifferentHostsReachEachOther {
    private static Testbed tb;

    @BeforeAll
    static void up() {
        tb = Testbed.create();
    }

    @AfterAll
    static void down() {
        if (tb != null) {
            tb.close();
        }
    }

    @Test
    void everyPairAnswersPings() {
        for (Container a : tb.containersOf(tb.host(1))) {
            for (Container b : tb.containersOf(tb.host(2))) {
                assertTrue(Testbed.ping(a.netns(), b.ip()), a.name() + " -> " + b.name());
                assertTrue(Testbed.ping(b.netns(), a.ip()), b.name() + " -> " + a.name());
            }
        }
    }

    @Test
    void aTcpConnectionCarriesBytesBothWays() throws Exception {
        assertEquals("across the overlay", TcpProbe.echo(tb.container(1, 1), tb.container(2, 2), 7001,
                "across the overlay"));
    }

    @Test
    void thePacketsReallyCrossTheVxlanDevice() {
        long before = txPackets(tb.host(1), Testbed.VXLAN);
        assertTrue(Testbed.ping(tb.container(1, 2).netns(), tb.container(2, 1).ip()));
        assertTrue(txPackets(tb.host(1), Testbed.VXLAN) >= before + 3, "flannel.1 sent the three echo requests");
    }

    static long txPackets(Host h, String dev) {
        String json = h.netns().ip("-s", "-j", "link", "show", "dev", dev).stdout();
        var m = java.util.regex.Pattern.compile("\"tx\"\\s*:\\s*\\{[^}]*\"packets\"\\s*:\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Long.parseLong(m.group(1));
    }
}
