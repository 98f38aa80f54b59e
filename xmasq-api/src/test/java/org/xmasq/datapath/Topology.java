package org.xmasq.datapath;

import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.testing.Frames;

/**
 * A Flannel-style overlay seen from this host: containers C1 and C2 behind the bridge/gateway cni0, a remote
 * container R on the remote host, VTEPs (flannel.1) on both hosts, VXLAN port 8472 and VNI 1. The frames are
 * what each hook sees on the slow path.
 */
final class Topology {
    static final Ipv4Address LOCAL_HOST = Ipv4Address.parse("192.168.50.1");
    static final Ipv4Address REMOTE_HOST = Ipv4Address.parse("192.168.50.2");
    static final MacAddress NIC_MAC = MacAddress.parse("02:00:00:00:aa:01");
    static final MacAddress REMOTE_NIC_MAC = MacAddress.parse("02:00:00:00:bb:01");
    static final MacAddress VTEP_MAC = MacAddress.parse("02:fa:00:00:00:01");
    static final MacAddress REMOTE_VTEP_MAC = MacAddress.parse("02:fa:00:00:00:02");

    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");
    static final Ipv4Address C2 = Ipv4Address.parse("10.244.1.3");
    static final Ipv4Address R = Ipv4Address.parse("10.244.2.5");
    static final MacAddress C1_MAC = MacAddress.parse("02:42:0a:f4:01:02");
    static final MacAddress C2_MAC = MacAddress.parse("02:42:0a:f4:01:03");
    static final MacAddress GATEWAY_MAC = MacAddress.parse("02:42:0a:f4:01:01");

    static final int VXLAN_PORT = 8472;
    static final int VNI = 1;
    /** Outer source port of the overlay's packets in the cached header (the fast path replaces it). */
    static final int OVERLAY_SPORT = 45000;
    static final int REMOTE_SPORT = 51000;

    static final int C1_PORT = 40000;
    static final int R_PORT = 53;
    /** The UDP flow C1:40000 <-> R:53 as C1 sees it. */
    static final FlowKey C1_R = FlowKey.udp(C1, C1_PORT, R, R_PORT);
    /** The UDP flow C1:40000 <-> C2:7000 as C1 sees it. */
    static final FlowKey C1_C2 = FlowKey.udp(C1, C1_PORT, C2, 7000);

    static final byte[] PAYLOAD = "fast path, slow path, same bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private Topology() {
    }

    static String s(Object address) {
        return address.toString();
    }

    /** Ethernet + IPv4 (DF, id 0x1234) + UDP with checksums. */
    static byte[] udp(MacAddress dstMac, MacAddress srcMac, Ipv4Address src, Ipv4Address dst, int sport, int dport,
                      int ttl, byte[] payload) {
        return Frames.ethernet(s(dstMac), s(srcMac), 0x0800, new Frames.Ipv4(s(src), s(dst), Frames.IPPROTO_UDP)
                .ttl(ttl).build(Frames.udp(s(src), s(dst), sport, dport, payload, true)));
    }

    /** Ethernet + IPv4 + TCP (ACK) with checksums. */
    static byte[] tcp(MacAddress dstMac, MacAddress srcMac, Ipv4Address src, Ipv4Address dst, int sport, int dport,
                      int ttl, byte[] payload) {
        return Frames.ethernet(s(dstMac), s(srcMac), 0x0800, new Frames.Ipv4(s(src), s(dst), Frames.IPPROTO_TCP)
                .ttl(ttl).build(Frames.tcp(s(src), s(dst), sport, dport, 0x10, payload)));
    }

    /** VXLAN (outer DF, id 0, TTL 64, UDP checksum 0) around {@code inner}. */
    static byte[] vxlan(MacAddress dstMac, MacAddress srcMac, Ipv4Address src, Ipv4Address dst, int sport,
                        byte[] inner) {
        return Frames.vxlanFrame(s(dstMac), s(srcMac), s(src), s(dst), sport, VXLAN_PORT, VNI, inner);
    }

    /** C1 -> R as C1 sends it: to the gateway's MAC (routed), TTL 64. */
    static byte[] c1ToR() {
        return udp(GATEWAY_MAC, C1_MAC, C1, R, C1_PORT, R_PORT, 64, PAYLOAD);
    }

    /** C1 -> R as the overlay sends it out of the NIC: routed once (TTL 63), between the VTEPs, encapsulated. */
    static byte[] c1ToROnTheWire() {
        byte[] inner = udp(REMOTE_VTEP_MAC, VTEP_MAC, C1, R, C1_PORT, R_PORT, 63, PAYLOAD);
        return vxlan(REMOTE_NIC_MAC, NIC_MAC, LOCAL_HOST, REMOTE_HOST, OVERLAY_SPORT, inner);
    }

    /** R -> C1 as it arrives at the NIC: routed once by the remote host (TTL 63). */
    static byte[] rToC1OnTheWire() {
        return vxlan(NIC_MAC, REMOTE_NIC_MAC, REMOTE_HOST, LOCAL_HOST, REMOTE_SPORT, rToC1Inner(63));
    }

    static byte[] rToC1Inner(int ttl) {
        return udp(VTEP_MAC, REMOTE_VTEP_MAC, R, C1, R_PORT, C1_PORT, ttl, PAYLOAD);
    }

    /** R -> C1 as the slow path delivers it into C1: decapsulated, routed again (TTL 62), from the gateway's MAC. */
    static byte[] rToC1Delivered() {
        return udp(C1_MAC, GATEWAY_MAC, R, C1, R_PORT, C1_PORT, 62, PAYLOAD);
    }

    /** The 64 bytes the egress learner caches from {@link #c1ToROnTheWire()}. */
    static TunnelHeader overlayHeader() {
        return TunnelHeader.fromBytes(java.util.Arrays.copyOf(c1ToROnTheWire(), TunnelHeader.SIZE));
    }

    /** C1 -> C2 over the bridge: C1 resolved C2's MAC itself. */
    static byte[] c1ToC2Bridged() {
        return udp(C2_MAC, C1_MAC, C1, C2, C1_PORT, 7000, 64, PAYLOAD);
    }

    /** C1 -> C2 through the gateway (another subnet on the same host). */
    static byte[] c1ToC2Routed() {
        return udp(GATEWAY_MAC, C1_MAC, C1, C2, C1_PORT, 7000, 64, PAYLOAD);
    }

    /** C1 -> C2 as the gateway delivers it into C2: from the gateway's MAC, one TTL less. */
    static byte[] c1ToC2RoutedDelivered() {
        return udp(C2_MAC, GATEWAY_MAC, C1, C2, C1_PORT, 7000, 63, PAYLOAD);
    }

    /** C1 -> R (UDP, to the gateway) with its IPv4 header adjusted by {@code ip}. */
    static byte[] c1ToRWith(java.util.function.UnaryOperator<Frames.Ipv4> ip) {
        return Frames.ethernet(s(GATEWAY_MAC), s(C1_MAC), 0x0800, ip.apply(new Frames.Ipv4(s(C1), s(R),
                Frames.IPPROTO_UDP)).build(Frames.udp(s(C1), s(R), C1_PORT, R_PORT, PAYLOAD, true)));
    }

    /** R -> C1 as it arrives at the NIC, around {@code inner} (any Ethernet frame). */
    static byte[] fromRemoteAround(byte[] inner) {
        return vxlan(NIC_MAC, REMOTE_NIC_MAC, REMOTE_HOST, LOCAL_HOST, REMOTE_SPORT, inner);
    }

    /** R -> C1 (UDP, between the VTEPs) with its inner IPv4 header adjusted by {@code ip}, encapsulated. */
    static byte[] rToC1With(java.util.function.UnaryOperator<Frames.Ipv4> ip) {
        byte[] inner = Frames.ethernet(s(VTEP_MAC), s(REMOTE_VTEP_MAC), 0x0800, ip.apply(new Frames.Ipv4(s(R), s(C1),
                Frames.IPPROTO_UDP).ttl(63)).build(Frames.udp(s(R), s(C1), R_PORT, C1_PORT, PAYLOAD, true)));
        return fromRemoteAround(inner);
    }

    /** A copy of {@code frame} with {@code bytes} written at {@code offset}. */
    static byte[] patched(byte[] frame, int offset, int... bytes) {
        byte[] out = frame.clone();
        for (int i = 0; i < bytes.length; i++) {
            out[offset + i] = (byte) bytes[i];
        }
        return out;
    }

    /** The first {@code length} bytes of {@code frame}, or it padded with zeros to {@code length}. */
    static byte[] resized(byte[] frame, int length) {
        return java.util.Arrays.copyOf(frame, length);
    }
}
