package org.xmasq.datapath;

import java.util.Objects;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.net.Ipv4Address;

/**
 * A key of {@code filter_cache} ({@code struct xmasq_flow_key}, 16 bytes with 3 bytes of zero padding): one flow as
 * the local container sees it. Ports are 0 for protocols other than TCP and UDP.
 */
public record FlowKey(Ipv4Address localAddress, Ipv4Address remoteAddress, int localPort, int remotePort,
                      int protocol) {
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    public static final StructCodec<FlowKey> CODEC;

    static {
        var b = StructCodec.<FlowKey>builder("xmasq_flow_key");
        var local = b.field("local_addr", Codecs.ipv4(), FlowKey::localAddress);
        var remote = b.field("remote_addr", Codecs.ipv4(), FlowKey::remoteAddress);
        var localPort = b.field("local_port", Codecs.u16Network(), FlowKey::localPort);
        var remotePort = b.field("remote_port", Codecs.u16Network(), FlowKey::remotePort);
        var protocol = b.field("protocol", Codecs.u8(), FlowKey::protocol);
        b.pad(3);
        CODEC = b.build(v -> new FlowKey(v.get(local), v.get(remote), v.get(localPort), v.get(remotePort),
                v.get(protocol)));
    }

    public FlowKey {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        if (localPort < 0 || localPort > 0xffff || remotePort < 0 || remotePort > 0xffff) {
            throw new IllegalArgumentException("ports are 0..65535: " + localPort + ", " + remotePort);
        }
        if (protocol < 0 || protocol > 0xff) {
            throw new IllegalArgumentException("protocol is 0..255, not " + protocol);
        }
    }

    /** A TCP flow. */
    public static FlowKey tcp(Ipv4Address local, int localPort, Ipv4Address remote, int remotePort) {
        return new FlowKey(local, remote, localPort, remotePort, PROTOCOL_TCP);
    }

    /** A UDP flow. */
    public static FlowKey udp(Ipv4Address local, int localPort, Ipv4Address remote, int remotePort) {
        return new FlowKey(local, remote, localPort, remotePort, PROTOCOL_UDP);
    }

    /** The same flow seen from the other end (for an intra-host flow, the peer container's key). */
    public FlowKey reversed() {
        return new FlowKey(remoteAddress, localAddress, remotePort, localPort, protocol);
    }
}
