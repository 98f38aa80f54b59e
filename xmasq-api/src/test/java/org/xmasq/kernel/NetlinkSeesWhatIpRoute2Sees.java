package org.xmasq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xmasq.host.HostInterfaces;
import org.xmasq.host.IpRoute2Interfaces;
import org.xmasq.host.InterfaceInfo;
import org.xmasq.net.Ipv4Address;
import org.xmasq.testing.Netns;

/**
 * The SDK reads interfaces over rtnetlink (no process per attach): it must see exactly what iproute2's
 * {@code ip -j -d addr show dev NAME} sees, in the calling thread's namespace -- names, indexes, link kinds, MACs and
 * IPv4 addresses in order, a secondary and a point-to-point address included, and nothing for a missing interface.
 */
class NetlinkSeesWhatIpRoute2Sees {
    @Test
    void everyInterfaceOfTheNamespaceReadsTheSameBothWays() {
        try (HostNamespace host = new HostNamespace()) {
            host.ip("addr", "add", "10.1.0.9/24", "dev", "nic0"); // a secondary
            host.ip("addr", "add", "10.9.9.9", "peer", "10.9.9.10/32", "dev", "nic9"); // IFA_LOCAL != IFA_ADDRESS
            host.ip("link", "set", "lo", "up");
            HostInterfaces netlink = HostInterfaces.netlink(host.lib);
            IpRoute2Interfaces ip = IpRoute2Interfaces.system();
            for (String dev : List.of("lo", "nic0", "underlay0", "veth1", "ctr1", "veth2", "nic9", "br9", "nosuch0",
                    "toolongname0123456", "a/b")) {
                assertEquals(host.call(() -> ip.find(dev)), host.call(() -> netlink.find(dev)), dev);
            }
            InterfaceInfo nic0 = host.call(() -> netlink.find("nic0")).orElseThrow();
            assertEquals(List.of(Ipv4Address.parse("10.1.0.1"), Ipv4Address.parse("10.1.0.9")), nic0.ipv4());
            assertEquals(host.ifindex("nic0"), nic0.ifindex());
            assertTrue(host.call(() -> netlink.find("veth1")).orElseThrow().isVeth());
            assertEquals("bridge", host.call(() -> netlink.find("br9")).orElseThrow().kind());
            assertEquals(List.of(Ipv4Address.parse("10.9.9.9")), host.call(() -> netlink.find("nic9")).orElseThrow()
                    .ipv4());
            assertEquals(host.call(ip::namespace), host.call(netlink::namespace));
        }
    }

    @Test
    void anInterfaceIsFoundByIndexAndAVethsPeerThroughItsNamespace() {
        try (HostNamespace host = new HostNamespace(); Netns container = Netns.create(host.lib)) {
            HostInterfaces netlink = HostInterfaces.netlink(host.lib);
            for (String dev : List.of("lo", "nic0", "veth1", "ctr1", "br9")) {
                InterfaceInfo byName = host.call(() -> netlink.find(dev)).orElseThrow();
                assertEquals(Optional.of(byName), host.call(() -> netlink.find(byName.ifindex())), dev);
                assertEquals(Optional.of(dev), host.call(() -> netlink.nameOf(byName.ifindex())), dev);
            }
            assertEquals(Optional.empty(), host.call(() -> netlink.find(999_999)));
            assertEquals(Optional.empty(), host.call(() -> netlink.nameOf(999_999)));
            // a container's eth0 in its own namespace, the host end in the host's, as a CNI's bridge plugin leaves it
            host.ip("link", "add", "vethc9", "type", "veth", "peer", "name", "eth0", "netns", container.name());
            InterfaceInfo hostEnd = host.call(() -> netlink.vethPeer(container.path(), "eth0")).orElseThrow();
            assertEquals("vethc9", hostEnd.name());
            assertEquals(host.ifindex("vethc9"), hostEnd.ifindex());
            assertEquals(Optional.empty(), host.call(() -> netlink.vethPeer(container.path(), "nosuch0")));
            assertEquals(Optional.empty(), host.call(() -> netlink.vethPeer(container.path(), "lo")), "no veth");
        }
    }
}
