package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.PerCpuMap;
import org.xmasq.bpf.Tc;
import org.xmasq.bpf.TcOptions;
import org.xmasq.bpf.TcxLink;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.support.PinDir;
import org.xmasq.libbpf.support.TestNetns;

/**
 * A pinned tcx link keeps its program attached after the object that made it is closed (an agent restart), and
 * TcxLink.fromPin re-adopts it with its interface, direction and program; detach then really stops it.
 */
class APinnedTcxLinkOutlivesItsProcessAndIsReadopted {
    private static long packets(Path pinDir) {
        try (PerCpuMap<Integer, Long> c = PerCpuMap.open(KernelObjects.lib(), pinDir.resolve("test_counters"),
                Codecs.u32(), Codecs.u64())) {
            return c.lookupCombined(0, Long::sum).orElseThrow();
        }
    }

    @Test
    void pinCloseReadoptDetach() {
        try (TestNetns net = TestNetns.create(); PinDir pins = PinDir.notCreated()) {
            Path linkPin = pins.path().resolve("count_ingress");
            int progId;
            int ifindex;
            try (BpfObject o = KernelObjects.openTest().pinMapsIn(pins.path()).load()) {
                TcxLink link = (TcxLink) Tc.attach(o.program("count_packets"), TestNetns.IF_A,
                        TcAttachPoint.INGRESS, TcOptions.defaults().withNetns(net.pathA()));
                link.pin(linkPin);
                progId = link.programId();
                ifindex = link.ifindex();
            }
            assertTrue(Files.exists(linkPin));
            net.sendUdpFromB(KernelObjects.lib(), 5);
            long afterRestart = packets(pins.path());
            assertTrue(afterRestart >= 5, "still counting with the object closed: " + afterRestart);

            try (TcxLink adopted = TcxLink.fromPin(KernelObjects.lib(), linkPin)) {
                assertEquals(progId, adopted.programId());
                assertEquals(ifindex, adopted.ifindex());
                assertEquals(TcAttachPoint.INGRESS, adopted.point());
                assertTrue(adopted.unpin());
                adopted.detach();
            }
            assertFalse(Files.exists(linkPin));
            net.sendUdpFromB(KernelObjects.lib(), 5);
            assertEquals(afterRestart, packets(pins.path()), "detached: no more counting");
        }
    }
}
