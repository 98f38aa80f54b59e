package org.xmasq.bpf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.BinaryOperator;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.MapInfo;

/**
 * A typed per-CPU map (PERCPU_ARRAY, PERCPU_HASH, LRU_PERCPU_HASH): each key maps to one value per possible CPU,
 * as a list indexed by CPU. In the syscalls each CPU's value takes a slot rounded up to 8 bytes.
 */
public final class PerCpuMap<K, V> extends MapHandle<K, List<V>> {
    private final Codec<V> valueCodec;
    private final int cpus;
    private final int slot;

    private PerCpuMap(LibBpf lib, String name, int fd, boolean ownsFd, MapInfo info, Codec<K> keyCodec,
                      Codec<V> valueCodec, int cpus, Consumer<MapHandle<?, ?>> onClose) {
        super(lib, name, fd, ownsFd, info, keyCodec, Bytes.align8(valueCodec.size()) * cpus, onClose);
        this.valueCodec = valueCodec;
        this.cpus = cpus;
        this.slot = Bytes.align8(valueCodec.size());
    }

    static <K, V> PerCpuMap<K, V> of(LibBpf lib, String name, int fd, boolean ownsFd, MapInfo info,
                                     Codec<K> keyCodec, Codec<V> valueCodec, Consumer<MapHandle<?, ?>> onClose) {
        check(name, info, keyCodec, valueCodec, true);
        int cpus = BpfException.check(lib.possibleCpus(), "libbpf_num_possible_cpus");
        return new PerCpuMap<>(lib, name, fd, ownsFd, info, keyCodec, valueCodec, cpus, onClose);
    }

    /** Adopts the per-CPU map pinned at {@code pin}, through {@link LibBpfs#get()}. */
    public static <K, V> PerCpuMap<K, V> open(Path pin, Codec<K> keyCodec, Codec<V> valueCodec) {
        return open(LibBpfs.get(), pin, keyCodec, valueCodec);
    }

    public static <K, V> PerCpuMap<K, V> open(LibBpf lib, Path pin, Codec<K> keyCodec, Codec<V> valueCodec) {
        Objects.requireNonNull(pin, "pin");
        int fd = BpfException.check(lib.objGet(BpfFs.pathString(pin)), "bpf_obj_get(" + pin + ")");
        try {
            MapInfo info = lib.mapInfo(fd);
            return of(lib, info.name(), fd, true, info, keyCodec, valueCodec, null);
        } catch (RuntimeException e) {
            lib.close(fd);
            throw e;
        }
    }

    /** Number of values per key (libbpf_num_possible_cpus). */
    public int possibleCpus() {
        return cpus;
    }

    public Codec<V> valueCodec() {
        return valueCodec;
    }

    /** Stores {@code value} for every CPU. */
    public void putOnAllCpus(K key, V value) {
        put(key, Collections.nCopies(cpus, Objects.requireNonNull(value, "value")));
    }

    /** The per-CPU values of {@code key} combined with {@code sum} (for example {@code Long::sum}), or empty. */
    public java.util.Optional<V> lookupCombined(K key, BinaryOperator<V> sum) {
        Objects.requireNonNull(sum, "sum");
        return lookup(key).map(values -> values.stream().reduce(sum).orElseThrow());
    }

    @Override
    void encodeValue(List<V> values, ByteBuffer buf, int offset) {
        if (values.size() != cpus) {
            throw new IllegalArgumentException("map " + name() + " needs one value per possible CPU: " + cpus
                    + ", got " + values.size());
        }
        for (int i = 0; i < cpus; i++) {
            valueCodec.encode(Objects.requireNonNull(values.get(i), "value"), buf, offset + i * slot);
        }
    }

    @Override
    List<V> decodeValue(ByteBuffer buf, int offset) {
        List<V> out = new ArrayList<>(cpus);
        for (int i = 0; i < cpus; i++) {
            out.add(valueCodec.decode(buf, offset + i * slot));
        }
        return Collections.unmodifiableList(out);
    }
}
