package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.Await;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.PinDir;
import org.xmasq.libbpf.support.TestNetns;

/**
 * A tcx link created in a namespace counts that interface's packets, reports its interface and attach type,
 * can be pinned, and stops once detached.
 */
class TcxLinkAttachesInsideANamespace {
    private static final int BPF_TCX_INGRESS = 46;
    private final LibBpf lib = LibBpfs.get();

    @Test
    void linkCreateInfoPinAndDetach() {
        try (TestNetns net = TestNetns.create(); PinDir pins = new PinDir(); OpenObject o = OpenObject.loadTest(lib)) {
            int progFd = o.progFd("count_packets");
            int progId = lib.progInfo(progFd).id();
            int[] ifindex = new int[1];
            int link = lib.inNetns(net.pathA(), () -> {
                ifindex[0] = lib.ifNameToIndex(TestNetns.IF_A);
                return lib.linkCreate(progFd, ifindex[0], TcAttachPoint.INGRESS.tcxAttachType());
            });
            assertTrue(link >= 0, "link_create returned " + link);
            try {
                LinkInfo info = lib.linkInfo(link);
                assertEquals(LinkInfo.TYPE_TCX, info.type());
                assertEquals(progId, info.progId());
                assertEquals(ifindex[0], info.ifindex());
                assertEquals(BPF_TCX_INGRESS, info.attachType());
                assertTrue(info.id() > 0);

                String pin = pins.resolve("link");
                assertEquals(0, lib.objPin(link, pin));
                assertTrue(Files.exists(Path.of(pin)));

                long before = o.perCpuSum("test_counters", 0);
                net.sendUdpFromB(lib, 3);
                long after = Await.atLeast(() -> o.perCpuSum("test_counters", 0), before + 3);
                assertTrue(after >= before + 3, "tcx counted the datagrams: " + before + " -> " + after);

                assertEquals(0, lib.linkDetach(link));
                assertEquals(0, lib.linkInfo(link).ifindex(), "a detached tcx link has no interface");
                long afterDetach = o.perCpuSum("test_counters", 0);
                net.sendUdpFromB(lib, 2);
                Await.settle();
                assertEquals(afterDetach, o.perCpuSum("test_counters", 0), "no counting once detached");
            } finally {
                lib.close(link);
            }
        }
    }

    @Test
    void anUnknownIfindexIsAnErrno() {
        try (TestNetns net = TestNetns.create(); OpenObject o = OpenObject.loadTest(lib)) {
            int progFd = o.progFd("count_packets");
            int rc = lib.inNetns(net.pathA(), () -> lib.linkCreate(progFd, 0x7ffffff0, BPF_TCX_INGRESS));
            assertEquals(-Errno.ENODEV, rc);
        }
    }
}
