package org.xmasq.libbpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmasq.libbpf.support.TestObjects;

/**
 * Batch update, lookup, lookup-and-delete and delete move many entries per call; the count is in/out, and a lookup
 * that reaches the end returns -ENOENT together with the entries it did return.
 */
class BatchOperationsMoveManyEntriesAndEndWithENOENT {
    private static final int N = 100;
    private final LibBpf lib = LibBpfs.get();
    private int fd;
    private final ByteBuffer keys = TestObjects.buffer(N * 4);
    private final ByteBuffer values = TestObjects.buffer(N * 8);
    private final ByteBuffer count = TestObjects.buffer(4);
    private final ByteBuffer cursor = TestObjects.buffer(4);
    private final ByteBuffer nextCursor = TestObjects.buffer(4);

    /** A plain hash (an LRU could evict while we fill it). */
    @BeforeEach
    void create() {
        fd = BpfException.check(lib.mapCreate(1, "xmt_batch", 4, 8, 256, 0), "bpf_map_create");
    }

    @AfterEach
    void close() {
        lib.close(fd);
    }

    private void fill(int n) {
        for (int i = 0; i < n; i++) {
            keys.putInt(i * 4, 1000 + i);
            values.putLong(i * 8, 7L * i);
        }
        count.putInt(0, n);
        assertEquals(0, lib.mapUpdateBatch(fd, lib.address(keys), lib.address(values), lib.address(count), 0, 0));
        assertEquals(n, count.getInt(0), "all entries written");
    }

    @Test
    void updateBatchWritesEveryEntry() {
        fill(N);
        ByteBuffer key = TestObjects.buffer(4).putInt(0, 1000 + 42);
        ByteBuffer value = TestObjects.buffer(8);
        assertEquals(0, lib.mapLookup(fd, lib.address(key), lib.address(value)));
        assertEquals(7L * 42, value.getLong(0));
    }

    @Test
    void lookupBatchPagesThroughAndTheLastPageSaysENOENTWithItsCount() {
        fill(N);
        Map<Integer, Long> seen = new HashMap<>();
        int page = 32;
        ByteBuffer pageKeys = TestObjects.buffer(page * 4);
        ByteBuffer pageValues = TestObjects.buffer(page * 8);
        long in = 0;
        int rc;
        int calls = 0;
        do {
            count.putInt(0, page);
            rc = lib.mapLookupBatch(fd, in, lib.address(nextCursor), lib.address(pageKeys), lib.address(pageValues),
                    lib.address(count), 0, 0);
            assertTrue(rc == 0 || rc == -Errno.ENOENT, "rc " + rc);
            for (int i = 0; i < count.getInt(0); i++) {
                seen.put(pageKeys.getInt(i * 4), pageValues.getLong(i * 8));
            }
            cursor.putInt(0, nextCursor.getInt(0));
            in = lib.address(cursor);
            calls++;
        } while (rc == 0 && calls < 20);
        assertEquals(-Errno.ENOENT, rc, "iteration ends with ENOENT");
        assertEquals(N, seen.size());
        for (int i = 0; i < N; i++) {
            assertEquals(7L * i, seen.get(1000 + i));
        }
    }

    @Test
    void aLookupBatchBiggerThanTheMapReturnsEverythingAndENOENT() {
        fill(10);
        count.putInt(0, N);
        int rc = lib.mapLookupBatch(fd, 0, lib.address(nextCursor), lib.address(keys), lib.address(values),
                lib.address(count), 0, 0);
        assertEquals(-Errno.ENOENT, rc);
        assertEquals(10, count.getInt(0), "the partial count comes with ENOENT");
    }

    @Test
    void lookupAndDeleteBatchEmptiesTheMap() {
        fill(N);
        count.putInt(0, N);
        int rc = lib.mapLookupAndDeleteBatch(fd, 0, lib.address(nextCursor), lib.address(keys), lib.address(values),
                lib.address(count), 0, 0);
        assertTrue(rc == 0 || rc == -Errno.ENOENT, "rc " + rc);
        assertEquals(N, count.getInt(0));
        assertEquals(-Errno.ENOENT, lib.mapGetNextKey(fd, 0, lib.address(cursor)), "map is empty");
    }

    @Test
    void deleteBatchRemovesTheGivenKeysOnly() {
        fill(N);
        count.putInt(0, N / 2);
        assertEquals(0, lib.mapDeleteBatch(fd, lib.address(keys), lib.address(count), 0, 0));
        assertEquals(N / 2, count.getInt(0));
        ByteBuffer value = TestObjects.buffer(8);
        ByteBuffer key = TestObjects.buffer(4).putInt(0, 1000);
        assertEquals(-Errno.ENOENT, lib.mapLookup(fd, lib.address(key), lib.address(value)));
        key.putInt(0, 1000 + N - 1);
        assertEquals(0, lib.mapLookup(fd, lib.address(key), lib.address(value)));
    }

    @Test
    void deleteBatchOfAMissingKeyStopsWithENOENTAndCountsWhatItDid() {
        fill(3);
        keys.putInt(3 * 4, 99);  // not in the map
        count.putInt(0, 4);
        assertEquals(-Errno.ENOENT, lib.mapDeleteBatch(fd, lib.address(keys), lib.address(count), 0, 0));
        assertEquals(3, count.getInt(0));
    }
}
