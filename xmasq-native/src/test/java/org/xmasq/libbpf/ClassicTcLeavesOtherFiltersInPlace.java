package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.Shell;
import org.xmasq.libbpf.support.TestNetns;

/** Someone else's clsact qdisc and (u32) filter on the interface survive our attach and our detach. */
class ClassicTcLeavesOtherFiltersInPlace {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void aForeignFilterSurvivesAttachAndDetach() {
        try (TestNetns net = TestNetns.create(); OpenObject o = OpenObject.loadTest(lib)) {
            String ns = net.nameA();
            String dev = TestNetns.IF_A;
            Shell.check("tc", "-n", ns, "qdisc", "add", "dev", dev, "clsact");
            // u32: this kernel has neither cls_matchall nor act_gact; any classifier that is not ours will do.
            Shell.check("tc", "-n", ns, "filter", "add", "dev", dev, "ingress", "prio", "7", "protocol", "all",
                    "u32", "match", "u32", "0", "0");
            assertTrue(foreignFilter(ns, dev), "precondition: the foreign filter is there");

            int progFd = o.progFd("count_packets");
            lib.inNetns(net.pathA(), () -> {
                int ifindex = lib.ifNameToIndex(dev);
                assertEquals(0, lib.tcHookCreate(ifindex, TcAttachPoint.INGRESS), "reuses the existing clsact");
                assertTrue(lib.tcAttach(ifindex, TcAttachPoint.INGRESS, 1, 1, progFd, false) > 0);
                return null;
            });
            String both = filters(ns, dev);
            assertTrue(both.contains("u32") && both.contains("count_packets"), both);

            lib.inNetns(net.pathA(), () -> {
                assertEquals(0, lib.tcDetach(lib.ifNameToIndex(dev), TcAttachPoint.INGRESS, 1, 1));
                return null;
            });
            String after = filters(ns, dev);
            assertTrue(foreignFilter(ns, dev), "the foreign filter survived:\n" + after);
            assertFalse(after.contains("count_packets"), "ours is gone:\n" + after);
            assertTrue(Shell.check("tc", "-n", ns, "qdisc", "show", "dev", dev).contains("clsact"));
        }
    }

    private static String filters(String ns, String dev) {
        return Shell.check("tc", "-n", ns, "filter", "show", "dev", dev, "ingress");
    }

    private static boolean foreignFilter(String ns, String dev) {
        String f = filters(ns, dev);
        return f.contains("pref 7 u32");
    }
}
