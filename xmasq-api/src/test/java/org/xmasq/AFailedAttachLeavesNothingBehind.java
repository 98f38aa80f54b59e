package org.xmasq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.TcMode;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.net.Ipv4Address;
import org.xmasq.support.FakeHost;

/** Each step of an attach can fail; afterwards nothing is attached, pinned or registered, and a retry works. */
class AFailedAttachLeavesNothingBehind {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");

    final FakeHost host = new FakeHost();
    XMasq x;

    @AfterEach
    void down() {
        host.lib.clearFailures();
        if (x != null) {
            x.down();
        }
    }

    private void assertNothingOn(int ifindex) {
        assertEquals(0, host.attachmentsOn(ifindex));
        assertTrue(host.pinsUnderRoot().stream().noneMatch(p -> p.contains("/links/")), host.pinsUnderRoot()::toString);
        assertTrue(x.endpoints().isEmpty());
        assertTrue(x.hostDevices().isEmpty());
        assertTrue(x.attachedInterfaces().isEmpty());
    }

    @Test
    void theSecondProgramFailingToAttach() { // failNext(.., 0) lets the first call through
        x = host.builder().open();
        host.lib.failNext("linkCreate", 0).failNext("linkCreate", Errno.ENOMEM);
        assertThrows(BpfException.class, () -> x.attachContainer("veth1", C1));
        assertNothingOn(FakeHost.VETH1);
        x.attachContainer("veth1", C1);
        assertEquals(2, host.attachmentsOn(FakeHost.VETH1));
    }

    @Test
    void pinningTheSecondLinkFailing() {
        x = host.builder().open();
        host.lib.failNext("objPin", 0).failNext("objPin", Errno.ENOSPC);
        assertThrows(BpfException.class, () -> x.attachContainer("veth1", C1));
        assertNothingOn(FakeHost.VETH1);
    }

    @Test
    void theRegistrationFailing() {
        x = host.builder().open();
        host.lib.failNext("mapUpdate", Errno.E2BIG);
        assertThrows(BpfException.class, () -> x.attachContainer("veth1", C1));
        assertNothingOn(FakeHost.VETH1);
    }

    @Test
    void theHostDeviceEntryFailing() {
        x = host.builder().open();
        host.lib.failNext("mapUpdate", Errno.ENOMEM);
        assertThrows(BpfException.class, () -> x.attachHost("eth0"));
        assertNothingOn(FakeHost.ETH0);
    }

    @Test
    void aClassicFilterFailingOnTheSecondDirection() {
        x = host.builder().attachMode(TcMode.CLSACT).open();
        host.lib.failNext("tcAttach", 0).failNext("tcAttach", Errno.ENOMEM);
        assertThrows(BpfException.class, () -> x.attachHost("eth0"));
        assertNothingOn(FakeHost.ETH0);
    }
}
