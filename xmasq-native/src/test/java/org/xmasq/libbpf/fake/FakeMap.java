package org.xmasq.libbpf.fake;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xmasq.libbpf.Errno;

/**
 * One kernel map of the fake. Values are kept as user space sees them: for per-CPU maps one slot per possible CPU,
 * each rounded up to 8 bytes. Hash maps keep insertion order, which is also their iteration order; a full LRU map
 * evicts its oldest entry.
 */
final class FakeMap {
    static final long BPF_ANY = 0;
    static final long BPF_NOEXIST = 1;
    static final long BPF_EXIST = 2;
    static final long BPF_F_LOCK = 4;

    /** A key compared by content. */
    record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return Arrays.toString(bytes);
        }
    }

    final int id;
    final String name;
    final int type;
    final int keySize;
    final int valueSize;
    final int maxEntries;
    final int flags;
    /** Bytes of one value as the syscalls move it. */
    final int stride;
    private final LinkedHashMap<Key, byte[]> hash;
    private final byte[][] array;

    FakeMap(int id, String name, int type, int keySize, int valueSize, int maxEntries, int flags, int cpus) {
        this.id = id;
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.stride = isPerCpu(type) ? ((valueSize + 7) / 8) * 8 * cpus : valueSize;
        if (isArray(type)) {
            this.array = new byte[maxEntries][stride];
            this.hash = null;
        } else {
            this.hash = new LinkedHashMap<>();
            this.array = null;
        }
    }

    static boolean isArray(int type) {
        return type == FakeLibBpf.MAP_ARRAY || type == FakeLibBpf.MAP_PERCPU_ARRAY;
    }

    static boolean isPerCpu(int type) {
        return type == FakeLibBpf.MAP_PERCPU_HASH || type == FakeLibBpf.MAP_PERCPU_ARRAY
                || type == FakeLibBpf.MAP_LRU_PERCPU_HASH;
    }

    static boolean isLru(int type) {
        return type == FakeLibBpf.MAP_LRU_HASH || type == FakeLibBpf.MAP_LRU_PERCPU_HASH;
    }

    static boolean supported(int type) {
        return isArray(type) || type == FakeLibBpf.MAP_HASH || type == FakeLibBpf.MAP_PERCPU_HASH || isLru(type);
    }

    /** Why a map with these parameters cannot be created (-errno), or 0. */
    static int validate(int type, int keySize, int valueSize, int maxEntries) {
        if (!supported(type) || keySize <= 0 || valueSize <= 0 || maxEntries <= 0) {
            return -Errno.EINVAL;
        }
        if (isArray(type) && keySize != 4) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    private int index(byte[] key) {
        return ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt(0);
    }

    private static byte[] indexKey(int i) {
        byte[] k = new byte[4];
        ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).putInt(0, i);
        return k;
    }

    int size() {
        return array != null ? maxEntries : hash.size();
    }

    /** @return the value (a copy), or null when absent */
    byte[] lookup(byte[] key) {
        if (array != null) {
            int i = index(key);
            return i >= 0 && i < maxEntries ? array[i].clone() : null;
        }
        byte[] v = hash.get(new Key(key));
        return v == null ? null : v.clone();
    }

    int update(byte[] key, byte[] value, long flags) {
        long mode = flags & ~BPF_F_LOCK;
        if (mode > BPF_EXIST || (flags & ~(BPF_F_LOCK | 3)) != 0) {
            return -Errno.EINVAL;
        }
        if (array != null) {
            int i = index(key);
            if (i < 0 || i >= maxEntries) {
                return -Errno.E2BIG;
            }
            if (mode == BPF_NOEXIST) {
                return -Errno.EEXIST;
            }
            array[i] = value.clone();
            return 0;
        }
        Key k = new Key(key.clone());
        boolean present = hash.containsKey(k);
        if (present && mode == BPF_NOEXIST) {
            return -Errno.EEXIST;
        }
        if (!present && mode == BPF_EXIST) {
            return -Errno.ENOENT;
        }
        if (!present && hash.size() >= maxEntries) {
            if (!isLru(type)) {
                return -Errno.E2BIG;
            }
            Iterator<Key> oldest = hash.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        hash.put(k, value.clone());
        return 0;
    }

    int delete(byte[] key) {
        if (array != null) {
            return -Errno.EINVAL;
        }
        return hash.remove(new Key(key)) == null ? -Errno.ENOENT : 0;
    }

    /** @return the key after {@code key} (the first one when {@code key} is null or absent), or null at the end */
    byte[] nextKey(byte[] key) {
        if (array != null) {
            if (maxEntries == 0) {
                return null;
            }
            if (key == null) {
                return indexKey(0);
            }
            int i = index(key);
            if (i < 0 || i >= maxEntries) {
                return indexKey(0);
            }
            return i == maxEntries - 1 ? null : indexKey(i + 1);
        }
        if (hash.isEmpty()) {
            return null;
        }
        Iterator<Key> it = hash.keySet().iterator();
        if (key == null || !hash.containsKey(new Key(key))) {
            return it.next().bytes().clone();
        }
        Key target = new Key(key);
        while (it.hasNext()) {
            if (it.next().equals(target)) {
                return it.hasNext() ? it.next().bytes().clone() : null;
            }
        }
        return null;
    }

    /** Entries from position {@code start} in iteration order, at most {@code max}. */
    List<Map.Entry<byte[], byte[]>> range(int start, int max) {
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
        if (array != null) {
            for (int i = start; i < maxEntries && out.size() < max; i++) {
                out.add(Map.entry(indexKey(i), array[i].clone()));
            }
            return out;
        }
        int pos = 0;
        for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
            if (pos++ < start) {
                continue;
            }
            if (out.size() >= max) {
                break;
            }
            out.add(Map.entry(e.getKey().bytes().clone(), e.getValue().clone()));
        }
        return out;
    }

    void writeInitial(byte[] value) {
        if (array != null && maxEntries > 0) {
            array[0] = Arrays.copyOf(value, stride);
        }
    }
}
