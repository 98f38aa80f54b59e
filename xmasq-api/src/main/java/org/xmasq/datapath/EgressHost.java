package org.xmasq.datapath;

import java.util.Objects;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.net.Ipv4Address;

/**
 * A value of {@code egress_hosts}, level 1 of the egress cache ({@code struct xmasq_egress_host}, 4 bytes): the
 * underlay address of the host a remote container lives on. The key is the remote container's IPv4 address.
 */
public record EgressHost(Ipv4Address hostAddress) {
    public static final StructCodec<EgressHost> CODEC;

    static {
        var b = StructCodec.<EgressHost>builder("xmasq_egress_host");
        var host = b.field("host_addr", Codecs.ipv4(), EgressHost::hostAddress);
        CODEC = b.build(v -> new EgressHost(v.get(host)));
    }

    public EgressHost {
        Objects.requireNonNull(hostAddress, "hostAddress");
    }
}
