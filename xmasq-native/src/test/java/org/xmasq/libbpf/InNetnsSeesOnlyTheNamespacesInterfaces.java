package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.Names;
import org.xmasq.libbpf.support.TestNetns;

/**
 * inNetns runs its task on a thread of its own inside the namespace: the task sees that namespace's interfaces and
 * not the host's, the caller's thread never moves, and the task's exceptions come back to the caller.
 */
class InNetnsSeesOnlyTheNamespacesInterfaces {
    private static TestNetns net;
    private final LibBpf lib = LibBpfs.get();

    @BeforeAll
    static void createNamespaces() {
        net = TestNetns.create();
    }

    @AfterAll
    static void deleteNamespaces() {
        net.close();
    }

    @Test
    void theTaskSeesItsNamespaceOnly() {
        int a = lib.inNetns(net.pathA(), () -> lib.ifNameToIndex(TestNetns.IF_A));
        assertTrue(a > 0);
        assertEquals(TestNetns.IF_A, lib.inNetns(net.pathA(), () -> lib.ifIndexToName(a)));
        assertEquals(0, lib.inNetns(net.pathA(), () -> lib.ifNameToIndex(TestNetns.IF_B)), "b's end is elsewhere");
        assertTrue(lib.inNetns(net.pathB(), () -> lib.ifNameToIndex(TestNetns.IF_B)) > 0);
    }

    @Test
    void theCallerStaysInItsOwnNamespace() {
        lib.inNetns(net.pathA(), () -> lib.ifNameToIndex(TestNetns.IF_A));
        assertEquals(0, lib.ifNameToIndex(TestNetns.IF_A), "the host has no such interface");
        int hostLo = lib.ifNameToIndex("lo");
        assertEquals("lo", lib.ifIndexToName(hostLo));
    }

    @Test
    void theTaskRunsOnAThreadThatEndsWithIt() {
        Thread caller = Thread.currentThread();
        Thread worker = lib.inNetns(net.pathA(), Thread::currentThread);
        assertNotSame(caller, worker);
        assertEquals(Thread.State.TERMINATED, worker.getState(), "the namespace thread ended with its task");
    }

    @Test
    void uncheckedExceptionsComeBackAsTheyAre() {
        IllegalStateException thrown = new IllegalStateException("from the namespace");
        IllegalStateException caught = assertThrows(IllegalStateException.class,
                () -> lib.inNetns(net.pathA(), () -> {
                    throw thrown;
                }));
        assertSame(thrown, caught);
    }

    @Test
    void checkedExceptionsComeBackWrapped() {
        IOException io = new IOException("checked");
        UncheckedIOException caught = assertThrows(UncheckedIOException.class,
                () -> lib.inNetns(net.pathA(), () -> {
                    throw io;
                }));
        assertSame(io, caught.getCause());
    }

    @Test
    void aNamespaceThatDoesNotExistIsENOENT() {
        BpfException e = assertThrows(BpfException.class,
                () -> lib.inNetns(Path.of("/run/netns", Names.unique()), () -> 1));
        assertEquals(Errno.ENOENT, e.errno());
    }

    @Test
    void aFileThatIsNotANamespaceIsEINVAL() {
        BpfException e = assertThrows(BpfException.class, () -> lib.inNetns(Path.of("/proc/self/stat"), () -> 1));
        assertEquals(Errno.EINVAL, e.errno());
    }
}
