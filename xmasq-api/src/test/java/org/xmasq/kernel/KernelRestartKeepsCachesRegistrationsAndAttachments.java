package org.xmasq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xmasq.AttachedInterface;
import org.xmasq.InterfaceRole;
import org.xmasq.XMasq;
import org.xmasq.bpf.TcMode;
import org.xmasq.bpf.TcxLink;
import org.xmasq.datapath.EgressHeader;
import org.xmasq.datapath.EgressHost;
import org.xmasq.datapath.Endpoint;
import org.xmasq.datapath.FilterEntry;
import org.xmasq.datapath.FlowKey;
import org.xmasq.datapath.HostDevice;
import org.xmasq.datapath.TunnelHeader;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * The agent-restart rule with the real object: load, attach the NIC and two containers, learn some cache entries,
 * drop the Java instance without down(), open again from the pins, and find every cache entry, registration and
 * attachment as it was (the same kernel links/filters, not new ones). down() then removes all of it.
 */
class KernelRestartKeepsCachesRegistrationsAndAttachments {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");
    static final Ipv4Address C2 = Ipv4Address.parse("10.244.1.3");
    static final Ipv4Address REMOTE = Ipv4Address.parse("10.244.2.2");
    static final Ipv4Address HOST_B = Ipv4Address.parse("10.1.0.2");
    static final MacAddress M1 = MacAddress.parse("02:00:00:00:aa:01");
    static final MacAddress M2 = MacAddress.parse("02:00:00:00:aa:02");

    @ParameterizedTest
    @EnumSource(value = TcMode.class, names = {"TCX", "CLSACT"})
    void loadAttachDropReadoptDown(TcMode mode) {
        try (HostNamespace host = new HostNamespace()) {
            XMasq first = host.call(() -> host.builder().attachMode(mode).open());
            XMasq second = null;
            try {
                assertFalse(first.readopted());
                host.call(() -> {
                    first.attachHost("nic0");
                    first.attachContainer("veth1", C1);
                    first.attachContainer("veth2", C2);
                    return null;
                });
                int nic = host.ifindex("nic0");
                int veth1 = host.ifindex("veth1");
                EgressHeader header = new EgressHeader(TunnelHeader.vxlan(M2, M1, Ipv4Address.parse("10.1.0.1"),
                        HOST_B, 64, 0, 40000, 8472, 1, M2, M1), nic);
                first.egressHosts().put(REMOTE, new EgressHost(HOST_B));
                first.egressHeaders().put(HOST_B, header);
                FlowKey flow = FlowKey.tcp(C1, 80, REMOTE, 5000);
                first.filterCache().put(flow, FilterEntry.BOTH);
                Endpoint learned = new Endpoint(veth1, M1, M2, Endpoint.MACS_KNOWN);
                first.endpoints().put(C1, learned); // as the ingress learner would
                List<AttachedInterface> attached = sorted(first.attachedInterfaces());
                assertEquals(3, attached.size());
                assertTrue(attached.stream().allMatch(a -> a.mode() == mode), attached::toString);
                Map<String, String> before = attachments(host, mode);
                assertEquals(6, before.size(), before::toString);

                first.close(); // the agent dies; the datapath does not
                assertEquals(before, attachments(host, mode), "close() detached something");

                second = host.call(() -> host.builder().attachMode(mode).open());
                XMasq x = second;
                assertTrue(x.readopted());
                assertEquals(Map.of(REMOTE, new EgressHost(HOST_B)), x.egressHosts().entries());
                assertEquals(Map.of(HOST_B, header), x.egressHeaders().entries());
                assertEquals(Map.of(flow, FilterEntry.BOTH), x.filterCache().entries());
                assertEquals(Map.of(C1, learned, C2, Endpoint.registered(host.ifindex("veth2"))),
                        x.endpoints().entries());
                assertEquals(HostDevice.of(Ipv4Address.parse("10.1.0.1"), x.hostDevices().lookup(nic).orElseThrow()
                        .mac()), x.hostDevices().lookup(nic).orElseThrow());
                assertEquals(attached, sorted(x.attachedInterfaces()));
                assertEquals(before, attachments(host, mode), "re-adoption replaced attachments");

                // what was adopted is ours to manage: remove one container, then everything
                assertTrue(host.call(() -> x.detachContainer(C2)));
                Map<String, String> after = attachments(host, mode);
                assertEquals(4, after.size(), after::toString);
                assertFalse(after.keySet().stream().anyMatch(k -> k.startsWith("veth2")), after::toString);

                host.call(() -> {
                    x.down();
                    return null;
                });
                assertEquals(Map.of(), attachments(host, mode));
                assertFalse(host.pinRootExists(), "down() leaves no pin behind");
            } finally {
                downQuietly(host, first);
                downQuietly(host, second);
            }
        }
    }

    static void downQuietly(HostNamespace host, XMasq x) {
        if (x == null) {
            return;
        }
        try {
            host.call(() -> {
                x.down();
                return null;
            });
        } catch (RuntimeException e) {
            // best effort: the pin dir and the namespace are removed anyway
        }
    }

    private static List<AttachedInterface> sorted(List<AttachedInterface> l) {
        return l.stream().sorted(Comparator.comparingInt(AttachedInterface::ifindex)).toList();
    }

    /**
     * What the kernel has attached: "dev-direction" -> link id and program id (tcx, read from the pins) or the tc
     * filter line naming our program at our handle (clsact).
     */
    static Map<String, String> attachments(HostNamespace host, TcMode mode) {
        Map<String, String> out = new TreeMap<>();
        for (String dev : new String[] {"nic0", "veth1", "veth2"}) {
            for (String dir : new String[] {"ingress", "egress"}) {
                if (mode == TcMode.TCX) {
                    Path pin = host.pinRoot().resolve("links").resolve(dev + "-" + dir);
                    if (pin.toFile().exists()) {
                        try (TcxLink l = TcxLink.fromPin(host.lib, pin)) {
                            var info = l.info();
                            if (info.ifindex() == host.ifindex(dev)) {
                                out.put(dev + "-" + dir, "link " + info.id() + " prog " + info.progId());
                            }
                        }
                    }
                } else {
                    String tc = host.tcFilters(dev, dir);
                    for (String line : tc.split("\n")) {
                        if (line.contains("xmasq_") && line.contains("handle 0x584d")) {
                            out.put(dev + "-" + dir, line.strip());
                        }
                    }
                }
            }
        }
        return out;
    }
}
