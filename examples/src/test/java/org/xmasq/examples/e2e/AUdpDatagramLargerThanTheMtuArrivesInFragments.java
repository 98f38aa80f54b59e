package org.xmasq.examples.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xmasq.examples.testbed.Container;

/**
 * A 4000-byte UDP datagram (three fragments at the overlay MTU of 1450) on a flow the fast path already serves
 * arrives whole, both across the overlay and on one node, and its reply (fragmented too) comes back: fragments
 * always take the slow path, which the counters show.
 */
@ExtendWith(SharedCluster.class)
class AUdpDatagramLargerThanTheMtuArrivesInFragments {
    @Test
    void theDatagramAndItsReplyArrive() throws Exception {
        {
            Cluster cl = SharedCluster.get();
            Container a = cl.container(1, 1);
            for (Container b : new Container[] {cl.container(2, 1), cl.container(1, 2)}) {
                try (var server = new Traffic.UdpServer(b.netns(), b.ip(), 7301, b.name());
                     var client = new Traffic.UdpClient(a.netns(), a.ip(), b.ip(), 7301)) {
                    assertEquals(5, client.roundTrips(5), "small datagrams first (the flow is learned)");
                    var before = cl.statsOfBoth();
                    byte[] big = new byte[4000];
                    Traffic.fill(big, 7, 0);
                    byte[] reply = client.ask(big);
                    assertNotNull(reply, "the reply to the 4000-byte datagram from " + b.name());
                    byte[] prefix = (b.name() + ":").getBytes(StandardCharsets.UTF_8);
                    assertArrayEquals(prefix, Arrays.copyOf(reply, prefix.length));
                    assertArrayEquals(big, Arrays.copyOfRange(reply, prefix.length, reply.length),
                            "the datagram came back intact");
                    var after = cl.statsOfBoth();
                    long frags = Cluster.delta(before.get(0), after.get(0), "PASS_FRAGMENT");
                    assertTrue(frags >= 3, "node 1 passed " + frags + " fragments to the overlay; " + after.get(0));
                    assertEquals(5, client.roundTrips(5), "small datagrams still work afterwards");
                }
            }
        }
    }
}
