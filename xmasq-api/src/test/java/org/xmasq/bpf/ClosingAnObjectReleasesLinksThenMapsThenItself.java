package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * BpfObject.close() first releases the TC attachments of its programs (unpinned tcx links and our clsact filters
 * go away, pinned links stay), then its map handles, then the libbpf object: no fd is left.
 */
class ClosingAnObjectReleasesLinksThenMapsThenItself {
    @Test
    void everythingGoesExceptPins() {
        FakeLibBpf fake = FakeObjects.fake();
        BpfObject o = FakeObjects.load(fake);
        BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
        Tc.attach(o.program("count_packets"), "veth0", TcAttachPoint.INGRESS);
        TcxLink pinned = (TcxLink) Tc.attach(o.program("count_packets"), "eth0", TcAttachPoint.INGRESS);
        pinned.pin(Path.of("/sys/fs/bpf/xmt-link"));
        Tc.attach(o.program("drop_all"), "veth0", TcAttachPoint.EGRESS, TcOptions.defaults().withMode(TcMode.CLSACT));
        o.close();
        assertTrue(m.isClosed());
        assertEquals(List.of(), fake.tcxLinks(FakeObjects.VETH0, TcAttachPoint.INGRESS));
        assertEquals(List.of(), fake.tcFilters(FakeObjects.VETH0, TcAttachPoint.EGRESS));
        assertEquals(1, fake.tcxLinks(FakeObjects.ETH0, TcAttachPoint.INGRESS).size(), "the pinned link stays");
        assertEquals(0, fake.openFds());
        assertEquals(0, fake.openObjects());
    }
}
