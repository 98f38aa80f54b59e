package org.xmasq.host;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * A network interface as the namespace the datapath runs in sees it.
 *
 * @param name its name
 * @param ifindex its index in that namespace
 * @param kind the rtnetlink link kind ("veth", "bridge", "vxlan", ...), or "" for a physical device
 * @param mac its MAC address
 * @param ipv4 its IPv4 addresses, primary first
 */
public record InterfaceInfo(String name, int ifindex, String kind, MacAddress mac, List<Ipv4Address> ipv4) {
    public InterfaceInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mac, "mac");
        ipv4 = List.copyOf(ipv4);
    }

    public boolean isVeth() {
        return "veth".equals(kind);
    }

    /** The primary IPv4 address, if the interface has one. */
    public Optional<Ipv4Address> primaryIpv4() {
        return ipv4.isEmpty() ? Optional.empty() : Optional.of(ipv4.get(0));
    }
}
