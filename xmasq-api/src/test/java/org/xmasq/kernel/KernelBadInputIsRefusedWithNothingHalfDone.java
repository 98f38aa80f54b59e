package org.xmasq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xmasq.IncompatibleInstanceException;
import org.xmasq.InstanceDownException;
import org.xmasq.UnsuitableInterfaceException;
import org.xmasq.XMasq;
import org.xmasq.datapath.EgressHost;
import org.xmasq.libbpf.BpfFsException;
import org.xmasq.UnknownInterfaceException;
import org.xmasq.net.Ipv4Address;
import org.xmasq.testing.Netns;

/** The real interfaces and bpffs behind the validation: each refusal names the problem and leaves nothing attached. */
class KernelBadInputIsRefusedWithNothingHalfDone {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");

    private static void run(HostNamespace host, Runnable r) {
        host.call(() -> {
            r.run();
            return null;
        });
    }

    @Test
    void interfacesThatCannotPlayTheirRole() {
        try (HostNamespace host = new HostNamespace(); Netns elsewhere = Netns.create(host.lib)) {
            elsewhere.ip("link", "add", "vethx", "type", "veth", "peer", "name", "vethxpeer");
            XMasq x = host.call(() -> host.builder().open());
            try {
                UnknownInterfaceException unknown = assertThrows(UnknownInterfaceException.class,
                        () -> run(host, () -> x.attachContainer("vethx", C1)));
                assertTrue(unknown.getMessage().contains("'vethx'") && unknown.getMessage().contains("net:["),
                        unknown.getMessage());

                UnsuitableInterfaceException bridge = assertThrows(UnsuitableInterfaceException.class,
                        () -> run(host, () -> x.attachContainer("br9", C1)));
                assertTrue(bridge.getMessage().contains("a bridge device, not a veth"), bridge.getMessage());

                UnsuitableInterfaceException noIp = assertThrows(UnsuitableInterfaceException.class,
                        () -> run(host, () -> x.attachHost("nic9")));
                assertTrue(noIp.getMessage().contains("nic9 has no IPv4"), noIp.getMessage());

                assertTrue(x.endpoints().isEmpty());
                assertTrue(x.hostDevices().isEmpty());
                assertEquals(0, host.call(x::attachedInterfaces).size());
                assertFalse(host.tcFilters("br9", "ingress").contains("xmasq"));
                assertTrue(KernelRestartKeepsCachesRegistrationsAndAttachments
                        .attachments(host, org.xmasq.bpf.TcMode.TCX).isEmpty());
            } finally {
                run(host, x::down);
            }
            assertThrows(InstanceDownException.class, () -> x.attachHost("nic0"));
        }
    }

    @Test
    void aPinRootOffBpffs() {
        Path tmp = Path.of("/tmp", "xmt-notbpf-" + Long.toHexString(System.nanoTime()));
        BpfFsException e = assertThrows(BpfFsException.class, () -> XMasq.builder().pinRoot(tmp).open());
        assertTrue(e.getMessage().contains(tmp.toString()) && e.getMessage().contains("not on a bpf filesystem"),
                e.getMessage());
        assertFalse(tmp.toFile().exists());
    }

    @Test
    void anIncompatiblePinnedInstanceIsRefusedThenReplacedOnRequest() {
        try (HostNamespace host = new HostNamespace()) {
            XMasq old = host.call(() -> host.builder().open());
            old.egressHosts().put(C1, new EgressHost(Ipv4Address.parse("10.1.0.2")));
            run(host, () -> old.attachContainer("veth1", C1));
            old.close();
            try {
                IncompatibleInstanceException e = assertThrows(IncompatibleInstanceException.class,
                        () -> host.call(() -> host.builder().vxlanPort(4789).open()));
                assertEquals(java.util.List.of("config vxlanPort: pinned 8472, wanted 4789"), e.differences());
                XMasq fresh = host.call(() -> host.builder().vxlanPort(4789).replaceIncompatible(true).open());
                try {
                    assertFalse(fresh.readopted());
                    assertTrue(fresh.egressHosts().isEmpty());
                    assertTrue(KernelRestartKeepsCachesRegistrationsAndAttachments
                            .attachments(host, org.xmasq.bpf.TcMode.TCX).isEmpty(), "the old links are gone");
                } finally {
                    run(host, fresh::down);
                }
            } finally {
                if (host.pinRootExists()) {
                    host.call(() -> host.builder().replaceIncompatible(true).open()).down();
                }
            }
        }
    }
}
