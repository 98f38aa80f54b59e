package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xmasq.datapath.FlannelOverlay.CNI0;
import static org.xmasq.datapath.FlannelOverlay.C_ADDR;
import static org.xmasq.datapath.FlannelOverlay.C_MAC;
import static org.xmasq.datapath.FlannelOverlay.NIC;
import static org.xmasq.datapath.FlannelOverlay.R_ADDR;
import static org.xmasq.datapath.FlannelOverlay.UNDERLAY_X;
import static org.xmasq.datapath.FlannelOverlay.VTEP_H;
import static org.xmasq.datapath.FlannelOverlay.VTEP_X;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xmasq.net.Ipv4Address;

/**
 * The hit paths with the real kernel around them, not PROG_TEST_RUN, in a {@link FlannelOverlay}. The first exchange
 * takes the slow path and is learned (the MACs the slow path delivered with, the header the VXLAN device produced);
 * later ones are served by both fast paths and still arrive, which shows the kernel on the far side accepts what
 * the fast paths produce (lengths, checksums, headers) and the peer redirect delivers. A TCP bulk transfer shows GSO
 * packets encapsulated whole by the egress fast path (invariant 5's FIXED_GSO and ENCAP flags, which PROG_TEST_RUN
 * cannot exercise) arriving intact.
 */
class RealOverlayTrafficTakesTheFastPaths {
    @Test
    void aUdpExchangeIsLearnedThenServedByBothFastPaths() throws Exception {
        try (FlannelOverlay o = new FlannelOverlay()) {
            DatagramSocket container = o.udp(o.c, C_ADDR, 6000);
            DatagramSocket remote = o.udp(o.x, R_ADDR, 5000);

            // First exchange: slow path both ways, learned on the way.
            exchange(remote, container, "one");
            assertEquals(new Endpoint(o.veth, C_MAC, CNI0, Endpoint.MACS_KNOWN),
                    o.endpoints.lookup(Ipv4Address.parse(C_ADDR)).orElseThrow(),
                    "the MACs the slow path delivered with");
            assertEquals(new EgressHost(Ipv4Address.parse("192.168.50.2")),
                    o.hosts.lookup(Ipv4Address.parse(R_ADDR)).orElseThrow());
            EgressHeader header = o.headers.lookup(Ipv4Address.parse("192.168.50.2")).orElseThrow();
            TunnelHeader t = header.header();
            assertEquals(o.nic, header.ifindex());
            assertEquals(UNDERLAY_X, t.outerDestinationMac());
            assertEquals(NIC, t.outerSourceMac());
            assertEquals(Ipv4Address.parse("192.168.50.1"), t.outerSourceAddress());
            assertEquals(8472, t.udpDestinationPort());
            assertEquals(1, t.vni());
            assertEquals(VTEP_X, t.innerDestinationMac());
            assertEquals(VTEP_H, t.innerSourceMac());
            assertEquals(0, o.count(Stat.HIT_INGRESS) + o.count(Stat.HIT_EGRESS_INTER_HOST),
                    "nothing was served before it was learned");

            // Second exchange: both fast paths, and both ends still get their datagram.
            exchange(remote, container, "two");
            assertEquals(1, o.count(Stat.HIT_INGRESS), "decapsulated and redirected into C");
            assertEquals(1, o.count(Stat.HIT_EGRESS_INTER_HOST), "encapsulated and redirected to the NIC");

            // Other sizes, up to the container MTU (1450, as Flannel sets it: 1418 + 4 + 28 = 1450 for the reply).
            for (int size : new int[] {1, 700, 1418}) {
                exchange(remote, container, "x".repeat(size));
            }
            assertEquals(4, o.count(Stat.HIT_INGRESS));
            assertEquals(4, o.count(Stat.HIT_EGRESS_INTER_HOST));

            // A datagram above the MTU is fragmented: every fragment takes the slow path and still arrives.
            exchange(remote, container, "y".repeat(3000));
            assertEquals(4, o.count(Stat.HIT_INGRESS));
            assertEquals(4, o.count(Stat.HIT_EGRESS_INTER_HOST));
            assertTrue(o.count(Stat.PASS_FRAGMENT) >= 6, "three fragments each way: " + o.counts());
        }
    }

    /**
     * X connects to a server in C and C sends 4 MiB back: the SYN and SYN-ACK teach the flow, then C's TSO segments
     * (GSO skbs on the veth) are encapsulated by the egress fast path with FIXED_GSO and must arrive intact at X.
     */
    @Test
    void aTcpBulkTransferIsServedWithGsoIntact() throws Exception {
        try (FlannelOverlay o = new FlannelOverlay()) {
            byte[] data = new byte[4 << 20];
            new Random(42).nextBytes(data);
            ServerSocket server = o.track(o.c.call(() -> new ServerSocket(7000, 1, InetAddress.getByName(C_ADDR))));
            Socket client = o.track(o.x.call(() -> {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(InetAddress.getByName(R_ADDR), 0));
                return s;
            }));
            server.setSoTimeout(5000);
            client.setSoTimeout(10_000);
            Thread sender = new Thread(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getOutputStream().write(data);
                    accepted.shutdownOutput();
                    accepted.getInputStream().read(); // wait for the client to finish reading
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            sender.start();
            client.connect(new InetSocketAddress(InetAddress.getByName(C_ADDR), 7000), 5000);
            byte[] got = client.getInputStream().readAllBytes();
            client.getOutputStream().write(1);
            sender.join(10_000);
            assertEquals(data.length, got.length, "bytes received");
            assertArrayEquals(data, got, "the stream arrived intact");

            long hits = o.count(Stat.HIT_EGRESS_INTER_HOST);
            Map<Stat, Long> counters = o.counts();
            assertTrue(hits > 10, "C's segments took the egress fast path: " + counters);
            // More bytes per redirected packet than the MTU: GSO packets were encapsulated whole (FIXED_GSO) and the
            // kernel on X segmented and accepted them.
            assertTrue(data.length / hits > 1500, "bytes per fast-path packet: " + data.length / hits + ", " + counters);
            assertEquals(0, o.count(Stat.MISS_NIC_MTU), counters::toString);
            assertEquals(0, o.count(Stat.REDIRECT_ERROR), counters::toString);
        }
    }

    /** remote -> container with {@code text}, then the container answers "re: text" to the sender. */
    private static void exchange(DatagramSocket remote, DatagramSocket container, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.US_ASCII);
        remote.send(new DatagramPacket(out, out.length, InetAddress.getByName(C_ADDR), 6000));
        assertArrayEquals(out, FlannelOverlay.receive(container), "delivered into the container");
        byte[] reply = ("re: " + text).getBytes(StandardCharsets.US_ASCII);
        container.send(new DatagramPacket(reply, reply.length, InetAddress.getByName(R_ADDR), 5000));
        assertArrayEquals(reply, FlannelOverlay.receive(remote), "delivered to the remote");
    }
}
