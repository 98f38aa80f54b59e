package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.Tc;
import org.xmasq.bpf.TcAttachment;
import org.xmasq.bpf.TcOptions;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.testing.Netns;

/**
 * The hit paths with the real kernel around them, not PROG_TEST_RUN: a Flannel-style overlay in three throwaway
 * namespaces (this host H with its NIC, VXLAN device flannel.1, bridge cni0 and container C; a remote host X with
 * its VXLAN device and a remote container address), the four programs attached where the design puts them.
 * The first exchange takes the slow path and is learned (the MACs the slow path delivered with, the header the
 * VXLAN device produced); the second is served by both fast paths and still arrives, which shows the kernel on the
 * far side accepts what the fast paths produce (lengths, checksums, headers) and the peer redirect delivers.
 * A TCP bulk transfer shows GSO packets encapsulated whole by the egress fast path (invariant 5's FIXED_GSO and
 * ENCAP flags, which PROG_TEST_RUN cannot exercise) arriving intact.
 */
class RealOverlayTrafficTakesTheFastPaths {
    private static final String C_ADDR = "10.244.1.2";
    private static final String R_ADDR = "10.244.2.5";
    private static final MacAddress NIC = MacAddress.parse("02:00:00:00:aa:01");
    private static final MacAddress UNDERLAY_X = MacAddress.parse("02:00:00:00:bb:01");
    private static final MacAddress VTEP_H = MacAddress.parse("02:fa:00:00:00:01");
    private static final MacAddress VTEP_X = MacAddress.parse("02:fa:00:00:00:02");
    private static final MacAddress CNI0 = MacAddress.parse("02:42:0a:f4:01:01");
    private static final MacAddress C_MAC = MacAddress.parse("02:42:0a:f4:01:02");

    @Test
    void aUdpExchangeIsLearnedThenServedByBothFastPaths() throws Exception {
        run(false);
    }

    @Test
    void aTcpBulkTransferIsServedWithGsoIntact() throws Exception {
        run(true);
    }

    private static void run(boolean tcp) throws Exception {
        LibBpf lib = LibBpfs.get();
        List<AutoCloseable> cleanup = new ArrayList<>();
        try {
            Netns h = Netns.create(lib);
            cleanup.add(h);
            Netns x = Netns.create(lib);
            cleanup.add(x);
            Netns c = Netns.create(lib);
            cleanup.add(c);
            build(h, x, c);

            BpfObject dp = DatapathObject.open(lib, DatapathConfig.DEFAULTS).load();
            cleanup.add(0, dp);
            int nic = h.call(() -> lib.ifNameToIndex("nic0"));
            int veth = h.call(() -> lib.ifNameToIndex("vethc"));
            var endpoints = dp.map(DatapathObject.ENDPOINTS, DatapathObject.IPV4_KEY, Endpoint.CODEC);
            var headers = dp.map(DatapathObject.EGRESS_HEADERS, DatapathObject.IPV4_KEY, EgressHeader.CODEC);
            var hosts = dp.map(DatapathObject.EGRESS_HOSTS, DatapathObject.IPV4_KEY, EgressHost.CODEC);
            var devices = dp.map(DatapathObject.HOST_DEVICES, DatapathObject.IFINDEX_KEY, HostDevice.CODEC);
            var stats = dp.perCpuMap(DatapathObject.STATS, DatapathObject.STAT_KEY, DatapathObject.COUNTER);
            devices.put(nic, HostDevice.of(Ipv4Address.parse("192.168.50.1"), NIC));
            endpoints.put(Ipv4Address.parse(C_ADDR), Endpoint.registered(veth));
            TcOptions inH = TcOptions.defaults().withNetns(h.path());
            for (TcAttachment a : List.of(
                    Tc.attach(dp.program(DatapathObject.INGRESS_FAST_PATH), "nic0", TcAttachPoint.INGRESS, inH),
                    Tc.attach(dp.program(DatapathObject.EGRESS_LEARNER), "nic0", TcAttachPoint.EGRESS, inH),
                    Tc.attach(dp.program(DatapathObject.EGRESS_FAST_PATH), "vethc", TcAttachPoint.INGRESS, inH),
                    Tc.attach(dp.program(DatapathObject.INGRESS_LEARNER), "vethc", TcAttachPoint.EGRESS, inH))) {
                cleanup.add(0, a);
            }

            if (tcp) {
                tcpBulk(x, c, stats);
                return;
            }
            DatagramSocket container = c.call(() -> bound(C_ADDR, 6000));
            cleanup.add(0, container);
            DatagramSocket remote = x.call(() -> bound(R_ADDR, 5000));
            cleanup.add(0, remote);

            // First exchange: slow path both ways, learned on the way.
            exchange(remote, container, "one");
            assertEquals(new Endpoint(veth, C_MAC, CNI0, Endpoint.MACS_KNOWN),
                    endpoints.lookup(Ipv4Address.parse(C_ADDR)).orElseThrow(),
                    "the MACs the slow path delivered with");
            assertEquals(new EgressHost(Ipv4Address.parse("192.168.50.2")),
                    hosts.lookup(Ipv4Address.parse(R_ADDR)).orElseThrow());
            EgressHeader header = headers.lookup(Ipv4Address.parse("192.168.50.2")).orElseThrow();
            TunnelHeader t = header.header();
            assertEquals(nic, header.ifindex());
            assertEquals(UNDERLAY_X, t.outerDestinationMac());
            assertEquals(NIC, t.outerSourceMac());
            assertEquals(Ipv4Address.parse("192.168.50.1"), t.outerSourceAddress());
            assertEquals(8472, t.udpDestinationPort());
            assertEquals(1, t.vni());
            assertEquals(VTEP_X, t.innerDestinationMac());
            assertEquals(VTEP_H, t.innerSourceMac());
            long hitsIn = count(stats, Stat.HIT_INGRESS);
            long hitsOut = count(stats, Stat.HIT_EGRESS_INTER_HOST);
            assertEquals(0, hitsIn + hitsOut, "nothing was served before it was learned");

            // Second exchange: both fast paths, and both ends still get their datagram.
            exchange(remote, container, "two");
            assertEquals(1, count(stats, Stat.HIT_INGRESS), "decapsulated and redirected into C");
            assertEquals(1, count(stats, Stat.HIT_EGRESS_INTER_HOST), "encapsulated and redirected to the NIC");

            // Other sizes, up to the container MTU (1450, as Flannel sets it: 1418 + 4 + 28 = 1450 for the reply).
            for (int size : new int[] {1, 700, 1418}) {
                exchange(remote, container, "x".repeat(size));
            }
            assertEquals(4, count(stats, Stat.HIT_INGRESS));
            assertEquals(4, count(stats, Stat.HIT_EGRESS_INTER_HOST));

            // A datagram above the MTU is fragmented: every fragment takes the slow path and still arrives.
            exchange(remote, container, "y".repeat(3000));
            assertEquals(4, count(stats, Stat.HIT_INGRESS));
            assertEquals(4, count(stats, Stat.HIT_EGRESS_INTER_HOST));
            assertTrue(count(stats, Stat.PASS_FRAGMENT) >= 6, "three fragments each way");
        } finally {
            for (AutoCloseable a : cleanup) {
                try {
                    a.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }

    /**
     * X connects to a server in C and C sends 4 MiB back: the SYN and SYN-ACK teach the flow, then C's TSO segments
     * (GSO skbs on the veth) are encapsulated by the egress fast path with FIXED_GSO and must arrive intact at X.
     */
    private static void tcpBulk(Netns x, Netns c, org.xmasq.bpf.PerCpuMap<Integer, Long> stats) throws Exception {
        byte[] data = new byte[4 << 20];
        new java.util.Random(42).nextBytes(data);
        java.net.ServerSocket server = c.call(() -> new java.net.ServerSocket(7000, 1, InetAddress.getByName(C_ADDR)));
        java.net.Socket client = x.call(() -> {
            java.net.Socket s = new java.net.Socket();
            s.bind(new InetSocketAddress(InetAddress.getByName(R_ADDR), 0));
            return s;
        });
        try (server; client) {
            server.setSoTimeout(5000);
            client.setSoTimeout(10_000);
            Thread sender = new Thread(() -> {
                try (java.net.Socket accepted = server.accept()) {
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
        }
        long hits = count(stats, Stat.HIT_EGRESS_INTER_HOST);
        Map<Stat, Long> counters = counts(stats);
        assertTrue(hits > 10, "C's segments took the egress fast path: " + counters);
        // More bytes per redirected packet than the MTU: GSO packets were encapsulated whole (FIXED_GSO) and the
        // kernel on X segmented and accepted them.
        assertTrue(data.length / hits > 1500, "bytes per fast-path packet: " + data.length / hits + ", " + counters);
        assertEquals(0, count(stats, Stat.MISS_NIC_MTU), counters::toString);
        assertEquals(0, count(stats, Stat.REDIRECT_ERROR), counters::toString);
    }

    private static Map<Stat, Long> counts(org.xmasq.bpf.PerCpuMap<Integer, Long> stats) {
        Map<Stat, Long> out = new java.util.EnumMap<>(Stat.class);
        for (Stat s : Stat.values()) {
            long n = count(stats, s);
            if (n != 0) {
                out.put(s, n);
            }
        }
        return out;
    }

    private static long count(org.xmasq.bpf.PerCpuMap<Integer, Long> stats, Stat s) {
        return stats.lookupCombined(s.index(), Long::sum).orElseThrow();
    }

    private static DatagramSocket bound(String addr, int port) throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(addr), port));
        s.setSoTimeout(3000);
        return s;
    }

    /** remote -> container with {@code text}, then the container answers "re: text" to the sender. */
    private static void exchange(DatagramSocket remote, DatagramSocket container, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.US_ASCII);
        remote.send(new DatagramPacket(out, out.length, InetAddress.getByName(C_ADDR), 6000));
        DatagramPacket in = new DatagramPacket(new byte[65536], 65536);
        container.receive(in);
        assertArrayEquals(out, Arrays.copyOf(in.getData(), in.getLength()), "delivered into the container");
        byte[] reply = ("re: " + text).getBytes(StandardCharsets.US_ASCII);
        container.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
        DatagramPacket back = new DatagramPacket(new byte[65536], 65536);
        remote.receive(back);
        assertArrayEquals(reply, Arrays.copyOf(back.getData(), back.getLength()), "delivered to the remote");
        assertEquals(new InetSocketAddress(InetAddress.getByName(C_ADDR), 6000), back.getSocketAddress());
    }

    private static void build(Netns h, Netns x, Netns c) {
        // Underlay: H's NIC to X.
        h.ip("link", "add", "nic0", "address", NIC.toString(), "type", "veth", "peer", "name", "und0", "address",
                UNDERLAY_X.toString(), "netns", x.name());
        h.ip("addr", "add", "192.168.50.1/24", "dev", "nic0");
        x.ip("addr", "add", "192.168.50.2/24", "dev", "und0");
        // Container C behind the bridge cni0 on H.
        h.ip("link", "add", "cni0", "address", CNI0.toString(), "type", "bridge");
        h.ip("addr", "add", "10.244.1.1/24", "dev", "cni0");
        h.ip("link", "add", "vethc", "type", "veth", "peer", "name", "eth0", "address", C_MAC.toString(), "netns",
                c.name());
        h.ip("link", "set", "vethc", "master", "cni0", "mtu", "1450");
        c.ip("link", "set", "eth0", "mtu", "1450");
        c.ip("addr", "add", C_ADDR + "/24", "dev", "eth0");
        // VTEPs, Flannel style: a /32 on flannel.1, a route per remote subnet via its .0, static neighbour and FDB.
        h.ip("link", "add", "flannel.1", "address", VTEP_H.toString(), "type", "vxlan", "id", "1", "local",
                "192.168.50.1", "dev", "nic0", "dstport", "8472", "nolearning");
        x.ip("link", "add", "flannel.1", "address", VTEP_X.toString(), "type", "vxlan", "id", "1", "local",
                "192.168.50.2", "dev", "und0", "dstport", "8472", "nolearning");
        h.ip("addr", "add", "10.244.1.0/32", "dev", "flannel.1");
        x.ip("addr", "add", "10.244.2.0/32", "dev", "flannel.1");
        x.ip("addr", "add", R_ADDR + "/32", "dev", "lo"); // the remote container's address, local to X
        for (Netns n : List.of(h, x, c)) {
            n.ip("link", "set", "lo", "up");
        }
        for (String dev : List.of("nic0", "cni0", "vethc", "flannel.1")) {
            h.ip("link", "set", dev, "up");
        }
        for (String dev : List.of("und0", "flannel.1")) {
            x.ip("link", "set", dev, "up");
        }
        c.ip("link", "set", "eth0", "up");
        c.ip("route", "add", "default", "via", "10.244.1.1");
        h.ip("route", "add", "10.244.2.0/24", "via", "10.244.2.0", "dev", "flannel.1", "onlink");
        x.ip("route", "add", "10.244.1.0/24", "via", "10.244.1.0", "dev", "flannel.1", "onlink");
        h.ip("neigh", "add", "10.244.2.0", "lladdr", VTEP_X.toString(), "dev", "flannel.1", "nud", "permanent");
        x.ip("neigh", "add", "10.244.1.0", "lladdr", VTEP_H.toString(), "dev", "flannel.1", "nud", "permanent");
        Netns.run("bridge", "-n", h.name(), "fdb", "append", VTEP_X.toString(), "dev", "flannel.1", "dst",
                "192.168.50.2");
        Netns.run("bridge", "-n", x.name(), "fdb", "append", VTEP_H.toString(), "dev", "flannel.1", "dst",
                "192.168.50.1");
        h.call(() -> {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
            return null;
        });
    }
}
