package org.xmasq.datapath;

import java.util.List;
import org.xmasq.bpf.BpfMap;
import org.xmasq.net.Ipv4Address;

/**
 * The {@code endpoints} map (the redirect map): local container IPv4 -> its host-side veth and learned MACs. The SDK
 * registers and removes entries; the ingress learner fills the MACs. Prefer the instance's attachContainer /
 * detachContainer over writing here directly: they keep attachments and the filter cache in step.
 */
public final class EndpointTable extends DatapathMap<Ipv4Address, Endpoint> {
    public EndpointTable(BpfMap<Ipv4Address, Endpoint> map, Runnable guard) {
        super(map, guard);
    }

    /** The addresses registered on the veth with {@code ifindex}. */
    public List<Ipv4Address> onVeth(int ifindex) {
        return entries().entrySet().stream().filter(e -> e.getValue().ifindex() == ifindex).map(e -> e.getKey())
                .sorted().toList();
    }
}
