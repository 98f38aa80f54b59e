package org.xmasq.datapath;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xmasq.bpf.BpfMap;
import org.xmasq.net.Ipv4Address;

/** Level 1 of the egress cache ({@code egress_hosts}): remote container IPv4 -> the host it lives on. Learned. */
public final class EgressHostCache extends DatapathMap<Ipv4Address, EgressHost> {
    public EgressHostCache(BpfMap<Ipv4Address, EgressHost> map, Runnable guard) {
        super(map, guard);
    }

    /** The host the remote container {@code container} was last seen on. */
    public Optional<Ipv4Address> hostOf(Ipv4Address container) {
        return lookup(container).map(EgressHost::hostAddress);
    }

    /** The remote containers cached as living on {@code host}. */
    public List<Ipv4Address> containersOn(Ipv4Address host) {
        Objects.requireNonNull(host, "host");
        return entries().entrySet().stream().filter(e -> e.getValue().hostAddress().equals(host))
                .map(e -> e.getKey()).sorted().toList();
    }

    /** Deletes every entry pointing to {@code host}. @return how many */
    public int evictHost(Ipv4Address host) {
        Objects.requireNonNull(host, "host");
        return removeIf((k, v) -> v.hostAddress().equals(host));
    }
}
