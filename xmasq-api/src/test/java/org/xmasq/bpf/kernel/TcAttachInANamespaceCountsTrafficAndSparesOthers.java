package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.ClsactFilter;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.PerCpuMap;
import org.xmasq.bpf.Tc;
import org.xmasq.bpf.TcAttachment;
import org.xmasq.bpf.TcMode;
import org.xmasq.bpf.TcOptions;
import org.xmasq.bpf.TcxLink;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.UnknownInterfaceException;
import org.xmasq.libbpf.support.Shell;
import org.xmasq.libbpf.support.TestNetns;

/**
 * In a throwaway namespace pair, count_packets attached at a veth's ingress (tcx by default, clsact when forced)
 * counts real datagrams; someone else's filter at priority 7 survives our attach and close; after close nothing of
 * ours is left and the counters stop.
 */
class TcAttachInANamespaceCountsTrafficAndSparesOthers {
    private static long packets(PerCpuMap<Integer, Long> counters) {
        return counters.lookupCombined(0, Long::sum).orElseThrow();
    }

    @Test
    void tcxByDefault() {
        try (TestNetns net = TestNetns.create(); BpfObject o = KernelObjects.openTest().load()) {
            PerCpuMap<Integer, Long> counters = o.perCpuMap("test_counters", Codecs.u32(), Codecs.u64());
            TcAttachment a = Tc.attach(o.program("count_packets"), TestNetns.IF_A, TcAttachPoint.INGRESS,
                    TcOptions.defaults().withNetns(net.pathA()));
            TcxLink link = assertInstanceOf(TcxLink.class, a, "kernel 6.6+ has tcx");
            assertEquals(o.program("count_packets").info().id(), link.programId());
            net.sendUdpFromB(o.lib(), 10);
            long seen = packets(counters);
            assertTrue(seen >= 10, "counted " + seen);
            a.close();
            net.sendUdpFromB(o.lib(), 5);
            assertEquals(seen, packets(counters), "detached: no more counting");
        }
    }

    @Test
    void clsactWhenForcedAndAForeignFilterSurvives() {
        try (TestNetns net = TestNetns.create(); BpfObject o = KernelObjects.openTest().load()) {
            String ns = net.nameA();
            Shell.check("tc", "-n", ns, "qdisc", "add", "dev", TestNetns.IF_A, "clsact");
            // someone else's filter (this kernel has no cls_matchall: u32 matching everything stands in for it)
            Shell.check("tc", "-n", ns, "filter", "add", "dev", TestNetns.IF_A, "ingress",
                    "prio", "7", "protocol", "all", "u32", "match", "u32", "0", "0");
            PerCpuMap<Integer, Long> counters = o.perCpuMap("test_counters", Codecs.u32(), Codecs.u64());
            TcAttachment a = Tc.attach(o.program("count_packets"), TestNetns.IF_A, TcAttachPoint.INGRESS,
                    TcOptions.defaults().withMode(TcMode.CLSACT).withNetns(net.pathA()).withHandle(0x58).withPriority(3));
            ClsactFilter f = assertInstanceOf(ClsactFilter.class, a);
            assertFalse(f.createdQdisc(), "the existing clsact was reused");
            String both = net.filtersA("ingress");
            assertTrue(both.contains("count_packets") && both.contains("pref 7 u32"), both);

            net.sendUdpFromB(o.lib(), 10);
            assertTrue(packets(counters) >= 10, "counted " + packets(counters));

            o.close(); // closes the attachment first
            String after = net.filtersA("ingress");
            assertFalse(after.contains("count_packets"), after);
            assertTrue(after.contains("pref 7 u32"), "the foreign filter survived:\n" + after);
            assertTrue(Shell.check("tc", "-n", ns, "qdisc", "show", "dev", TestNetns.IF_A)
                    .contains("clsact"), "the qdisc survived");
        }
    }

    @Test
    void anUnknownInterfaceInTheNamespace() {
        try (TestNetns net = TestNetns.create(); BpfObject o = KernelObjects.openTest().load()) {
            assertThrows(UnknownInterfaceException.class, () -> Tc.attach(o.program("count_packets"),
                    TestNetns.IF_B, TcAttachPoint.INGRESS, TcOptions.defaults().withNetns(net.pathA())),
                    "IF_B lives in the other namespace");
        }
    }
}
