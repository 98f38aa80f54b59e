package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.BpfSyscallException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.NotSupportedException;
import org.xmasq.libbpf.PermissionException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** Errnos other than the "absent/exists" ones become the exception tree, with the syscall and map in the operation. */
class EveryOtherErrnoThrowsNamingTheMap {
    @Test
    void updateLookupAndFullMapErrors() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            fake.failNext("mapUpdate", Errno.EPERM);
            PermissionException pe = assertThrows(PermissionException.class, () -> m.put(1, 1L));
            assertEquals("bpf_map_update_elem(test_lru)", pe.operation());

            fake.failNext("mapLookup", Errno.EOPNOTSUPP);
            NotSupportedException ne = assertThrows(NotSupportedException.class, () -> m.lookup(1));
            assertEquals("bpf_map_lookup_elem(test_lru)", ne.operation());

            fake.failNext("mapUpdate", Errno.EEXIST);
            BpfException ee = assertThrows(BpfSyscallException.class, () -> m.put(1, 1L),
                    "EEXIST is only 'false' for putIfAbsent");
            assertEquals(Errno.EEXIST, ee.errno());

            BpfMap<Integer, Long> array = o.map("test_array", Codecs.u32(), Codecs.u64());
            BpfSyscallException big = assertThrows(BpfSyscallException.class, () -> array.put(4, 1L));
            assertEquals(Errno.E2BIG, big.errno());
            assertTrue(big.getMessage().contains("test_array"), big.getMessage());
        }
    }
}
