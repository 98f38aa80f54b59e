package org.xmasq.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/**
 * Map update / lookup through a {@link LibBpf} backend, one call at a time and in batches.
 *
 * <p>The C program {@code src/main/c/mapbench.c} makes the same libbpf calls on the same map shape and keys;
 * {@code bin/bench-maps} runs both and prints the ratios. Keep the two in step: a change to what one measures
 * must be made in the other.
 *
 * <p>Map: HASH, key 8 bytes, value 64 bytes, 65536 entries, pre-filled with the keys 0..4095. All native memory
 * is a direct buffer per thread whose address is taken once in setup, as the SDK's hot path does.
 *
 * <p>Besides JMH's wall-clock ns/op, each benchmark reports the thread's CPU time per element and the C program's
 * figures for the same operation timed right after each iteration ({@link IterationMeasures}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MapOpsBenchmark {
    static final int BPF_MAP_TYPE_HASH = 1;
    static final int KEY_SIZE = 8;
    static final int VALUE_SIZE = 64;
    static final int MAX_ENTRIES = 65536;
    static final int N_KEYS = 4096;
    static final int BATCH = 256;
    static final long BPF_ANY = 0;

    @Param({"ffm", "jna"})
    public String backend;

    private LibBpf lib;
    private int fd = -1;

    // The buffers are fields so that they stay reachable while their addresses are in use.
    private ByteBuffer keys;
    private ByteBuffer value;
    private ByteBuffer outValue;
    private ByteBuffer values;
    private ByteBuffer outKeys;
    private ByteBuffer outValues;
    private ByteBuffer count;
    private ByteBuffer inBatch;
    private ByteBuffer outBatch;

    private long keysAddr;
    private long valueAddr;
    private long outValueAddr;
    private long valuesAddr;
    private long outKeysAddr;
    private long outValuesAddr;
    private long countAddr;
    private long inBatchAddr;
    private long outBatchAddr;

    private long next;

    @Setup(Level.Trial)
    public void setUp() {
        lib = LibBpfs.load(backend);
        keys = direct(N_KEYS * KEY_SIZE);
        for (int k = 0; k < N_KEYS; k++) {
            keys.putLong(k * KEY_SIZE, k);
        }
        value = direct(VALUE_SIZE);
        for (int b = 0; b < VALUE_SIZE; b++) {
            value.put(b, (byte) 0x5a);
        }
        outValue = direct(VALUE_SIZE);
        values = direct(BATCH * VALUE_SIZE);
        for (int b = 0; b < BATCH * VALUE_SIZE; b++) {
            values.put(b, (byte) b);
        }
        outKeys = direct(BATCH * KEY_SIZE);
        outValues = direct(BATCH * VALUE_SIZE);
        count = direct(4);
        inBatch = direct(KEY_SIZE);
        outBatch = direct(KEY_SIZE);

        keysAddr = lib.address(keys);
        valueAddr = lib.address(value);
        outValueAddr = lib.address(outValue);
        valuesAddr = lib.address(values);
        outKeysAddr = lib.address(outKeys);
        outValuesAddr = lib.address(outValues);
        countAddr = lib.address(count);
        inBatchAddr = lib.address(inBatch);
        outBatchAddr = lib.address(outBatch);

        fd = lib.mapCreate(BPF_MAP_TYPE_HASH, "xmq_bench_j", KEY_SIZE, VALUE_SIZE, MAX_ENTRIES, 0);
        check("mapCreate", fd);
        for (int s = 0; s < N_KEYS / BATCH; s++) {
            batchUpdateSlice(s);
        }
        if (sweep() != N_KEYS) {
            throw new IllegalStateException("the pre-filled map does not hold " + N_KEYS + " entries");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (lib != null) {
            lib.close(fd);
        }
    }

    /** bpf_map_update_elem(BPF_ANY) of one existing key, cycling through the 4096 keys. */
    @Benchmark
    public int singleUpdate(IterationMeasures measures) {
        measures.elements++;
        int rc = lib.mapUpdate(fd, keysAddr + ((next++ & (N_KEYS - 1)) << 3), valueAddr, BPF_ANY);
        if (rc != 0) {
            fail("mapUpdate", rc);
        }
        return rc;
    }

    /** bpf_map_lookup_elem of one existing key, cycling through the 4096 keys. */
    @Benchmark
    public byte singleLookup(IterationMeasures measures) {
        measures.elements++;
        int rc = lib.mapLookup(fd, keysAddr + ((next++ & (N_KEYS - 1)) << 3), outValueAddr);
        if (rc != 0) {
            fail("mapLookup", rc);
        }
        return outValue.get(0);
    }

    /** bpf_map_update_batch of 256 existing keys, one of 16 consecutive slices; time per element. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchUpdate(IterationMeasures measures) {
        int n = batchUpdateSlice((int) (next++ % (N_KEYS / BATCH)));
        measures.elements += n;
        if (n != BATCH) {
            throw new IllegalStateException("update_batch processed " + n + " of " + BATCH + " elements");
        }
        return n;
    }

    /** A full sweep of the map with bpf_map_lookup_batch, 256 per call; time per element. */
    @Benchmark
    @OperationsPerInvocation(N_KEYS)
    public int batchLookup(IterationMeasures measures) {
        int total = sweep();
        measures.elements += total;
        if (total != N_KEYS) {
            throw new IllegalStateException("a lookup_batch sweep returned " + total + " entries, expected " + N_KEYS);
        }
        return total;
    }

    private int batchUpdateSlice(int slice) {
        count.putInt(0, BATCH);
        int rc = lib.mapUpdateBatch(fd, keysAddr + (long) slice * BATCH * KEY_SIZE, valuesAddr, countAddr, 0, 0);
        if (rc != 0) {
            fail("mapUpdateBatch", rc);
        }
        return count.getInt(0);
    }

    private int sweep() {
        int total = 0;
        long in = 0;
        while (true) {
            count.putInt(0, BATCH);
            int rc = lib.mapLookupBatch(fd, in, outBatchAddr, outKeysAddr, outValuesAddr, countAddr, 0, 0);
            if (rc != 0 && rc != -Errno.ENOENT) {
                fail("mapLookupBatch", rc);
            }
            total += count.getInt(0);
            if (rc == -Errno.ENOENT) {
                return total;
            }
            inBatch.putLong(0, outBatch.getLong(0));
            in = inBatchAddr;
        }
    }

    private static ByteBuffer direct(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    private static void check(String op, int rc) {
        if (rc < 0) {
            fail(op, rc);
        }
    }

    private static void fail(String op, int rc) {
        throw new IllegalStateException(op + " failed: " + Errno.describe(-rc));
    }
}
