package org.xmasq.libbpf.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpfLog;
import org.xmasq.libbpf.PermissionException;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.TestRunResult;

/**
 * A test describes what the "kernel" holds: objects registered by name open from memory or file, loads pin maps,
 * failures are injected per method, test runs return configured results, tc and tcx attachments are inspectable.
 */
class FakeObjectsAndAttachmentsAreScriptable {
    private final FakeLibBpf fake = new FakeLibBpf().addInterface("eth0", 2);

    private FakeObjectSpec spec() {
        return FakeObjectSpec.builder().map("m", FakeLibBpf.MAP_HASH, 4, 8, 16).rodata(4)
                .program("p", "tc", FakeLibBpf.PROG_SCHED_CLS).build();
    }

    @Test
    void openFromMemoryOrFileLoadPinClose() {
        fake.registerObject("obj", spec());
        ByteBuffer elf = ByteBuffer.allocateDirect(16);
        long h = fake.objectOpenMem(fake.address(elf), 16, "obj");
        assertTrue(h > 0);
        long m = fake.objectNextMap(h, 0);
        assertEquals("m", fake.mapName(m));
        assertEquals("obj.rodata", fake.mapName(fake.objectNextMap(h, m)));
        assertEquals(0, fake.mapSetPinPath(m, "/sys/fs/bpf/x/m"));
        assertTrue(fake.mapFd(m) < 0, "no fd before load");
        assertEquals(0, fake.objectLoad(h));
        assertTrue(fake.isPinned("/sys/fs/bpf/x/m"));
        assertTrue(fake.programFd(fake.objectNextProgram(h, 0)) > 0);
        fake.objectClose(h);
        assertEquals(0, fake.openFds());
        assertTrue(fake.objGet("/sys/fs/bpf/x/m") > 0, "the pinned map outlives the object");

        long f = fake.objectOpenFile("/somewhere/obj.bpf.o");
        assertTrue(f > 0);
        assertEquals("obj", fake.objectName(f));
        assertEquals(-Errno.ENOENT, fake.objectOpenFile("/somewhere/other.bpf.o"));
    }

    @Test
    void aLoadFailurePrintsItsLog() {
        fake.registerObject("bad", FakeObjectSpec.builder().failLoad(Errno.EACCES, "line 1\nline 2").build());
        long h = fake.objectOpenFile("bad.o");
        LibBpfLog.Captured<Integer> c = LibBpfLog.capture(() -> fake.objectLoad(h));
        assertEquals(-Errno.EACCES, c.value());
        assertEquals("line 1\nline 2\n", c.log());
    }

    @Test
    void injectedFailures() {
        fake.failNext("mapCreate", Errno.EPERM).failNext("mapCreate", Errno.ENOMEM);
        assertEquals(-Errno.EPERM, fake.mapCreate(FakeLibBpf.MAP_HASH, "h", 4, 4, 4, 0));
        assertEquals(-Errno.ENOMEM, fake.mapCreate(FakeLibBpf.MAP_HASH, "h", 4, 4, 4, 0));
        int fd = fake.mapCreate(FakeLibBpf.MAP_HASH, "h", 4, 4, 4, 0);
        assertTrue(fd > 0);
        fake.failAlways("mapInfo", Errno.EPERM);
        assertThrows(PermissionException.class, () -> fake.mapInfo(fd));
        fake.clearFailures();
        assertEquals(4, fake.mapInfo(fd).maxEntries());
        assertEquals(3, fake.calls("mapCreate"));
    }

    @Test
    void testRunsAndAttachments() {
        fake.registerObject("obj", spec());
        long h = fake.objectOpenFile("obj.o");
        fake.objectLoad(h);
        int prog = fake.programFd(fake.objectNextProgram(h, 0));
        TestRunResult echo = fake.progTestRun(prog, TestRunRequest.of(new byte[] {1, 2, 3}));
        assertEquals(3, echo.dataOut().length);
        fake.onTestRun("p", r -> new TestRunResult(2, new byte[0], null, 5));
        assertEquals(2, fake.progTestRun(prog, TestRunRequest.of(new byte[14])).retval());

        assertEquals(-Errno.ENODEV, fake.tcHookCreate(9, TcAttachPoint.INGRESS));
        assertEquals(1, fake.tcHookCreate(2, TcAttachPoint.INGRESS));
        assertEquals(0, fake.tcHookCreate(2, TcAttachPoint.EGRESS));
        int id = fake.tcAttach(2, TcAttachPoint.INGRESS, 1, 5, prog, false);
        assertEquals(-Errno.EEXIST, fake.tcAttach(2, TcAttachPoint.INGRESS, 1, 5, prog, false));
        assertEquals(id, fake.tcQuery(2, TcAttachPoint.INGRESS, 1, 5));
        assertEquals(List.of(new FakeLibBpf.TcFilter(2, TcAttachPoint.INGRESS, 1, 5, id)),
                fake.tcFilters(2, TcAttachPoint.INGRESS));

        int link = fake.linkCreate(prog, 2, TcAttachPoint.EGRESS.tcxAttachType());
        assertEquals(1, fake.tcxLinks(2, TcAttachPoint.EGRESS).size());
        assertEquals(2, fake.linkInfo(link).ifindex());
        fake.close(link);
        assertEquals(List.of(), fake.tcxLinks(2, TcAttachPoint.EGRESS), "an unpinned link goes with its last fd");
        assertEquals(-Errno.EINVAL, fake.setTcxSupported(false).linkCreate(prog, 2, 46));

        assertEquals(2, fake.ifNameToIndex("eth0"));
        assertEquals(0, fake.ifNameToIndex("nope"));
        assertNull(fake.ifIndexToName(77));
        assertEquals("ran", fake.inNetns(Path.of("/run/netns/x"), () -> "ran"));
    }
}
