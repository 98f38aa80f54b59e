package org.xmasq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.XMasq;
import org.xmasq.bpf.TcMode;
import org.xmasq.datapath.EgressHost;
import org.xmasq.net.Ipv4Address;

/**
 * Two "hosts" on one kernel: two namespaces, two pin roots, the same interface names in each. Taking one instance
 * down leaves the other's caches, registrations and attachments exactly as they were.
 */
class TwoInstancesOnOneKernelNeverTouchEachOther {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.244.2.2");

    private static XMasq start(HostNamespace host, TcMode mode, Ipv4Address hostB) {
        XMasq x = host.call(() -> {
            XMasq i = host.builder().attachMode(mode).open();
            i.attachHost("nic0");
            i.attachContainer("veth1", C1);
            return i;
        });
        x.egressHosts().put(REMOTE, new EgressHost(hostB));
        return x;
    }

    @Test
    void downOnOneLeavesTheOther() {
        for (TcMode mode : new TcMode[] {TcMode.TCX, TcMode.CLSACT}) {
            try (HostNamespace a = new HostNamespace(); HostNamespace b = new HostNamespace()) {
                XMasq xa = start(a, mode, Ipv4Address.parse("10.1.0.2"));
                XMasq xb = start(b, mode, Ipv4Address.parse("10.1.0.3"));
                try {
                    Map<String, String> before = KernelRestartKeepsCachesRegistrationsAndAttachments.attachments(b, mode);
                    assertEquals(4, before.size(), before::toString);

                    a.call(() -> {
                        xa.down();
                        return null;
                    });

                    assertEquals(Map.of(), KernelRestartKeepsCachesRegistrationsAndAttachments.attachments(a, mode));
                    assertFalse(a.pinRootExists());
                    assertEquals(before, KernelRestartKeepsCachesRegistrationsAndAttachments.attachments(b, mode),
                            mode + ": the other host's attachments changed");
                    assertEquals(Map.of(REMOTE, new EgressHost(Ipv4Address.parse("10.1.0.3"))),
                            xb.egressHosts().entries());
                    assertTrue(xb.endpoints().contains(C1));
                    assertEquals(1, xb.hostDevices().size());
                } finally {
                    KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(a, xa);
                    KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(b, xb);
                }
            }
        }
    }
}
