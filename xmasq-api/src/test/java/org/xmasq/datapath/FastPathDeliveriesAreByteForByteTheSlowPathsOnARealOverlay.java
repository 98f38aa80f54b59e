package org.xmasq.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.xmasq.datapath.FlannelOverlay.C_ADDR;
import static org.xmasq.datapath.FlannelOverlay.R_ADDR;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.bpf.Tc;
import org.xmasq.bpf.TcOptions;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.testing.Frames;
import org.xmasq.testing.Netns;

/**
 * Invariants 5 and 6 against the real slow path: in a {@link FlannelOverlay}, the same datagram is sent twice each
 * way, first over the overlay (slow path, learned) then over the fast paths, and the frames are recorded where they
 * arrive (a capture program at C's eth0 ingress and at X's underlay ingress). The fast path's frames equal the slow
 * path's byte for byte (MACs, TTLs, lengths, ports, the outer UDP source port of the flow, VXLAN header), except the
 * IPv4 identification fields, which the senders' kernels choose per packet, and the header checksums covering them
 * (checked valid instead), and the outer UDP checksum, which the fast path leaves 0 while the kernel's VXLAN device
 * fills it by default (udpcsum).
 */
class FastPathDeliveriesAreByteForByteTheSlowPathsOnARealOverlay {
    private static final String CAPTURE = "org/xmasq/bpf/test/xmasq_capture.bpf.o";

    record Capture(int len, byte[] bytes) {
        static final StructCodec<Capture> CODEC;

        static {
            var b = StructCodec.<Capture>builder("capture");
            var len = b.field("len", Codecs.u32(), Capture::len);
            b.pad(4);
            var bytes = b.field("bytes", Codecs.bytes(256), Capture::bytes);
            CODEC = b.build(v -> new Capture(v.get(len), v.get(bytes)));
        }

        byte[] frame() {
            return java.util.Arrays.copyOf(bytes, Math.min(len, 256));
        }
    }

    /** A capture program attached at a device's ingress in a namespace. */
    static final class Recorder {
        final BpfMap<Integer, Capture> captures;
        final BpfMap<Integer, Integer> count;

        Recorder(FlannelOverlay o, Netns ns, String dev) {
            BpfObject obj = o.track(BpfObjectSpec.fromResource(o.lib, CAPTURE).load());
            captures = obj.map("captures", Codecs.u32(), Capture.CODEC);
            count = obj.map("capture_count", Codecs.u32(), Codecs.u32());
            o.track(Tc.attach(obj.program("capture_frames"), dev, TcAttachPoint.INGRESS,
                    TcOptions.defaults().withNetns(ns.path())));
        }

        void clear() {
            count.put(0, 0);
        }

        /** The recorded frames that are IPv4/UDP to {@code port} at {@code l3} (14, or 64 inside VXLAN). */
        List<byte[]> udpTo(int port, int l3) {
            List<byte[]> out = new ArrayList<>();
            int n = Math.min(count.lookup(0).orElse(0), 64);
            for (int i = 0; i < n; i++) {
                byte[] f = captures.lookup(i).orElseThrow().frame();
                if (f.length >= l3 + 28 && Frames.u16(f, l3 - 2) == 0x0800 && (f[l3 + 9] & 0xff) == 17
                        && Frames.u16(f, l3 + 22) == port) {
                    out.add(f);
                }
            }
            return out;
        }
    }

    /** {@code f} with the IPv4 id and header checksum at {@code ip} zeroed, after checking that checksum. */
    private static byte[] withoutIdAndChecksum(byte[] f, int ip) {
        assertEquals(0, Frames.checksum(f, ip, 20, 0), "IPv4 header checksum at " + ip);
        byte[] out = f.clone();
        out[ip + 4] = out[ip + 5] = 0;
        out[ip + 10] = out[ip + 11] = 0;
        return out;
    }

    private static byte[] only(List<byte[]> frames, String what) {
        assertEquals(1, frames.size(), what + ": " + frames.stream().map(HexFormat.of()::formatHex).toList());
        return frames.get(0);
    }

    @Test
    void anIntraHostDeliveryMatchesTheBridges() throws Exception {
        try (FlannelOverlay o = new FlannelOverlay()) {
            Recorder atC2 = new Recorder(o, o.c2, "eth0");
            DatagramSocket c = o.udp(o.c, C_ADDR, 6000);
            DatagramSocket c2 = o.udp(o.c2, FlannelOverlay.C2_ADDR, 7000);
            byte[] request = "next door".getBytes(StandardCharsets.US_ASCII);
            byte[] reply = "hello neighbour".getBytes(StandardCharsets.US_ASCII);

            byte[][] delivered = new byte[2][];
            for (int round = 0; round < 2; round++) {
                atC2.clear();
                c.send(new DatagramPacket(request, request.length, InetAddress.getByName(FlannelOverlay.C2_ADDR),
                        7000));
                assertArrayEquals(request, FlannelOverlay.receive(c2));
                c2.send(new DatagramPacket(reply, reply.length, InetAddress.getByName(C_ADDR), 6000));
                assertArrayEquals(reply, FlannelOverlay.receive(c));
                delivered[round] = only(atC2.udpTo(7000, 14), "deliveries into C2, round " + round);
            }
            assertEquals(2, o.count(Stat.HIT_EGRESS_INTRA_HOST), "the second round went veth to veth both ways");
            assertEquals(HexFormat.of().formatHex(withoutIdAndChecksum(delivered[0], 14)),
                    HexFormat.of().formatHex(withoutIdAndChecksum(delivered[1], 14)),
                    "peer redirect (fast) vs the bridge's delivery (slow)");
        }
    }

    @Test
    void bothDirectionsMatchTheSlowPath() throws Exception {
        try (FlannelOverlay o = new FlannelOverlay()) {
            Recorder atContainer = new Recorder(o, o.c, "eth0");
            Recorder atRemote = new Recorder(o, o.x, "und0");
            DatagramSocket container = o.udp(o.c, C_ADDR, 6000);
            DatagramSocket remote = o.udp(o.x, R_ADDR, 5000);
            byte[] request = "same bytes, both paths".getBytes(StandardCharsets.US_ASCII);
            byte[] reply = "same reply, both paths".getBytes(StandardCharsets.US_ASCII);

            byte[][] delivered = new byte[2][];
            byte[][] onTheWire = new byte[2][];
            for (int round = 0; round < 2; round++) {
                atContainer.clear();
                atRemote.clear();
                remote.send(new DatagramPacket(request, request.length, InetAddress.getByName(C_ADDR), 6000));
                assertArrayEquals(request, FlannelOverlay.receive(container));
                container.send(new DatagramPacket(reply, reply.length, InetAddress.getByName(R_ADDR), 5000));
                assertArrayEquals(reply, FlannelOverlay.receive(remote));
                delivered[round] = only(atContainer.udpTo(6000, 14), "deliveries into C, round " + round);
                onTheWire[round] = only(atRemote.udpTo(5000, 64), "VXLAN packets at X, round " + round);
            }
            assertEquals(1, o.count(Stat.HIT_INGRESS), "the second request took the ingress fast path");
            assertEquals(1, o.count(Stat.HIT_EGRESS_INTER_HOST), "the second reply took the egress fast path");

            assertEquals(HexFormat.of().formatHex(withoutIdAndChecksum(delivered[0], 14)),
                    HexFormat.of().formatHex(withoutIdAndChecksum(delivered[1], 14)),
                    "decapsulated delivery (fast) vs the overlay's delivery (slow)");
            byte[] slow = withoutIdAndChecksum(withoutIdAndChecksum(onTheWire[0], 14), 64);
            byte[] fast = withoutIdAndChecksum(withoutIdAndChecksum(onTheWire[1], 14), 64);
            // The outer UDP checksum: the fast path always sends 0 (allowed for VXLAN over IPv4, RFC 7348, and
            // accepted by X above); the kernel's VXLAN device fills it when its udpcsum option is on (the default).
            assertEquals(0, Frames.u16(fast, TunnelHeader.UDP_CHECKSUM), "the fast path's outer UDP checksum");
            slow[TunnelHeader.UDP_CHECKSUM] = slow[TunnelHeader.UDP_CHECKSUM + 1] = 0;
            assertEquals(HexFormat.of().formatHex(slow), HexFormat.of().formatHex(fast),
                    "encapsulated packet (fast) vs the VXLAN device's (slow), including the flow's UDP source port");
        }
    }
}
