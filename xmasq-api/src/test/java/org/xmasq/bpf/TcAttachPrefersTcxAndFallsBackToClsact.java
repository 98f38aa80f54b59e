package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.BpfSyscallException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.PermissionException;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * AUTO attaches with tcx where the kernel has it; where bpf_link_create says EINVAL/EOPNOTSUPP it uses clsact, and
 * remembers that (one probe). Options force a mode; other errors are not mistaken for "no tcx".
 */
class TcAttachPrefersTcxAndFallsBackToClsact {
    @Test
    void tcxWhereAvailable() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            TcAttachment a = Tc.attach(o.program("count_packets"), "veth0", TcAttachPoint.INGRESS);
            TcxLink link = assertInstanceOf(TcxLink.class, a);
            assertEquals(FakeObjects.VETH0, link.ifindex());
            assertEquals(TcAttachPoint.INGRESS, link.point());
            assertEquals(o.program("count_packets").info().id(), link.programId());
            assertEquals(1, fake.tcxLinks(FakeObjects.VETH0, TcAttachPoint.INGRESS).size());
            assertEquals(List.of(), fake.tcFilters(FakeObjects.VETH0, TcAttachPoint.INGRESS));
            a.close();
            assertEquals(List.of(), fake.tcxLinks(FakeObjects.VETH0, TcAttachPoint.INGRESS));
        }
    }

    @Test
    void clsactWhereTcxIsMissingProbedOnce() {
        FakeLibBpf fake = FakeObjects.fake().setTcxSupported(false);
        try (BpfObject o = FakeObjects.load(fake)) {
            TcAttachment in = Tc.attach(o.program("count_packets"), "veth0", TcAttachPoint.INGRESS);
            TcAttachment out = Tc.attach(o.program("drop_all"), FakeObjects.VETH0, TcAttachPoint.EGRESS);
            ClsactFilter f = assertInstanceOf(ClsactFilter.class, in);
            assertInstanceOf(ClsactFilter.class, out);
            assertEquals(1, fake.calls("linkCreate"), "tcx was probed once");
            assertTrue(f.createdQdisc());
            assertEquals(List.of(new FakeLibBpf.TcFilter(FakeObjects.VETH0, TcAttachPoint.INGRESS,
                    TcOptions.DEFAULT_HANDLE, TcOptions.DEFAULT_PRIORITY, f.programId())),
                    fake.tcFilters(FakeObjects.VETH0, TcAttachPoint.INGRESS));
        }
    }

    @Test
    void optionsForceTheMode() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            assertInstanceOf(ClsactFilter.class, Tc.attach(o.program("count_packets"), "eth0", TcAttachPoint.INGRESS,
                    TcOptions.defaults().withMode(TcMode.CLSACT)));
            assertEquals(0, fake.calls("linkCreate"));
        }
        FakeLibBpf old = FakeObjects.fake().setTcxSupported(false);
        try (BpfObject o = FakeObjects.load(old)) {
            BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> Tc.attach(o.program("drop_all"),
                    "eth0", TcAttachPoint.INGRESS, TcOptions.defaults().withMode(TcMode.TCX)));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(List.of(), old.tcFilters(FakeObjects.ETH0, TcAttachPoint.INGRESS), "no silent fallback");
        }
    }

    @Test
    void aPermissionErrorIsNotTakenForMissingTcx() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            fake.failNext("linkCreate", Errno.EPERM);
            assertThrows(PermissionException.class, () -> Tc.attach(o.program("drop_all"), "eth0",
                    TcAttachPoint.INGRESS));
            assertEquals(0, fake.calls("tcAttach"));
            assertInstanceOf(TcxLink.class, Tc.attach(o.program("drop_all"), "eth0", TcAttachPoint.INGRESS),
                    "and tcx is still used afterwards");
        }
    }
}
