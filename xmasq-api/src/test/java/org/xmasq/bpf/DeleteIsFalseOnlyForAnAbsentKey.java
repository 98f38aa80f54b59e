package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.BpfSyscallException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.PermissionException;
import org.xmasq.libbpf.fake.FakeLibBpf;

/** delete returns false for ENOENT and throws for every other errno (an array element cannot be deleted). */
class DeleteIsFalseOnlyForAnAbsentKey {
    @Test
    void absentIsFalsePresentIsTrue() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            assertFalse(m.delete(3));
            m.put(3, 1L);
            assertTrue(m.delete(3));
            assertFalse(m.delete(3));
        }
    }

    @Test
    void deletingAnArrayElementThrowsEinval() {
        try (BpfObject o = FakeObjects.load(FakeObjects.fake())) {
            BpfMap<Integer, Long> a = o.map("test_array", Codecs.u32(), Codecs.u64());
            BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> a.delete(0));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals("bpf_map_delete_elem(test_array)", e.operation());
        }
    }

    @Test
    void aPermissionErrorIsNotFalse() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            fake.failNext("mapDelete", Errno.EPERM);
            PermissionException e = assertThrows(PermissionException.class, () -> m.delete(1));
            assertTrue(e.operation().contains("test_lru"), e.operation());
        }
    }
}
