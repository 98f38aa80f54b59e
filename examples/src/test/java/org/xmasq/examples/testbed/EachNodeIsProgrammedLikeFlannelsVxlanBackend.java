package org.xmasq.examples.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The VXLAN device, route, neighbour and FDB entries of each node are the ones Flannel's VXLAN backend writes. */
class EachNodeIsProgrammedLikeFlannelsVxlanBackend {
    private static Testbed tb;

    @BeforeAll
    static void up() {
        tb = Testbed.create();
    }

    @AfterAll
    static void down() {
        if (tb != null) {
            tb.close();
        }
    }

    @Test
    void everyNamespaceCarriesThePrefix() {
        List<String> names = tb.namespaces().stream().map(Netns::name).toList();
        assertEquals(6, names.size());
        assertEquals(names.stream().sorted().toList(), Testbed.namespacesOf(tb.prefix()));
        assertTrue(names.stream().allMatch(n -> n.startsWith(tb.prefix() + "-")));
    }

    @Test
    void theVxlanDeviceHasFlannelsParameters() {
        for (Host h : tb.hosts()) {
            String d = h.netns().ip("-d", "link", "show", "dev", Testbed.VXLAN).stdout();
            assertTrue(d.contains("mtu 1450"), d);
            assertTrue(d.contains("vxlan id 1 "), d);
            assertTrue(d.contains("local " + h.underlayIp()), d);
            assertTrue(d.contains("dstport 8472"), d);
            assertTrue(d.contains("nolearning"), d);
            String a = h.netns().ip("-4", "addr", "show", "dev", Testbed.VXLAN).stdout();
            assertTrue(a.contains("inet " + h.vtepIp() + "/32"), a);
        }
    }

    @Test
    void theRemoteSubnetIsRoutedOnlinkWithStaticNeighbourAndFdbEntries() {
        Host local = tb.host(1);
        Host remote = tb.host(2);
        String route = local.netns().ip("route", "show", remote.subnet()).stdout();
        assertTrue(route.contains("via " + remote.vtepIp() + " dev flannel.1 onlink"), route);
        String neigh = local.netns().ip("neigh", "show", "dev", Testbed.VXLAN).stdout();
        assertTrue(neigh.contains(remote.vtepIp() + " lladdr " + remote.vtepMac() + " PERMANENT"), neigh);
        String fdb = local.netns().bridge("fdb", "show", "dev", Testbed.VXLAN).stdout();
        assertTrue(fdb.contains(remote.vtepMac() + " dst " + remote.underlayIp() + " self permanent"), fdb);
    }

    @Test
    void containersDefaultToTheBridgeAndUseTheOverlayMtu() {
        for (Container c : tb.containers()) {
            String route = c.netns().ip("route", "show", "default").stdout();
            assertTrue(route.contains("via " + c.host().bridgeIp()), route);
            String link = c.netns().ip("link", "show", "dev", "eth0").stdout();
            assertTrue(link.contains("mtu 1450"), link);
            String port = c.host().netns().ip("link", "show", "dev", c.hostVeth()).stdout();
            assertTrue(port.contains("master cni0"), port);
        }
    }

    @Test
    void theUnderlayIsAPlainMtu1500Link() {
        String link = tb.host(1).netns().ip("link", "show", "dev", Testbed.NIC).stdout();
        assertTrue(link.contains("mtu 1500"), link);
        assertTrue(Testbed.ping(tb.host(1).netns(), tb.host(2).underlayIp()));
    }
}
