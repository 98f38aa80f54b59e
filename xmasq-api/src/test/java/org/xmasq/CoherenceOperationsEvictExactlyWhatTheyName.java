package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.HashSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.datapath.EgressHeader;
import org.xmasq.datapath.EgressHost;
import org.xmasq.datapath.Endpoint;
import org.xmasq.datapath.FilterEntry;
import org.xmasq.datapath.FlowKey;
import org.xmasq.datapath.TunnelHeader;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;
import org.xmasq.support.FakeHost;

/** DESIGN.md's coherence table, one call per event, each touching only what it names. */
class CoherenceOperationsEvictExactlyWhatTheyName {
    static final Ipv4Address LOCAL = Ipv4Address.parse("10.244.1.2");
    static final Ipv4Address HOST_B = Ipv4Address.parse("10.1.0.2");
    static final Ipv4Address HOST_C = Ipv4Address.parse("10.1.0.3");
    static final Ipv4Address B1 = Ipv4Address.parse("10.244.2.2");
    static final Ipv4Address B2 = Ipv4Address.parse("10.244.2.3");
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.3.2");
    static final MacAddress M1 = MacAddress.parse("02:00:00:00:aa:01");
    static final MacAddress M2 = MacAddress.parse("02:00:00:00:aa:02");

    final FakeHost host = new FakeHost();
    XMasq x;

    static EgressHeader header(Ipv4Address to) {
        return new EgressHeader(TunnelHeader.vxlan(M2, M1, FakeHost.NIC_IP, to, 64, 0, 40000, 8472, 1, M2, M1),
                FakeHost.ETH0);
    }

    @BeforeEach
    void learned() {
        x = host.builder().open();
        x.attachHost("eth0");
        x.attachContainer("veth1", LOCAL);
        x.egressHosts().put(B1, new EgressHost(HOST_B));
        x.egressHosts().put(B2, new EgressHost(HOST_B));
        x.egressHosts().put(C1, new EgressHost(HOST_C));
        x.egressHeaders().put(HOST_B, header(HOST_B));
        x.egressHeaders().put(HOST_C, header(HOST_C));
        x.filterCache().put(FlowKey.tcp(LOCAL, 80, B1, 5000), FilterEntry.BOTH);
        x.filterCache().put(FlowKey.udp(LOCAL, 53, C1, 5353), FilterEntry.BOTH);
        x.endpoints().put(LOCAL, new Endpoint(FakeHost.VETH1, M1, M2, Endpoint.MACS_KNOWN));
    }

    @AfterEach
    void down() {
        x.down();
    }

    @Test
    void aRemoteContainerGoneLosesOnlyItsLevelOneEntry() {
        assertTrue(x.evictRemoteContainer(B1));
        assertFalse(x.evictRemoteContainer(B1));
        assertEquals(Set.of(B2, C1), new HashSet<>(x.egressHosts().keys()));
        assertEquals(2, x.egressHeaders().size());
    }

    @Test
    void aRemoteHostGoneLosesItsHeaderAndEveryContainerPointingToIt() {
        assertEquals(3, x.evictRemoteHost(HOST_B));
        assertEquals(List.of(C1), x.egressHosts().keys());
        assertEquals(List.of(HOST_C), x.egressHeaders().keys());
        assertEquals(HOST_C, x.egressHeaders().headerFor(HOST_C).orElseThrow().outerDestinationAddress());
        assertEquals(0, x.evictRemoteHost(HOST_B));
    }

    @Test
    void aPolicyChangeFlushesTheFilterCacheWhollyOrByPredicate() {
        assertEquals(1, x.flushFilter(k -> k.protocol() == FlowKey.PROTOCOL_UDP));
        assertEquals(List.of(FlowKey.tcp(LOCAL, 80, B1, 5000)), x.filterCache().keys());
        assertEquals(1, x.flushFilter());
        assertTrue(x.filterCache().isEmpty());
        assertEquals(3, x.egressHosts().size(), "the egress caches are not policy");
    }

    @Test
    void flushAllForgetsEverythingLearnedButKeepsRegistrationsAndAttachments() {
        x.flushAll();
        assertTrue(x.egressHosts().isEmpty());
        assertTrue(x.egressHeaders().isEmpty());
        assertTrue(x.filterCache().isEmpty());
        assertEquals(Endpoint.registered(FakeHost.VETH1), x.endpoints().lookup(LOCAL).orElseThrow());
        assertEquals(2, x.attachedInterfaces().size());
        assertEquals(1, x.hostDevices().size());
    }

    @Test
    void anIpReusedByANewContainerGoesToTheNewVethAndTheOldOneIsDetached() {
        AttachedInterface a = x.reassignContainer("veth2", LOCAL);

        assertEquals(FakeHost.VETH2, a.ifindex());
        assertEquals(Endpoint.registered(FakeHost.VETH2), x.endpoints().lookup(LOCAL).orElseThrow());
        assertTrue(x.filterCache().keys().stream().noneMatch(k -> k.localAddress().equals(LOCAL)));
        assertEquals(0, host.attachmentsOn(FakeHost.VETH1));
        assertEquals(2, host.attachmentsOn(FakeHost.VETH2));
    }

    @Test
    void anIpReusedOnTheSameIfindexByANewVethReattaches() {
        // the old veth went away with its links; the kernel gave its ifindex to the new container's veth
        host.remove("veth1");
        host.add("veth1n", FakeHost.VETH1, "veth", M1, List.of());

        x.reassignContainer("veth1n", LOCAL);

        assertEquals(2, host.attachmentsOn(FakeHost.VETH1), "fresh links on the reused ifindex");
        assertEquals(Endpoint.registered(FakeHost.VETH1), x.endpoints().lookup(LOCAL).orElseThrow());
        assertTrue(host.lib.isPinned(FakeHost.PIN_ROOT + "/links/veth1n-ingress"));
    }
}
