package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.BpfFsException;
import org.xmasq.net.Ipv4Address;
import org.xmasq.support.FakeHost;

class BadInputIsRefusedClearlyWithNothingHalfDone {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");

    final FakeHost host = new FakeHost();
    XMasq x = host.builder().open();

    @AfterEach
    void down() {
        x.down();
    }

    private void assertUntouched() {
        assertTrue(x.endpoints().isEmpty());
        assertTrue(x.attachedInterfaces().isEmpty());
        for (int i : new int[] {FakeHost.ETH0, FakeHost.ETH9, FakeHost.CNI0, FakeHost.VETH1, FakeHost.VETH2}) {
            assertEquals(0, host.attachmentsOn(i));
        }
    }

    @Test
    void addressesNoContainerCanHave() {
        for (String bad : new String[] {"0.0.0.0", "255.255.255.255", "127.0.0.1", "224.0.0.5", "240.0.0.1",
                "0.1.2.3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> x.attachContainer("veth1", Ipv4Address.parse(bad)));
            assertTrue(e.getMessage().contains("invalid container IP " + bad), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> x.attachContainer("veth1", null));
        assertUntouched();
    }

    @Test
    void anAddressRegisteredAlready() {
        x.attachContainer("veth1", C1);
        DuplicateEndpointException e = assertThrows(DuplicateEndpointException.class,
                () -> x.attachContainer("veth2", C1));
        assertTrue(e.getMessage().contains("veth1"), e.getMessage());
        assertEquals(FakeHost.VETH1, e.ifindex());
        assertEquals(0, host.attachmentsOn(FakeHost.VETH2));
    }

    @Test
    void aVethNotInThisNamespace() {
        UnknownInterfaceException e = assertThrows(UnknownInterfaceException.class,
                () -> x.attachContainer("vethnothere", C1));
        assertTrue(e.getMessage().contains("vethnothere") && e.getMessage().contains("net:[fake]"), e.getMessage());
        assertUntouched();
    }

    @Test
    void somethingThatIsNotAVeth() {
        UnsuitableInterfaceException e = assertThrows(UnsuitableInterfaceException.class,
                () -> x.attachContainer("cni0", C1));
        assertTrue(e.getMessage().contains("bridge") && e.getMessage().contains("not a veth"), e.getMessage());
        assertThrows(UnsuitableInterfaceException.class, () -> x.attachContainer("eth0", C1));
        assertUntouched();
    }

    @Test
    void aNicWithoutIpv4() {
        UnsuitableInterfaceException e = assertThrows(UnsuitableInterfaceException.class, () -> x.attachHost("eth9"));
        assertTrue(e.getMessage().contains("eth9 has no IPv4"), e.getMessage());
        assertThrows(UnknownInterfaceException.class, () -> x.attachHost("eth7"));
        assertUntouched();
    }

    @Test
    void oneInterfaceInTwoRoles() {
        x.attachHost("eth0");
        x.attachContainer("veth1", C1);
        host.interfaces.put("eth0", new org.xmasq.host.InterfaceInfo("eth0", FakeHost.ETH0, "veth",
                FakeHost.NIC_MAC, java.util.List.of(FakeHost.NIC_IP)));
        assertThrows(UnsuitableInterfaceException.class,
                () -> x.attachContainer("eth0", Ipv4Address.parse("10.244.1.9")));
        host.interfaces.put("veth1", new org.xmasq.host.InterfaceInfo("veth1", FakeHost.VETH1, "veth",
                FakeHost.NIC_MAC, java.util.List.of(FakeHost.NIC_IP)));
        assertThrows(UnsuitableInterfaceException.class, () -> x.attachHost("veth1"));
        assertEquals(2, x.attachedInterfaces().size());
    }

    @Test
    void aPinRootOffBpffs() {
        BpfFsException e = assertThrows(BpfFsException.class,
                () -> host.builder().pinRoot(Path.of("/tmp/xmt-notbpf")).open());
        assertTrue(e.getMessage().contains("/tmp/xmt-notbpf"), e.getMessage());
    }

    @Test
    void everyCallAfterDownOrClose() {
        XMasq other = host.builder().pinRoot(Path.of("/sys/fs/bpf/xmt-other")).open();
        other.close();
        other.close();
        InstanceDownException closed = assertThrows(InstanceDownException.class, other::endpoints);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        other.down(); // after close(): from the pins
        other.down();
        assertTrue(host.lib.pinnedPaths().stream().noneMatch(p -> p.startsWith("/sys/fs/bpf/xmt-other")),
                host.lib.pinnedPaths()::toString);
        x.attachContainer("veth1", C1);
        var endpoints = x.endpoints();
        x.down();
        x.down();
        assertThrows(InstanceDownException.class, () -> x.attachContainer("veth2", C1));
        assertThrows(InstanceDownException.class, () -> x.detachContainer(C1));
        assertThrows(InstanceDownException.class, () -> x.attachHost("eth0"));
        assertThrows(InstanceDownException.class, () -> x.evictRemoteHost(C1));
        assertThrows(InstanceDownException.class, x::flushFilter);
        assertThrows(InstanceDownException.class, x::statisticsSnapshot);
        InstanceDownException e = assertThrows(InstanceDownException.class, () -> endpoints.lookup(C1));
        assertTrue(e.getMessage().contains("down"), e.getMessage());
        x.close();
        x = host.builder().open(); // for @AfterEach
    }
}
