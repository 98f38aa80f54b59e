package org.xmasq.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.IncompatibleMapException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.MapInfo;

/**
 * A typed handle on one kernel map: what {@link BpfMap} and {@link PerCpuMap} share. {@code V} is what one key maps
 * to in Java (a value, or a list of per-CPU values).
 *
 * <p>Single-key operations allocate nothing beyond the key and value objects: each thread has its own direct
 * scratch buffer per handle, whose native address is taken once. A handle is safe to use from many threads;
 * closing it while another thread is in a call is the caller's race. Missing keys are {@code Optional.empty()} /
 * {@code false}; every other errno throws a {@link BpfException} naming the map.
 */
public abstract sealed class MapHandle<K, V> implements AutoCloseable permits BpfMap, PerCpuMap {
    private static final Logger LOG = LoggerFactory.getLogger(MapHandle.class);
    static final long BPF_ANY = 0;
    static final long BPF_NOEXIST = 1;
    static final long BPF_EXIST = 2;
    private static final int BATCH_CHUNK = 1024;
    private static final int LOOKUP_BATCH_CHUNK = 256;

    private final LibBpf lib;
    private final String name;
    private final int fd;
    private final boolean ownsFd;
    private final MapType type;
    private final int id;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final Codec<K> keyCodec;
    /** Bytes of one value as the syscalls move it (per-CPU: every CPU's slot). */
    private final int valueBytes;
    private final int valueOffset;
    private final ThreadLocal<Scratch> scratch;
    private final Consumer<MapHandle<?, ?>> onClose;
    private volatile boolean closed;
    private final LeakWatch.Token leak;
    private volatile boolean lookupBatchUnsupported;
    private volatile boolean updateBatchUnsupported;
    private volatile boolean deleteBatchUnsupported;

    /** One thread's buffer: key at 0, value at {@link #valueOffset}. */
    private static final class Scratch {
        final ByteBuffer buf;
        final long address;

        Scratch(LibBpf lib, int size) {
            this.buf = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            this.address = lib.address(buf);
        }
    }

    MapHandle(LibBpf lib, String name, int fd, boolean ownsFd, MapInfo info, Codec<K> keyCodec, int valueBytes,
              Consumer<MapHandle<?, ?>> onClose) {
        this.lib = lib;
        this.name = name;
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.type = MapType.of(info.type());
        this.id = info.id();
        this.keySize = info.keySize();
        this.valueSize = info.valueSize();
        this.maxEntries = info.maxEntries();
        this.keyCodec = keyCodec;
        this.valueBytes = valueBytes;
        this.valueOffset = Bytes.align8(keySize);
        int scratchSize = valueOffset + valueBytes;
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(lib, scratchSize));
        this.onClose = onClose;
        this.leak = ownsFd ? LeakWatch.watch(this, "adopted map " + name + " (fd " + fd + ")") : null;
    }

    /** Mismatches between a map and the codecs/kind a caller wants, as readable lines (empty when compatible). */
    static List<String> shapeDifferences(String mapName, MapInfo info, Codec<?> key, Codec<?> value, boolean perCpu) {
        List<String> diffs = new ArrayList<>();
        MapType t = MapType.of(info.type());
        if (perCpu && !t.isPerCpu()) {
            diffs.add("map type: map " + mapName + " is " + MapType.describe(info.type())
                    + " (one value per key): open it with map(), not perCpuMap()");
        } else if (!perCpu && t.isPerCpu()) {
            diffs.add("map type: map " + mapName + " is " + t + " (one value per CPU): open it with perCpuMap()");
        }
        if (key.size() != info.keySize()) {
            diffs.add("key size: codec " + key.name() + " writes " + key.size() + " bytes, map " + mapName + " has "
                    + info.keySize());
        }
        if (value.size() != info.valueSize()) {
            diffs.add("value size: codec " + value.name() + " writes " + value.size() + " bytes, map " + mapName
                    + " has " + info.valueSize());
        }
        return diffs;
    }

    static void check(String mapName, MapInfo info, Codec<?> key, Codec<?> value, boolean perCpu) {
        Objects.requireNonNull(key, "keyCodec");
        Objects.requireNonNull(value, "valueCodec");
        List<String> diffs = shapeDifferences(mapName, info, key, value, perCpu);
        if (!diffs.isEmpty()) {
            throw new IncompatibleMapException("open map " + mapName, diffs);
        }
    }

    abstract void encodeValue(V value, ByteBuffer buf, int offset);

    abstract V decodeValue(ByteBuffer buf, int offset);

    // ------------------------------------------------------------------ properties

    /** The map's name (libbpf's for object maps, the kernel's, at most 15 characters, for adopted pins). */
    public String name() {
        return name;
    }

    public int fd() {
        ensureOpen("fd");
        return fd;
    }

    public MapType type() {
        return type;
    }

    /** The kernel's map id. */
    public int id() {
        return id;
    }

    public int keySize() {
        return keySize;
    }

    /** The value size the map was created with (one CPU's slot for per-CPU maps). */
    public int valueSize() {
        return valueSize;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public boolean isClosed() {
        return closed;
    }

    LibBpf lib() {
        return lib;
    }

    // ------------------------------------------------------------------ single keys (hot path)

    private String op(String syscall) {
        return syscall + "(" + name + ")";
    }

    /** Throws for a negative {@code rc}; the operation text is only built then (no allocation on success). */
    private void check(int rc, String syscall) {
        if (rc < 0) {
            throw BpfException.of(op(syscall), rc);
        }
    }

    private void ensureOpen(String syscall) {
        if (closed) {
            throw new ClosedResourceException(op(syscall), 0, "map " + name + " is closed");
        }
    }

    private Scratch keyed(K key, String syscall) {
        Objects.requireNonNull(key, "key");
        ensureOpen(syscall);
        Scratch s = scratch.get();
        Bytes.zero(s.buf, 0, keySize);
        keyCodec.encode(key, s.buf, 0);
        return s;
    }

    private Scratch keyedWithValue(K key, V value, String syscall) {
        Objects.requireNonNull(value, "value");
        Scratch s = keyed(key, syscall);
        Bytes.zero(s.buf, valueOffset, valueBytes);
        encodeValue(value, s.buf, valueOffset);
        return s;
    }

    /** The value stored under {@code key}, or empty when there is none. */
    public Optional<V> lookup(K key) {
        Scratch s = keyed(key, "bpf_map_lookup_elem");
        int rc = lib.mapLookup(fd, s.address, s.address + valueOffset);
        if (rc == -Errno.ENOENT) {
            return Optional.empty();
        }
        check(rc, "bpf_map_lookup_elem");
        return Optional.of(decodeValue(s.buf, valueOffset));
    }

    /** Inserts or overwrites (BPF_ANY). */
    public void put(K key, V value) {
        Scratch s = keyedWithValue(key, value, "bpf_map_update_elem");
        check(lib.mapUpdate(fd, s.address, s.address + valueOffset, BPF_ANY), "bpf_map_update_elem");
    }

    /** Inserts only when {@code key} is absent (BPF_NOEXIST). @return false when it was already there */
    public boolean putIfAbsent(K key, V value) {
        Scratch s = keyedWithValue(key, value, "bpf_map_update_elem");
        int rc = lib.mapUpdate(fd, s.address, s.address + valueOffset, BPF_NOEXIST);
        if (rc == -Errno.EEXIST) {
            return false;
        }
        check(rc, "bpf_map_update_elem");
        return true;
    }

    /** Overwrites only when {@code key} is present (BPF_EXIST). @return false when it was absent */
    public boolean replace(K key, V value) {
        Scratch s = keyedWithValue(key, value, "bpf_map_update_elem");
        int rc = lib.mapUpdate(fd, s.address, s.address + valueOffset, BPF_EXIST);
        if (rc == -Errno.ENOENT) {
            return false;
        }
        check(rc, "bpf_map_update_elem");
        return true;
    }

    /** @return false only when {@code key} was absent (array maps cannot delete: that throws) */
    public boolean delete(K key) {
        Scratch s = keyed(key, "bpf_map_delete_elem");
        int rc = lib.mapDelete(fd, s.address);
        if (rc == -Errno.ENOENT) {
            return false;
        }
        check(rc, "bpf_map_delete_elem");
        return true;
    }

    /** Removes {@code key} and returns what it held, atomically (hash maps, kernel 5.14+). */
    public Optional<V> lookupAndDelete(K key) {
        Scratch s = keyed(key, "bpf_map_lookup_and_delete_elem");
        int rc = lib.mapLookupAndDelete(fd, s.address, s.address + valueOffset);
        if (rc == -Errno.ENOENT) {
            return Optional.empty();
        }
        check(rc, "bpf_map_lookup_and_delete_elem");
        return Optional.of(decodeValue(s.buf, valueOffset));
    }

    // ------------------------------------------------------------------ iteration

    private interface RawVisitor {
        void visit(ByteBuffer buf, int keyOffset, int valueOffset);
    }

    /**
     * Walks the keys with get-next-key, visiting each distinct key at most once and at most max_entries keys.
     * When the key the walk stands on is deleted meanwhile, the kernel restarts at the first key; keys seen before
     * are then skipped. The number of steps is bounded too, so a map under heavy churn cannot keep the walk going
     * forever (it may then miss keys that arrived meanwhile, as any walk of a changing map may).
     */
    private int walk(boolean withValues, RawVisitor visitor) {
        ensureOpen("bpf_map_get_next_key");
        int ks = Bytes.align8(keySize);
        ByteBuffer b = ByteBuffer.allocateDirect(2 * ks + (withValues ? valueBytes : 0)).order(ByteOrder.nativeOrder());
        long a = lib.address(b);
        int cur = 0;
        int next = ks;
        int val = 2 * ks;
        Set<ByteBuffer> seen = new HashSet<>();
        long budget = 4L * maxEntries + 4;
        boolean first = true;
        int visited = 0;
        while (visited < maxEntries && budget-- > 0) {
            ensureOpen("bpf_map_get_next_key");
            int rc = lib.mapGetNextKey(fd, first ? 0 : a + cur, a + next);
            if (rc == -Errno.ENOENT) {
                break;
            }
            check(rc, "bpf_map_get_next_key");
            first = false;
            int t = cur;
            cur = next;
            next = t;
            byte[] k = new byte[keySize];
            b.get(cur, k, 0, keySize);
            if (!seen.add(ByteBuffer.wrap(k))) {
                continue;
            }
            if (withValues) {
                rc = lib.mapLookup(fd, a + cur, a + val);
                if (rc == -Errno.ENOENT) {
                    continue;
                }
                check(rc, "bpf_map_lookup_elem");
            }
            visited++;
            visitor.visit(b, cur, val);
        }
        return visited;
    }

    /** Every key (at most max_entries), in the kernel's order. */
    public List<K> keys() {
        List<K> out = new ArrayList<>();
        walk(false, (b, k, v) -> out.add(keyCodec.decode(b, k)));
        return out;
    }

    /** Every entry (at most max_entries) by walking the keys; see {@link #lookupAll} for the batch version. */
    public Map<K, V> entries() {
        Map<K, V> out = new LinkedHashMap<>();
        walk(true, (b, k, v) -> out.put(keyCodec.decode(b, k), decodeValue(b, v)));
        return out;
    }

    /**
     * Calls {@code action} for every entry (at most max_entries). The action may delete entries, the current one
     * included; every remaining key is still visited once.
     */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        walk(true, (b, k, v) -> action.accept(keyCodec.decode(b, k), decodeValue(b, v)));
    }

    /** Number of keys, by walking them (array maps: max_entries). */
    public int size() {
        return walk(false, (b, k, v) -> { });
    }

    /** Deletes every entry (array maps: sets every value to zeros). */
    public void clear() {
        ensureOpen("clear");
        if (type.isArray()) {
            ByteBuffer b = ByteBuffer.allocateDirect(valueOffset + valueBytes).order(ByteOrder.nativeOrder());
            long a = lib.address(b);
            for (int i = 0; i < maxEntries; i++) {
                Bytes.putIntNative(b, 0, i);
                check(lib.mapUpdate(fd, a, a + valueOffset, BPF_ANY), "bpf_map_update_elem");
            }
            return;
        }
        List<byte[]> raw = new ArrayList<>();
        walk(false, (b, k, v) -> {
            byte[] key = new byte[keySize];
            b.get(k, key, 0, keySize);
            raw.add(key);
        });
        if (raw.isEmpty()) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(8 + raw.size() * keySize).order(ByteOrder.nativeOrder());
        for (int i = 0; i < raw.size(); i++) {
            b.put(8 + i * keySize, raw.get(i), 0, keySize);
        }
        deleteRaw(b, lib.address(b), 8, raw.size());
    }

    // ------------------------------------------------------------------ batches

    private static boolean unsupported(int rc) {
        return rc == -Errno.EINVAL || rc == -Errno.ENOTSUPP || rc == -Errno.EOPNOTSUPP;
    }

    /**
     * Every entry (at most max_entries) through BPF_MAP_LOOKUP_BATCH; when the kernel or the map type does not
     * support batches, through {@link #entries()} (remembered for this handle).
     */
    public Map<K, V> lookupAll() {
        ensureOpen("bpf_map_lookup_batch");
        if (!lookupBatchUnsupported) {
            Map<K, V> out = lookupBatch();
            if (out != null) {
                return out;
            }
            lookupBatchUnsupported = true;
            LOG.debug("map {}: no lookup batch, walking keys instead", name);
        }
        return entries();
    }

    private Map<K, V> lookupBatch() {
        Map<K, V> out = new LinkedHashMap<>();
        int chunk = Math.max(1, Math.min(maxEntries, LOOKUP_BATCH_CHUNK));
        int cursor = Math.max(8, Bytes.align8(keySize));
        int inOff = 8;
        int outOff = 8 + cursor;
        int keysOff = 0;
        int valsOff = 0;
        ByteBuffer b = null;
        long a = 0;
        boolean first = true;
        while (out.size() < maxEntries) {
            if (b == null || valsOff + (long) chunk * valueBytes > b.capacity()) {
                keysOff = 8 + 2 * cursor;
                valsOff = keysOff + Bytes.align8(chunk * keySize);
                ByteBuffer grown = ByteBuffer.allocateDirect(valsOff + chunk * valueBytes).order(ByteOrder.nativeOrder());
                if (b != null) {
                    grown.put(inOff, b, inOff, cursor);
                }
                b = grown;
                a = lib.address(b);
            }
            Bytes.putIntNative(b, 0, chunk);
            ensureOpen("bpf_map_lookup_batch");
            int rc = lib.mapLookupBatch(fd, first ? 0 : a + inOff, a + outOff, a + keysOff, a + valsOff, a, 0, 0);
            if (rc < 0 && rc != -Errno.ENOENT) {
                if (rc == -Errno.ENOSPC && chunk < maxEntries) {
                    chunk = Math.min(maxEntries, chunk * 2);
                    continue;
                }
                if (first && unsupported(rc)) {
                    return null;
                }
                throw BpfException.of(op("bpf_map_lookup_batch"), rc);
            }
            int n = Bytes.getIntNative(b, 0);
            for (int i = 0; i < n && out.size() < maxEntries; i++) {
                out.put(keyCodec.decode(b, keysOff + i * keySize), decodeValue(b, valsOff + i * valueBytes));
            }
            if (rc == -Errno.ENOENT || n == 0) {
                break;
            }
            b.put(inOff, b, outOff, cursor);
            first = false;
        }
        return out;
    }

    /** Inserts or overwrites every entry (BPF_ANY) through BPF_MAP_UPDATE_BATCH, or one by one where unsupported. */
    public void putAll(Map<? extends K, ? extends V> entries) {
        Objects.requireNonNull(entries, "entries");
        ensureOpen("bpf_map_update_batch");
        List<Map.Entry<? extends K, ? extends V>> list = new ArrayList<>(entries.entrySet());
        int done = 0;
        if (!updateBatchUnsupported && !list.isEmpty()) {
            int chunk = Math.min(list.size(), BATCH_CHUNK);
            int keysOff = 8;
            int valsOff = keysOff + Bytes.align8(chunk * keySize);
            ByteBuffer b = ByteBuffer.allocateDirect(valsOff + chunk * valueBytes).order(ByteOrder.nativeOrder());
            long a = lib.address(b);
            while (done < list.size()) {
                int n = Math.min(chunk, list.size() - done);
                Bytes.zero(b, 0, b.capacity());
                for (int i = 0; i < n; i++) {
                    Map.Entry<? extends K, ? extends V> e = list.get(done + i);
                    keyCodec.encode(Objects.requireNonNull(e.getKey(), "key"), b, keysOff + i * keySize);
                    encodeValue(Objects.requireNonNull(e.getValue(), "value"), b, valsOff + i * valueBytes);
                }
                Bytes.putIntNative(b, 0, n);
                ensureOpen("bpf_map_update_batch");
                int rc = lib.mapUpdateBatch(fd, a + keysOff, a + valsOff, a, BPF_ANY, 0);
                if (rc == 0) {
                    done += n;
                    continue;
                }
                if (unsupported(rc)) {
                    updateBatchUnsupported = true;
                    LOG.debug("map {}: no update batch ({}), updating one by one", name, Errno.describe(-rc));
                    break;
                }
                throw BpfException.of(op("bpf_map_update_batch") + " after " + Bytes.getIntNative(b, 0) + " of "
                        + n + " entries", rc);
            }
        }
        for (int i = done; i < list.size(); i++) {
            put(list.get(i).getKey(), list.get(i).getValue());
        }
    }

    /**
     * Deletes every key present through BPF_MAP_DELETE_BATCH (one by one where unsupported); absent keys are skipped.
     * @return how many keys were deleted
     */
    public int deleteAll(Collection<? extends K> keys) {
        Objects.requireNonNull(keys, "keys");
        ensureOpen("bpf_map_delete_batch");
        if (keys.isEmpty()) {
            return 0;
        }
        List<? extends K> list = new ArrayList<>(keys);
        ByteBuffer b = ByteBuffer.allocateDirect(8 + list.size() * keySize).order(ByteOrder.nativeOrder());
        for (int i = 0; i < list.size(); i++) {
            keyCodec.encode(Objects.requireNonNull(list.get(i), "key"), b, 8 + i * keySize);
        }
        return deleteRaw(b, lib.address(b), 8, list.size());
    }

    /** Deletes {@code n} encoded keys at {@code keysOff}; the u32 count lives at offset 0 of {@code b}. */
    private int deleteRaw(ByteBuffer b, long a, int keysOff, int n) {
        int deleted = 0;
        int pos = 0;
        if (!deleteBatchUnsupported) {
            while (pos < n) {
                int want = Math.min(n - pos, BATCH_CHUNK);
                Bytes.putIntNative(b, 0, want);
                ensureOpen("bpf_map_delete_batch");
                int rc = lib.mapDeleteBatch(fd, a + keysOff + (long) pos * keySize, a, 0, 0);
                if (rc == 0) {
                    deleted += want;
                    pos += want;
                    continue;
                }
                int processed = Bytes.getIntNative(b, 0);
                if (rc == -Errno.ENOENT && processed < want) {
                    // the batch stops at the first absent key: count what went, skip that key, go on
                    deleted += processed;
                    pos += processed + 1;
                    continue;
                }
                if (unsupported(rc)) {
                    deleteBatchUnsupported = true;
                    LOG.debug("map {}: no delete batch ({}), deleting one by one", name, Errno.describe(-rc));
                    break;
                }
                throw BpfException.of(op("bpf_map_delete_batch"), rc);
            }
        }
        for (; pos < n; pos++) {
            ensureOpen("bpf_map_delete_elem");
            int rc = lib.mapDelete(fd, a + keysOff + (long) pos * keySize);
            if (rc == 0) {
                deleted++;
            } else if (rc != -Errno.ENOENT) {
                throw BpfException.of(op("bpf_map_delete_elem"), rc);
            }
        }
        return deleted;
    }

    // ------------------------------------------------------------------ lifecycle

    /** Releases the handle (and its fd when it owns one: adopted pins). The kernel map lives on while pinned. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (ownsFd) {
            leak.closed = true;
            lib.close(fd);
        }
        if (onClose != null) {
            onClose.accept(this);
        }
    }

    /** Marks the handle closed because its object was closed (the object closes the fd). */
    void invalidate() {
        closed = true;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", " + type + ", key " + keySize + " B, value " + valueSize
                + " B, max " + maxEntries + (closed ? ", closed" : "") + "]";
    }
}
