package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.OpenObject;

/** An errno, negative as the backends return it or positive, becomes the exception type a caller can act on. */
class ErrnosMapToTheExceptionTree {
    private final LibBpf lib = LibBpfs.get();

    @Test
    void eachErrnoHasItsType() {
        assertInstanceOf(PermissionException.class, BpfException.of("op", -Errno.EPERM));
        assertInstanceOf(PermissionException.class, BpfException.of("op", Errno.EACCES));
        assertInstanceOf(UnknownInterfaceException.class, BpfException.of("op", -Errno.ENODEV));
        assertInstanceOf(NotSupportedException.class, BpfException.of("op", -Errno.EOPNOTSUPP));
        assertInstanceOf(NotSupportedException.class, BpfException.of("op", -Errno.ENOTSUPP));
        assertInstanceOf(NotSupportedException.class, BpfException.of("op", -Errno.ENOSYS));
        assertInstanceOf(BpfSyscallException.class, BpfException.of("op", -Errno.ENOENT));
        assertInstanceOf(BpfSyscallException.class, BpfException.of("op", -Errno.E2BIG));
    }

    @Test
    void theExceptionCarriesOperationAndPositiveErrno() {
        BpfException e = BpfException.of("bpf_map_update_elem(test)", -Errno.E2BIG);
        assertEquals("bpf_map_update_elem(test)", e.operation());
        assertEquals(Errno.E2BIG, e.errno());
        assertTrue(e.getMessage().contains("E2BIG"), e.getMessage());
    }

    @Test
    void checkPassesResultsAndThrowsErrnos() {
        assertEquals(5, BpfException.check(5, "op"));
        assertEquals(1L << 40, BpfException.check(1L << 40, "op"));
        assertEquals(Errno.ENOENT, assertThrows(BpfSyscallException.class,
                () -> BpfException.check(-Errno.ENOENT, "op")).errno());
        assertEquals(Errno.EPERM, assertThrows(PermissionException.class,
                () -> BpfException.check((long) -Errno.EPERM, "op")).errno());
    }

    @Test
    void aRealFailureOfTheBackendMapsTheSameWay() {
        try (OpenObject o = OpenObject.loadTest(lib)) {
            int rc = lib.mapUpdate(o.mapFd("test_array"), 0, 0, 0);
            assertEquals(-Errno.EFAULT, rc, "NULL key and value");
            assertInstanceOf(BpfSyscallException.class, BpfException.of("bpf_map_update_elem", rc));
        }
    }
}
