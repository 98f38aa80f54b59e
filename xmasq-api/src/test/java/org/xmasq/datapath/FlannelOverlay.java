package org.xmasq.datapath;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.PerCpuMap;
import org.xmasq.bpf.Tc;
import org.xmasq.bpf.TcOptions;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.testing.Netns;

/**
 * A Flannel-style overlay in three throwaway namespaces: this host H (NIC nic0 192.168.50.1, VXLAN device flannel.1
 * with VNI 1 on port 8472, bridge cni0 10.244.1.1/24, container veth vethc), its container C (eth0 10.244.1.2, MTU
 * 1450), a second container C2 (10.244.1.3) on the same bridge, and a remote host X (und0 192.168.50.2, flannel.1, the remote container's address 10.244.2.5 on lo). The
 * datapath is loaded, its four programs attached where the design puts them, the NIC and C registered. Closing
 * removes everything (sockets, links, object, namespaces).
 */
final class FlannelOverlay implements AutoCloseable {
    static final String C_ADDR = "10.244.1.2";
    static final String R_ADDR = "10.244.2.5";
    static final MacAddress NIC = MacAddress.parse("02:00:00:00:aa:01");
    static final MacAddress UNDERLAY_X = MacAddress.parse("02:00:00:00:bb:01");
    static final MacAddress VTEP_H = MacAddress.parse("02:fa:00:00:00:01");
    static final MacAddress VTEP_X = MacAddress.parse("02:fa:00:00:00:02");
    static final MacAddress CNI0 = MacAddress.parse("02:42:0a:f4:01:01");
    static final MacAddress C_MAC = MacAddress.parse("02:42:0a:f4:01:02");
    static final String C2_ADDR = "10.244.1.3";
    static final MacAddress C2_MAC = MacAddress.parse("02:42:0a:f4:01:03");

    final LibBpf lib = LibBpfs.get();
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    final Netns h;
    final Netns x;
    final Netns c;
    final Netns c2;
    final BpfObject dp;
    final int nic;
    final int veth;
    final int veth2;
    final BpfMap<Ipv4Address, Endpoint> endpoints;
    final BpfMap<Ipv4Address, EgressHost> hosts;
    final BpfMap<Ipv4Address, EgressHeader> headers;
    final PerCpuMap<Integer, Long> stats;

    FlannelOverlay() {
        try {
            h = track(Netns.create(lib));
            x = track(Netns.create(lib));
            c = track(Netns.create(lib));
            c2 = track(Netns.create(lib));
            build();
            dp = track(DatapathObject.open(lib, DatapathConfig.DEFAULTS).load());
            nic = h.call(() -> lib.ifNameToIndex("nic0"));
            veth = h.call(() -> lib.ifNameToIndex("vethc"));
            veth2 = h.call(() -> lib.ifNameToIndex("vethc2"));
            endpoints = dp.map(DatapathObject.ENDPOINTS, DatapathObject.IPV4_KEY, Endpoint.CODEC);
            headers = dp.map(DatapathObject.EGRESS_HEADERS, DatapathObject.IPV4_KEY, EgressHeader.CODEC);
            hosts = dp.map(DatapathObject.EGRESS_HOSTS, DatapathObject.IPV4_KEY, EgressHost.CODEC);
            stats = dp.perCpuMap(DatapathObject.STATS, DatapathObject.STAT_KEY, DatapathObject.COUNTER);
            dp.map(DatapathObject.HOST_DEVICES, DatapathObject.IFINDEX_KEY, HostDevice.CODEC)
                    .put(nic, HostDevice.of(Ipv4Address.parse("192.168.50.1"), NIC));
            endpoints.put(Ipv4Address.parse(C_ADDR), Endpoint.registered(veth));
            endpoints.put(Ipv4Address.parse(C2_ADDR), Endpoint.registered(veth2));
            TcOptions inH = TcOptions.defaults().withNetns(h.path());
            track(Tc.attach(dp.program(DatapathObject.INGRESS_FAST_PATH), "nic0", TcAttachPoint.INGRESS, inH));
            track(Tc.attach(dp.program(DatapathObject.EGRESS_LEARNER), "nic0", TcAttachPoint.EGRESS, inH));
            track(Tc.attach(dp.program(DatapathObject.EGRESS_FAST_PATH), "vethc", TcAttachPoint.INGRESS, inH));
            track(Tc.attach(dp.program(DatapathObject.INGRESS_LEARNER), "vethc", TcAttachPoint.EGRESS, inH));
            track(Tc.attach(dp.program(DatapathObject.EGRESS_FAST_PATH), "vethc2", TcAttachPoint.INGRESS, inH));
            track(Tc.attach(dp.program(DatapathObject.INGRESS_LEARNER), "vethc2", TcAttachPoint.EGRESS, inH));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Closed before everything tracked earlier. */
    <T extends AutoCloseable> T track(T resource) {
        cleanup.add(0, resource);
        return resource;
    }

    long count(Stat s) {
        return stats.lookupCombined(s.index(), Long::sum).orElseThrow();
    }

    Map<Stat, Long> counts() {
        Map<Stat, Long> out = new EnumMap<>(Stat.class);
        for (Stat s : Stat.values()) {
            long n = count(s);
            if (n != 0) {
                out.put(s, n);
            }
        }
        return out;
    }

    /** A UDP socket bound in {@code ns} (3 s receive timeout), closed with the overlay. */
    DatagramSocket udp(Netns ns, String addr, int port) {
        return track(ns.call(() -> {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(addr), port));
            s.setSoTimeout(3000);
            return s;
        }));
    }

    static byte[] receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.receive(p);
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }

    private void build() {
        h.ip("link", "add", "nic0", "address", NIC.toString(), "type", "veth", "peer", "name", "und0", "address",
                UNDERLAY_X.toString(), "netns", x.name());
        h.ip("addr", "add", "192.168.50.1/24", "dev", "nic0");
        x.ip("addr", "add", "192.168.50.2/24", "dev", "und0");
        h.ip("link", "add", "cni0", "address", CNI0.toString(), "type", "bridge");
        h.ip("addr", "add", "10.244.1.1/24", "dev", "cni0");
        h.ip("link", "add", "vethc", "type", "veth", "peer", "name", "eth0", "address", C_MAC.toString(), "netns",
                c.name());
        h.ip("link", "set", "vethc", "master", "cni0", "mtu", "1450");
        c.ip("link", "set", "eth0", "mtu", "1450");
        c.ip("addr", "add", C_ADDR + "/24", "dev", "eth0");
        h.ip("link", "add", "vethc2", "type", "veth", "peer", "name", "eth0", "address", C2_MAC.toString(), "netns",
                c2.name());
        h.ip("link", "set", "vethc2", "master", "cni0", "mtu", "1450");
        c2.ip("link", "set", "eth0", "mtu", "1450");
        c2.ip("addr", "add", C2_ADDR + "/24", "dev", "eth0");
        // VTEPs, Flannel style: a /32 on flannel.1, a route per remote subnet via its .0, static neighbour and FDB.
        h.ip("link", "add", "flannel.1", "address", VTEP_H.toString(), "type", "vxlan", "id", "1", "local",
                "192.168.50.1", "dev", "nic0", "dstport", "8472", "nolearning");
        x.ip("link", "add", "flannel.1", "address", VTEP_X.toString(), "type", "vxlan", "id", "1", "local",
                "192.168.50.2", "dev", "und0", "dstport", "8472", "nolearning");
        h.ip("addr", "add", "10.244.1.0/32", "dev", "flannel.1");
        x.ip("addr", "add", "10.244.2.0/32", "dev", "flannel.1");
        x.ip("addr", "add", R_ADDR + "/32", "dev", "lo"); // the remote container's address, local to X
        for (Netns n : List.of(h, x, c, c2)) {
            n.ip("link", "set", "lo", "up");
        }
        for (String dev : List.of("nic0", "cni0", "vethc", "vethc2", "flannel.1")) {
            h.ip("link", "set", dev, "up");
        }
        for (String dev : List.of("und0", "flannel.1")) {
            x.ip("link", "set", dev, "up");
        }
        for (Netns n : List.of(c, c2)) {
            n.ip("link", "set", "eth0", "up");
            n.ip("route", "add", "default", "via", "10.244.1.1");
        }
        h.ip("route", "add", "10.244.2.0/24", "via", "10.244.2.0", "dev", "flannel.1", "onlink");
        x.ip("route", "add", "10.244.1.0/24", "via", "10.244.1.0", "dev", "flannel.1", "onlink");
        h.ip("neigh", "add", "10.244.2.0", "lladdr", VTEP_X.toString(), "dev", "flannel.1", "nud", "permanent");
        x.ip("neigh", "add", "10.244.1.0", "lladdr", VTEP_H.toString(), "dev", "flannel.1", "nud", "permanent");
        Netns.run("bridge", "-n", h.name(), "fdb", "append", VTEP_X.toString(), "dev", "flannel.1", "dst",
                "192.168.50.2");
        Netns.run("bridge", "-n", x.name(), "fdb", "append", VTEP_H.toString(), "dev", "flannel.1", "dst",
                "192.168.50.1");
        h.call(() -> {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
            return null;
        });
    }

    @Override
    public void close() {
        for (AutoCloseable a : cleanup) {
            try {
                a.close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        cleanup.clear();
    }
}
