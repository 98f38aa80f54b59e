package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** A pinned tcx link stays attached when its process lets go; fromPin adopts it with ifindex, point and program. */
class APinnedTcxLinkIsReadoptedAfterARestart {
    @Test
    void pinCloseAdoptDetach() {
        FakeLibBpf fake = FakeObjects.fake();
        Path pin = Path.of("/sys/fs/bpf/xmt-l/egress");
        int progId;
        try (BpfObject o = FakeObjects.load(fake)) {
            TcxLink link = (TcxLink) Tc.attach(o.program("count_packets"), "eth0", TcAttachPoint.EGRESS);
            progId = link.programId();
            link.pin(pin);
            assertEquals(pin, link.pinPath());
        }
        assertEquals(1, fake.tcxLinks(FakeObjects.ETH0, TcAttachPoint.EGRESS).size());
        try (TcxLink adopted = TcxLink.fromPin(fake, pin)) {
            assertEquals(FakeObjects.ETH0, adopted.ifindex());
            assertEquals(TcAttachPoint.EGRESS, adopted.point());
            assertEquals(progId, adopted.programId());
            assertTrue(adopted.unpin());
            adopted.detach();
        }
        assertEquals(List.of(), fake.tcxLinks(FakeObjects.ETH0, TcAttachPoint.EGRESS));
        assertThrows(org.xmasq.libbpf.BpfSyscallException.class, () -> TcxLink.fromPin(fake, pin));
        assertEquals(0, fake.openFds());
    }
}
