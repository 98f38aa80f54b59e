package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xmasq.bpf.TcMode;
import org.xmasq.datapath.EgressHost;
import org.xmasq.datapath.FilterEntry;
import org.xmasq.datapath.FlowKey;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.net.Ipv4Address;
import org.xmasq.support.FakeHost;

/** Drop the Java instance without down(), open again: caches, registrations and attachments are all still there. */
class ReopeningReadoptsThePinnedInstanceUntouched {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");
    static final Ipv4Address C2 = Ipv4Address.parse("10.244.1.3");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.244.2.2");
    static final Ipv4Address HOST_B = Ipv4Address.parse("10.1.0.2");

    final FakeHost host = new FakeHost();

    @ParameterizedTest
    @EnumSource(value = TcMode.class, names = {"TCX", "CLSACT"})
    void inEitherAttachMode(TcMode mode) {
        XMasq first = host.builder().attachMode(mode).open();
        assertFalse(first.readopted());
        first.attachHost("eth0");
        first.attachContainer("veth1", C1);
        first.attachContainer("veth2", C2);
        first.egressHosts().put(REMOTE, new EgressHost(HOST_B));
        FlowKey flow = FlowKey.tcp(C1, 80, REMOTE, 5000);
        first.filterCache().put(flow, FilterEntry.BOTH);
        List<AttachedInterface> attached = first.attachedInterfaces();
        Map<Integer, Integer> programsBefore = programIds();
        first.close(); // the JVM side goes away; the datapath must not

        assertEquals(programsBefore, programIds(), "nothing was detached by close()");

        XMasq second = host.builder().attachMode(mode).open();
        try {
            assertTrue(second.readopted());
            assertEquals(Map.of(REMOTE, new EgressHost(HOST_B)), second.egressHosts().entries());
            assertEquals(Map.of(flow, FilterEntry.BOTH), second.filterCache().entries());
            assertEquals(List.of(C1, C2), second.endpoints().keys().stream().sorted().toList());
            assertEquals(FakeHost.NIC_IP, second.hostDevices().lookup(FakeHost.ETH0).orElseThrow().address());
            assertEquals(sorted(attached), sorted(second.attachedInterfaces()));
            assertEquals(programsBefore, programIds(), "re-adoption attached nothing anew");

            // the adopted attachments are fully ours: detach one container, then take everything down
            second.detachContainer(C2);
            assertEquals(0, host.attachmentsOn(FakeHost.VETH2));
            second.down();
            for (int i : new int[] {FakeHost.ETH0, FakeHost.VETH1}) {
                assertEquals(0, host.attachmentsOn(i));
            }
            assertEquals(List.of(), host.pinsUnderRoot());
        } finally {
            second.down();
        }
    }

    @Test
    void aContainerWhoseVethVanishedWhileNobodyRanIsForgottenOnReadoption() {
        XMasq first = host.builder().open();
        first.attachContainer("veth1", C1);
        first.close();
        host.remove("veth1"); // the kernel detaches its tcx links

        XMasq second = host.builder().open();
        try {
            assertEquals(List.of(), second.attachedInterfaces());
            assertTrue(host.pinsUnderRoot().stream().noneMatch(p -> p.contains("/links/")));
            assertTrue(second.endpoints().contains(C1), "registrations are the CNI's to remove, not ours");
        } finally {
            second.down();
        }
    }

    private static List<AttachedInterface> sorted(List<AttachedInterface> l) {
        return l.stream().sorted(java.util.Comparator.comparingInt(AttachedInterface::ifindex)).toList();
    }

    /** ifindex*10+point -> attached program id, over both attach kinds. */
    private Map<Integer, Integer> programIds() {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        for (int i : new int[] {FakeHost.ETH0, FakeHost.VETH1, FakeHost.VETH2}) {
            for (TcAttachPoint p : TcAttachPoint.values()) {
                host.lib.tcxLinks(i, p).forEach(l -> out.put(i * 10 + p.ordinal(), l.programId()));
                host.lib.tcFilters(i, p).forEach(f -> out.put(i * 10 + p.ordinal(), f.programId()));
            }
        }
        return out;
    }
}
