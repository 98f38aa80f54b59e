package org.xmasq.datapath;

import java.util.Objects;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;

/**
 * A value of {@code egress_headers}, level 2 of the egress cache ({@code struct xmasq_egress_header}, 68 bytes): the
 * header the overlay put on a packet to one remote host, and the NIC it left by. The key is the remote host's
 * underlay IPv4 address.
 *
 * @param header the 64 cached bytes (outer Ethernet, IPv4, UDP, VXLAN, inner Ethernet)
 * @param ifindex the output NIC
 */
public record EgressHeader(TunnelHeader header, int ifindex) {
    public static final StructCodec<EgressHeader> CODEC;

    static {
        var b = StructCodec.<EgressHeader>builder("xmasq_egress_header");
        var bytes = b.field("bytes", TunnelHeader.CODEC, EgressHeader::header);
        var ifindex = b.field("ifindex", Codecs.u32(), EgressHeader::ifindex);
        CODEC = b.build(v -> new EgressHeader(v.get(bytes), v.get(ifindex)));
    }

    public EgressHeader {
        Objects.requireNonNull(header, "header");
    }
}
