package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;

/** bpf_obj_get_info_by_fd fills the records with what the kernel holds, and ids lead back to fds. */
class InfoByFdReportsMapAndProgramFields {
    private static final int PERCPU_ARRAY = 6;
    private static final int BPF_PROG_TYPE_SCHED_CLS = 3;
    private static final int EBADFD = 77;
    private final LibBpf lib = LibBpfs.get();

    @Test
    void mapInfoHasTypeSizesAndName() {
        try (OpenObject o = OpenObject.loadTest(lib)) {
            MapInfo info = lib.mapInfo(o.mapFd("test_counters"));
            assertEquals(PERCPU_ARRAY, info.type());
            assertEquals(4, info.keySize());
            assertEquals(8, info.valueSize());
            assertEquals(4, info.maxEntries());
            assertEquals("test_counters", info.name());
            assertTrue(info.id() > 0);
        }
    }

    @Test
    void progInfoHasTypeNameAndVerifierFigures() {
        try (OpenObject o = OpenObject.loadTest(lib)) {
            ProgInfo info = lib.progInfo(o.progFd("count_packets"));
            assertEquals(BPF_PROG_TYPE_SCHED_CLS, info.type());
            assertEquals("count_packets", info.name());
            assertTrue(info.id() > 0);
            assertTrue(info.xlatedLen() > 0 && info.xlatedLen() % 8 == 0, "xlated " + info.xlatedLen());
            assertTrue(info.jitedLen() > 0, "jited " + info.jitedLen());
            assertTrue(info.verifiedInsns() > 0, "verified " + info.verifiedInsns());
            assertTrue(info.runTimeNs() >= 0 && info.runCount() >= 0);
        }
    }

    @Test
    void idsLeadBackToTheSameObjects() {
        try (OpenObject o = OpenObject.loadTest(lib)) {
            int progId = lib.progInfo(o.progFd("drop_all")).id();
            int progFd = lib.progFdById(progId);
            assertTrue(progFd >= 0, "prog_get_fd_by_id returned " + progFd);
            try {
                assertEquals("drop_all", lib.progInfo(progFd).name());
            } finally {
                lib.close(progFd);
            }
            int mapId = lib.mapInfo(o.mapFd("test_hash")).id();
            int mapFd = lib.mapFdById(mapId);
            assertTrue(mapFd >= 0, "map_get_fd_by_id returned " + mapFd);
            try {
                assertEquals("test_hash", lib.mapInfo(mapFd).name());
            } finally {
                lib.close(mapFd);
            }
        }
    }

    @Test
    void anUnknownIdIsENOENT() {
        assertEquals(-Errno.ENOENT, lib.progFdById(Integer.MAX_VALUE));
        assertEquals(-Errno.ENOENT, lib.mapFdById(Integer.MAX_VALUE));
    }

    @Test
    void infoOfABadFdThrowsWithItsErrno() {
        BpfException e = assertThrows(BpfSyscallException.class, () -> lib.mapInfo(-1));
        assertEquals(EBADFD, e.errno(), "the kernel answers EBADFD for an fd that is not open");
        assertThrows(BpfSyscallException.class, () -> lib.progInfo(-1));
        assertThrows(BpfSyscallException.class, () -> lib.linkInfo(-1));
    }
}
