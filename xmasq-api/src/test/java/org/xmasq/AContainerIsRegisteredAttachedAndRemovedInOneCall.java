package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.TcMode;
import org.xmasq.datapath.Endpoint;
import org.xmasq.datapath.FilterEntry;
import org.xmasq.datapath.FlowKey;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.net.Ipv4Address;
import org.xmasq.support.FakeHost;

class AContainerIsRegisteredAttachedAndRemovedInOneCall {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");
    static final Ipv4Address C1B = Ipv4Address.parse("10.244.1.20");
    static final Ipv4Address C2 = Ipv4Address.parse("10.244.1.3");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.244.2.2");

    final FakeHost host = new FakeHost();
    final XMasq x = host.builder().open();

    @AfterEach
    void down() {
        x.down();
    }

    @Test
    void attachingRegistersTheAddressWithNoMacsAndHooksBothDirectionsOfTheVeth() {
        AttachedInterface a = x.attachContainer("veth1", C1);

        assertEquals(new AttachedInterface("veth1", FakeHost.VETH1, InterfaceRole.CONTAINER, TcMode.TCX), a);
        assertEquals(Endpoint.registered(FakeHost.VETH1), x.endpoints().lookup(C1).orElseThrow());
        assertEquals(1, host.lib.tcxLinks(FakeHost.VETH1, TcAttachPoint.INGRESS).size());
        assertEquals(1, host.lib.tcxLinks(FakeHost.VETH1, TcAttachPoint.EGRESS).size());
        assertTrue(host.lib.isPinned(FakeHost.PIN_ROOT + "/links/veth1-ingress"));
        assertTrue(host.lib.isPinned(FakeHost.PIN_ROOT + "/links/veth1-egress"));
    }

    @Test
    void detachingUnregistersDropsItsFilterEntriesAtEitherEndAndDetaches() {
        x.attachContainer("veth1", C1);
        x.attachContainer("veth2", C2);
        FlowKey own = FlowKey.tcp(C1, 80, REMOTE, 5000);
        FlowKey peerToIt = FlowKey.tcp(C2, 1234, C1, 80);
        FlowKey unrelated = FlowKey.udp(C2, 53, REMOTE, 53);
        x.filterCache().put(own, FilterEntry.BOTH);
        x.filterCache().put(peerToIt, FilterEntry.BOTH);
        x.filterCache().put(unrelated, FilterEntry.BOTH);

        assertTrue(x.detachContainer(C1));

        assertTrue(x.endpoints().lookup(C1).isEmpty());
        assertEquals(List.of(unrelated), x.filterCache().keys());
        assertEquals(0, host.attachmentsOn(FakeHost.VETH1));
        assertEquals(2, host.attachmentsOn(FakeHost.VETH2));
        assertFalse(host.lib.isPinned(FakeHost.PIN_ROOT + "/links/veth1-ingress"));
        assertFalse(x.detachContainer(C1), "a second detach finds nothing");
    }

    @Test
    void aVethWithTwoAddressesStaysAttachedUntilItsLastAddressGoes() {
        x.attachContainer("veth1", C1);
        x.attachContainer("veth1", C1B);
        assertEquals(2, host.attachmentsOn(FakeHost.VETH1));

        x.detachContainer(C1);
        assertEquals(2, host.attachmentsOn(FakeHost.VETH1));
        x.detachContainer(C1B);
        assertEquals(0, host.attachmentsOn(FakeHost.VETH1));
    }

    @Test
    void theHostNicGetsTheFastPathTheLearnerAndItsAddressInHostDevices() {
        AttachedInterface a = x.attachHost("eth0");

        assertEquals(InterfaceRole.HOST, a.role());
        assertEquals(FakeHost.NIC_IP, x.hostDevices().lookup(FakeHost.ETH0).orElseThrow().address());
        assertEquals(FakeHost.NIC_MAC, x.hostDevices().lookup(FakeHost.ETH0).orElseThrow().mac());
        assertEquals(2, host.attachmentsOn(FakeHost.ETH0));
        assertTrue(x.detachHost("eth0"));
        assertEquals(0, host.attachmentsOn(FakeHost.ETH0));
        assertTrue(x.hostDevices().isEmpty());
    }
}
