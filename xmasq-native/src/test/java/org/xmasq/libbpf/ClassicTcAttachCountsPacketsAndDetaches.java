package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.Await;
import org.xmasq.libbpf.support.OpenObject;
import org.xmasq.libbpf.support.TestNetns;

/**
 * A classic clsact filter attached at an explicit handle and priority sees the interface's packets, is found by
 * tcQuery, refuses a second attach unless replace is asked for, and is gone after tcDetach.
 */
class ClassicTcAttachCountsPacketsAndDetaches {
    private static final int HANDLE = 0xb1;
    private static final int PRIORITY = 0x31;
    private static final TcAttachPoint IN = TcAttachPoint.INGRESS;
    private final LibBpf lib = LibBpfs.get();
    private TestNetns net;
    private OpenObject obj;
    private int ifindex;

    @BeforeEach
    void setUp() {
        net = TestNetns.create();
        obj = OpenObject.loadTest(lib);
        ifindex = lib.inNetns(net.pathA(), () -> lib.ifNameToIndex(TestNetns.IF_A));
        assertTrue(ifindex > 0, "veth index in namespace a");
    }

    @AfterEach
    void tearDown() {
        try {
            obj.close();
        } finally {
            net.close();
        }
    }

    private long packets() {
        return obj.perCpuSum("test_counters", 0);
    }

    @Test
    void attachQueryCountDetach() {
        int progFd = obj.progFd("count_packets");
        int progId = lib.progInfo(progFd).id();
        lib.inNetns(net.pathA(), () -> {
            assertEquals(1, lib.tcHookCreate(ifindex, IN), "clsact created");
            assertEquals(0, lib.tcHookCreate(ifindex, IN), "clsact already there");
            assertEquals(-Errno.ENOENT, lib.tcQuery(ifindex, IN, HANDLE, PRIORITY), "nothing attached yet");
            assertEquals(progId, lib.tcAttach(ifindex, IN, HANDLE, PRIORITY, progFd, false));
            assertEquals(progId, lib.tcQuery(ifindex, IN, HANDLE, PRIORITY));
            return null;
        });

        long before = packets();
        net.sendUdpFromB(lib, 3);
        long after = Await.atLeast(this::packets, before + 3);
        assertTrue(after >= before + 3, "datagrams counted: " + before + " -> " + after);

        lib.inNetns(net.pathA(), () -> {
            assertEquals(0, lib.tcDetach(ifindex, IN, HANDLE, PRIORITY));
            assertEquals(-Errno.ENOENT, lib.tcQuery(ifindex, IN, HANDLE, PRIORITY));
            assertEquals(-Errno.ENOENT, lib.tcDetach(ifindex, IN, HANDLE, PRIORITY));
            return null;
        });
        long afterDetach = packets();
        net.sendUdpFromB(lib, 2);
        Await.settle();
        assertEquals(afterDetach, packets(), "no counting once detached");
    }

    @Test
    void aTakenSlotIsEEXISTUnlessReplaceIsAskedFor() {
        int countFd = obj.progFd("count_packets");
        int dropFd = obj.progFd("drop_all");
        int dropId = lib.progInfo(dropFd).id();
        lib.inNetns(net.pathA(), () -> {
            lib.tcHookCreate(ifindex, IN);
            assertTrue(lib.tcAttach(ifindex, IN, HANDLE, PRIORITY, countFd, false) > 0);
            assertEquals(-Errno.EEXIST, lib.tcAttach(ifindex, IN, HANDLE, PRIORITY, dropFd, false));
            assertEquals(dropId, lib.tcAttach(ifindex, IN, HANDLE, PRIORITY, dropFd, true));
            assertEquals(dropId, lib.tcQuery(ifindex, IN, HANDLE, PRIORITY));
            return null;
        });
        long before = packets();
        net.sendUdpFromB(lib, 3);
        Await.settle();
        assertEquals(before, packets(), "drop_all replaced count_packets");
    }

    @Test
    void queryAndDetachOfAnEmptyHookAreENOENT() {
        lib.inNetns(net.pathA(), () -> {
            assertEquals(-Errno.ENOENT, lib.tcQuery(ifindex, IN, HANDLE, PRIORITY), "no clsact at all");
            assertEquals(-Errno.ENOENT, lib.tcDetach(ifindex, IN, HANDLE, PRIORITY), "no clsact at all");
            lib.tcHookCreate(ifindex, IN);
            assertEquals(-Errno.ENOENT, lib.tcQuery(ifindex, IN, HANDLE, PRIORITY), "clsact without filters");
            return null;
        });
    }

    @Test
    void theEgressHookIsSeparateFromIngress() {
        int progFd = obj.progFd("count_packets");
        lib.inNetns(net.pathA(), () -> {
            lib.tcHookCreate(ifindex, IN);
            assertTrue(lib.tcAttach(ifindex, TcAttachPoint.EGRESS, HANDLE, PRIORITY, progFd, false) > 0);
            assertEquals(-Errno.ENOENT, lib.tcQuery(ifindex, IN, HANDLE, PRIORITY));
            assertEquals(0, lib.tcDetach(ifindex, TcAttachPoint.EGRESS, HANDLE, PRIORITY));
            return null;
        });
    }

    @Test
    void anInterfaceThatDoesNotExistIsENODEV() {
        int rc = lib.inNetns(net.pathA(), () -> lib.tcHookCreate(0x7ffffff0, IN));
        assertEquals(-Errno.ENODEV, rc);
        assertTrue(BpfException.of("bpf_tc_hook_create", rc) instanceof UnknownInterfaceException);
    }
}
