package org.xmasq.datapath;

import java.util.Objects;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;
import org.xmasq.net.MacAddress;

/**
 * A value of the {@code endpoints} map ({@code struct xmasq_endpoint}, 20 bytes): a local container's host-side veth
 * and the two MACs the slow path delivers its frames with. The key is the container's IPv4 address.
 *
 * @param ifindex host-side veth ifindex, in the host namespace
 * @param containerMac the container's own MAC (valid when {@link #containerMacKnown()})
 * @param gatewayMac the MAC routed frames come from, the overlay's gateway (valid when {@link #gatewayMacKnown()})
 * @param flags {@link #CONTAINER_MAC_KNOWN} and {@link #GATEWAY_MAC_KNOWN}
 */
public record Endpoint(int ifindex, MacAddress containerMac, MacAddress gatewayMac, int flags) {
    /** ENDPOINT_CONTAINER_MAC_KNOWN: {@link #containerMac} is valid. */
    public static final int CONTAINER_MAC_KNOWN = 0x1;
    /** ENDPOINT_GATEWAY_MAC_KNOWN: {@link #gatewayMac} is valid. */
    public static final int GATEWAY_MAC_KNOWN = 0x2;
    /** Both MACs known: what the ingress fast path needs. */
    public static final int MACS_KNOWN = CONTAINER_MAC_KNOWN | GATEWAY_MAC_KNOWN;

    public static final StructCodec<Endpoint> CODEC;

    static {
        var b = StructCodec.<Endpoint>builder("xmasq_endpoint");
        var ifindex = b.field("ifindex", Codecs.u32(), Endpoint::ifindex);
        var containerMac = b.field("container_mac", Codecs.mac(), Endpoint::containerMac);
        var gatewayMac = b.field("gateway_mac", Codecs.mac(), Endpoint::gatewayMac);
        var flags = b.field("flags", Codecs.u32(), Endpoint::flags);
        CODEC = b.build(v -> new Endpoint(v.get(ifindex), v.get(containerMac), v.get(gatewayMac), v.get(flags)));
    }

    public Endpoint {
        Objects.requireNonNull(containerMac, "containerMac");
        Objects.requireNonNull(gatewayMac, "gatewayMac");
    }

    /** A freshly registered endpoint: no MAC known yet, the learners fill them from the slow path. */
    public static Endpoint registered(int ifindex) {
        return new Endpoint(ifindex, MacAddress.ZERO, MacAddress.ZERO, 0);
    }

    /** An endpoint whose container MAC the SDK already knows (the gateway MAC is learned). */
    public static Endpoint registered(int ifindex, MacAddress containerMac) {
        return new Endpoint(ifindex, containerMac, MacAddress.ZERO, CONTAINER_MAC_KNOWN);
    }

    public boolean containerMacKnown() {
        return (flags & CONTAINER_MAC_KNOWN) != 0;
    }

    public boolean gatewayMacKnown() {
        return (flags & GATEWAY_MAC_KNOWN) != 0;
    }
}
