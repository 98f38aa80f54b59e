package org.xmasq.datapath;

import java.util.Optional;
import org.xmasq.bpf.BpfMap;
import org.xmasq.net.Ipv4Address;

/**
 * Level 2 of the egress cache ({@code egress_headers}): remote host IPv4 -> the tunnel header the overlay used to
 * reach it ({@link TunnelHeader} parses outer MACs, IPs, UDP ports, VNI, inner MACs) and the output NIC. Learned.
 */
public final class EgressHeaderCache extends DatapathMap<Ipv4Address, EgressHeader> {
    public EgressHeaderCache(BpfMap<Ipv4Address, EgressHeader> map, Runnable guard) {
        super(map, guard);
    }

    /** The parsed tunnel header for {@code host}. */
    public Optional<TunnelHeader> headerFor(Ipv4Address host) {
        return lookup(host).map(EgressHeader::header);
    }
}
