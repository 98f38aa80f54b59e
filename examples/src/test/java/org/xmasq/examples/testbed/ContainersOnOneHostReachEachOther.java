package org.xmasq.examples.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Over the node's bridge: the two containers of each node reach each other, by ping and by TCP. */
class ContainersOnOneHostReachEachOther {
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
    void bothContainersOfEachNodeAnswerPings() {
        for (Host h : tb.hosts()) {
            Container a = tb.containersOf(h).get(0);
            Container b = tb.containersOf(h).get(1);
            assertTrue(Testbed.ping(a.netns(), b.ip()), a.name() + " -> " + b.name());
            assertTrue(Testbed.ping(b.netns(), a.ip()), b.name() + " -> " + a.name());
        }
    }

    @Test
    void aTcpConnectionCarriesBytesBothWays() throws Exception {
        assertEquals("over the bridge", TcpProbe.echo(tb.container(2, 1), tb.container(2, 2), 7002,
                "over the bridge"));
    }

    @Test
    void theTrafficNeverLeavesTheNode() {
        long before = ContainersOnDifferentHostsReachEachOther.txPackets(tb.host(1), Testbed.VXLAN);
        assertTrue(Testbed.ping(tb.container(1, 1).netns(), tb.container(1, 2).ip()));
        assertEquals(before, ContainersOnDifferentHostsReachEachOther.txPackets(tb.host(1), Testbed.VXLAN));
    }
}
