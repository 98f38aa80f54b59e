package org.xmasq.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xmasq.bpf.support.FakeObjects;
import org.xmasq.libbpf.BpfSyscallException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * EINVAL/ENOTSUPP/EOPNOTSUPP from a batch syscall switch that handle to single operations for good (the batch is
 * not retried); any other errno throws.
 */
class BatchOperationsFallBackWhereUnsupported {
    private static Map<Integer, Long> entries(int n) {
        Map<Integer, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(i, i * 2L);
        }
        return m;
    }

    @Test
    void lookupBatch() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            m.putAll(entries(30));
            fake.failAlways("mapLookupBatch", Errno.ENOTSUPP);
            assertEquals(entries(30), m.lookupAll());
            assertEquals(1, fake.calls("mapLookupBatch"));
            assertEquals(entries(30), m.lookupAll());
            assertEquals(1, fake.calls("mapLookupBatch"), "the fallback is remembered");
        }
    }

    @Test
    void updateBatch() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            fake.failAlways("mapUpdateBatch", Errno.EINVAL);
            m.putAll(entries(10));
            m.putAll(entries(12));
            assertEquals(1, fake.calls("mapUpdateBatch"));
            assertEquals(entries(12), m.entries());
        }
    }

    @Test
    void deleteBatchOfAnArrayFallsBackAndThenFailsLikeSingleDeletes() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> a = o.map("test_array", Codecs.u32(), Codecs.u64());
            BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> a.deleteAll(List.of(0, 1)));
            assertEquals(Errno.EINVAL, e.errno(), "array elements cannot be deleted");
            assertEquals(1, fake.calls("mapDeleteBatch"));
        }
    }

    @Test
    void deleteBatchUnsupportedForAHash() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            m.putAll(entries(10));
            fake.failAlways("mapDeleteBatch", Errno.EOPNOTSUPP);
            assertEquals(3, m.deleteAll(List.of(1, 2, 3, 99)));
            assertEquals(7, m.size());
        }
    }

    @Test
    void otherErrnosThrow() {
        FakeLibBpf fake = FakeObjects.fake();
        try (BpfObject o = FakeObjects.load(fake)) {
            BpfMap<Integer, Long> m = o.map("test_lru", Codecs.u32(), Codecs.u64());
            fake.failNext("mapUpdateBatch", Errno.ENOMEM);
            BpfSyscallException e = assertThrows(BpfSyscallException.class, () -> m.putAll(entries(3)));
            assertEquals(Errno.ENOMEM, e.errno());
            assertEquals(true, e.operation().startsWith("bpf_map_update_batch(test_lru)"), e.operation());
        }
    }
}
