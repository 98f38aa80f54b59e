package org.xmasq.bpf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.MapInfo;

/**
 * A typed map with one value per key (hash, LRU hash, array, ...). Get one from {@link BpfObject#map} or adopt a
 * pinned map with {@link #open(Path, Codec, Codec)}. The codecs' sizes and the map kind are checked here, when the
 * handle is made, never on first use.
 */
public final class BpfMap<K, V> extends MapHandle<K, V> {
    private final Codec<V> valueCodec;

    private BpfMap(LibBpf lib, String name, int fd, boolean ownsFd, MapInfo info, Codec<K> keyCodec,
                   Codec<V> valueCodec, Consumer<MapHandle<?, ?>> onClose) {
        super(lib, name, fd, ownsFd, info, keyCodec, valueCodec.size(), onClose);
        this.valueCodec = valueCodec;
    }

    static <K, V> BpfMap<K, V> of(LibBpf lib, String name, int fd, boolean ownsFd, MapInfo info, Codec<K> keyCodec,
                                  Codec<V> valueCodec, Consumer<MapHandle<?, ?>> onClose) {
        check(name, info, keyCodec, valueCodec, false);
        return new BpfMap<>(lib, name, fd, ownsFd, info, keyCodec, valueCodec, onClose);
    }

    /** Adopts the map pinned at {@code pin} (no object needed), through {@link LibBpfs#get()}. */
    public static <K, V> BpfMap<K, V> open(Path pin, Codec<K> keyCodec, Codec<V> valueCodec) {
        return open(LibBpfs.get(), pin, keyCodec, valueCodec);
    }

    /** Adopts the map pinned at {@code pin}; the handle owns its own fd. */
    public static <K, V> BpfMap<K, V> open(LibBpf lib, Path pin, Codec<K> keyCodec, Codec<V> valueCodec) {
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

    public Codec<V> valueCodec() {
        return valueCodec;
    }

    @Override
    void encodeValue(V value, ByteBuffer buf, int offset) {
        valueCodec.encode(value, buf, offset);
    }

    @Override
    V decodeValue(ByteBuffer buf, int offset) {
        return valueCodec.decode(buf, offset);
    }
}
