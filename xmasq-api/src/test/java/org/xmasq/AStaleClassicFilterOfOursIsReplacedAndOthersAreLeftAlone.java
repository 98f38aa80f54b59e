package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.TcMode;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.net.Ipv4Address;
import org.xmasq.support.FakeHost;

/**
 * Classic filters outlive processes. One of ours that nothing registers any more (its endpoint was deleted while no
 * instance ran) is replaced by the next attach; a foreign filter at our handle/priority is never touched.
 */
class AStaleClassicFilterOfOursIsReplacedAndOthersAreLeftAlone {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");

    final FakeHost host = new FakeHost();
    XMasq x;

    @AfterEach
    void down() {
        if (x != null) {
            x.down();
        }
    }

    @Test
    void ourStaleFilterIsReplaced() {
        XMasq first = host.builder().attachMode(TcMode.CLSACT).open();
        first.attachContainer("veth1", C1);
        first.endpoints().delete(C1); // behind the instance's back
        first.close();

        x = host.builder().attachMode(TcMode.CLSACT).open();
        assertEquals(List.of(), x.attachedInterfaces(), "an unregistered veth is not adopted");
        x.attachContainer("veth1", C1);

        assertEquals(1, host.lib.tcFilters(FakeHost.VETH1, TcAttachPoint.INGRESS).size());
        assertEquals(1, host.lib.tcFilters(FakeHost.VETH1, TcAttachPoint.EGRESS).size());
        assertEquals(1, x.attachedInterfaces().size());
    }

    @Test
    void aForeignFilterAtOurHandleIsAnErrorAndStays() {
        host.lib.addForeignFilter(FakeHost.VETH1, TcAttachPoint.INGRESS, Attachments.CLSACT_HANDLE, Attachments.CLSACT_PRIORITY,
                4242);
        x = host.builder().attachMode(TcMode.CLSACT).open();

        assertThrows(BpfException.class, () -> x.attachContainer("veth1", C1));

        assertEquals(List.of(4242), host.lib.tcFilters(FakeHost.VETH1, TcAttachPoint.INGRESS).stream()
                .map(f -> f.programId()).toList());
        assertTrue(host.lib.tcFilters(FakeHost.VETH1, TcAttachPoint.EGRESS).isEmpty());
        assertTrue(x.endpoints().isEmpty());
    }

    @Test
    void autoModeFallsBackToClassicFiltersAndReadoptsThem() {
        host.lib.setTcxSupported(false);
        XMasq first = host.builder().open();
        assertEquals(TcMode.CLSACT, first.attachContainer("veth1", C1).mode());
        first.close();

        x = host.builder().open();
        assertEquals(List.of(new AttachedInterface("veth1", FakeHost.VETH1, InterfaceRole.CONTAINER, TcMode.CLSACT)),
                x.attachedInterfaces());
        assertEquals(2, host.attachmentsOn(FakeHost.VETH1));
    }
}
