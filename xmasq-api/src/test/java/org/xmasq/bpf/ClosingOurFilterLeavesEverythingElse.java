package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.BpfSyscallException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * A clsact attach tolerates an existing qdisc, never takes another's handle/priority, and close removes only our
 * filter (and only while it still runs our program); the qdisc stays.
 */
class ClosingOurFilterLeavesEverythingElse {
    private static final TcOptions CLSACT = TcOptions.defaults().withMode(TcMode.CLSACT).withHandle(0x10)
            .withPriority(3);

    @Test
    void aForeignFilterAndTheQdiscSurvive() {
        FakeLibBpf fake = FakeObjects.fake();
        fake.addForeignFilter(FakeObjects.ETH0, TcAttachPoint.INGRESS, 1, 7, 999);
        try (BpfObject o = FakeObjects.load(fake)) {
            ClsactFilter f = (ClsactFilter) Tc.attach(o.program("count_packets"), "eth0", TcAttachPoint.INGRESS, CLSACT);
            assertEquals(false, f.createdQdisc());
            assertEquals(2, fake.tcFilters(FakeObjects.ETH0, TcAttachPoint.INGRESS).size());
            f.close();
            f.close();
            assertEquals(List.of(new FakeLibBpf.TcFilter(FakeObjects.ETH0, TcAttachPoint.INGRESS, 1, 7, 999)),
                    fake.tcFilters(FakeObjects.ETH0, TcAttachPoint.INGRESS));
            assertTrue(fake.hasClsact(FakeObjects.ETH0));
        }
    }

    @Test
    void aTakenHandleAndPriorityIsRefusedUnlessReplacing() {
        FakeLibBpf fake = FakeObjects.fake();
        fake.addForeignFilter(FakeObjects.ETH0, TcAttachPoint.INGRESS, 0x10, 3, 999);
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfSyscallException e = assertThrows(BpfSyscallException.class,
                    () -> Tc.attach(o.program("count_packets"), "eth0", TcAttachPoint.INGRESS, CLSACT));
            assertEquals(Errno.EEXIST, e.errno());
            assertTrue(e.getMessage().contains("withReplace"), e.getMessage());
            assertEquals(999, fake.tcFilters(FakeObjects.ETH0, TcAttachPoint.INGRESS).get(0).programId());
            TcAttachment ours = Tc.attach(o.program("count_packets"), "eth0", TcAttachPoint.INGRESS,
                    CLSACT.withReplace(true));
            assertEquals(ours.programId(), fake.tcFilters(FakeObjects.ETH0, TcAttachPoint.INGRESS).get(0).programId());
        }
    }

    @Test
    void aFilterSomeoneReplacedIsLeftAlone() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            TcAttachment f = Tc.attach(o.program("count_packets"), "eth0", TcAttachPoint.INGRESS, CLSACT);
            fake.addForeignFilter(FakeObjects.ETH0, TcAttachPoint.INGRESS, 0x10, 3, 4242); // someone replaced it
            f.close();
            assertEquals(4242, fake.tcFilters(FakeObjects.ETH0, TcAttachPoint.INGRESS).get(0).programId());
        }
    }

    @Test
    void aVanishedInterfaceCountsAsDetached() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            TcAttachment f = Tc.attach(o.program("count_packets"), "veth0", TcAttachPoint.EGRESS, CLSACT);
            fake.removeInterface("veth0");
            f.close();
        }
    }
}
