package org.xmasq;

import org.xmasq.datapath.MapSizes;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.Codec;
import org.xmasq.bpf.Codecs;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.LibBpf;

/**
 * What identifies an instance, kept in a one-entry BPF array ("xmasq_meta") pinned at {@code <pin root>/meta} next to
 * the maps, so it lives and dies with them: the SDK's pin-layout version, the SHA-256 of the datapath object, its
 * configuration (.rodata) and the map sizes. Re-adoption compares it field by field.
 */
record InstanceRecord(int format, byte[] objectDigest, DatapathConfig config, MapSizes sizes) {
    /** Bump when the pin layout or the record changes. */
    static final int FORMAT = 1;
    static final int MAGIC = 0x584d5131; // "XMQ1"
    static final int VALUE_SIZE = 128;
    static final String MAP_NAME = "xmasq_meta";
    static final Codec<Integer> KEY = Codecs.u32();
    static final Codec<byte[]> VALUE = Codecs.bytes(VALUE_SIZE);
    private static final int BPF_MAP_TYPE_ARRAY = 2;

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(VALUE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(format).put(objectDigest).put(config.rodata());
        b.putInt(sizes.endpoints()).putInt(sizes.egressHosts()).putInt(sizes.egressHeaders())
                .putInt(sizes.filterCache()).putInt(sizes.hostDevices());
        return b.array();
    }

    /** Decodes a record; empty when the bytes are not one (no magic: an unwritten or foreign map). */
    static Optional<InstanceRecord> decode(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        if (v.length != VALUE_SIZE || b.getInt(0) != MAGIC) {
            return Optional.empty();
        }
        int format = b.getInt(4);
        byte[] digest = Arrays.copyOfRange(v, 8, 40);
        int rodataSize = DatapathConfig.RODATA.size();
        DatapathConfig config;
        try {
            config = DatapathConfig.RODATA.decode(ByteBuffer.wrap(v, 0, VALUE_SIZE).order(ByteOrder.nativeOrder()), 40);
        } catch (IllegalArgumentException e) {
            config = null;
        }
        int o = 40 + rodataSize;
        MapSizes sizes;
        try {
            sizes = new MapSizes(b.getInt(o), b.getInt(o + 4), b.getInt(o + 8), b.getInt(o + 12), b.getInt(o + 16));
        } catch (IllegalArgumentException e) {
            sizes = null;
        }
        return Optional.of(new InstanceRecord(format, digest, config, sizes));
    }

    /**
     * Whether this record is {@code wanted}, compared as encoded bytes: cheaper than {@link #equals} in a short-lived
     * JVM (the records' generated equals are linked on first use), and the encoding holds every field.
     */
    boolean sameAs(InstanceRecord wanted) {
        return format == wanted.format && config != null && sizes != null && wanted.config != null
                && wanted.sizes != null && Arrays.equals(encode(), wanted.encode());
    }

    /** What differs from {@code wanted}, one readable line each ("what: pinned X, wanted Y"). */
    List<String> differencesFrom(InstanceRecord wanted) {
        List<String> d = new ArrayList<>();
        if (format != wanted.format) {
            d.add("pin layout version: pinned " + format + ", this SDK " + wanted.format);
            return d;
        }
        if (!Arrays.equals(objectDigest, wanted.objectDigest)) {
            d.add("datapath object sha256: pinned " + HexFormat.of().formatHex(objectDigest, 0, 8) + "..., this SDK "
                    + HexFormat.of().formatHex(wanted.objectDigest, 0, 8) + "...");
        }
        compare(d, "config", DatapathConfig.class, config, wanted.config);
        compare(d, "map size", MapSizes.class, sizes, wanted.sizes);
        return d;
    }

    private static <R extends Record> void compare(List<String> d, String what, Class<R> type, R pinned, R wanted) {
        if (pinned == null) {
            d.add(what + ": pinned record unreadable, wanted " + wanted);
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            try {
                Object p = c.getAccessor().invoke(pinned);
                Object w = c.getAccessor().invoke(wanted);
                if (!p.equals(w)) {
                    d.add(what + " " + c.getName() + ": pinned " + show(c.getName(), p) + ", wanted " + show(c.getName(), w));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String show(String field, Object o) {
        return field.startsWith("mark") && o instanceof Integer i ? "0x" + Integer.toHexString(i) : String.valueOf(o);
    }

    /** Reads the record pinned at {@code pin}; empty when nothing is pinned there. */
    static Optional<InstanceRecord> read(LibBpf lib, Path pin, List<String> problems) {
        if (!lib.bpfFs().exists(pin)) {
            return Optional.empty();
        }
        try (BpfMap<Integer, byte[]> m = BpfMap.open(lib, pin, KEY, VALUE)) {
            Optional<InstanceRecord> r = m.lookup(0).flatMap(InstanceRecord::decode);
            if (r.isEmpty()) {
                problems.add("instance record at " + pin + ": not written by XMasq");
            }
            return r;
        } catch (BpfException e) {
            problems.add("instance record at " + pin + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Creates the record's map, writes it and pins it at {@code pin}. */
    void create(LibBpf lib, Path pin) {
        int fd = BpfException.check(lib.mapCreate(BPF_MAP_TYPE_ARRAY, MAP_NAME, 4, VALUE_SIZE, 1, 0),
                "bpf_map_create(" + MAP_NAME + ")");
        try {
            lib.bpfFs().createParent(pin);
            BpfException.check(lib.objPin(fd, BpfFs.pathString(pin)), "bpf_obj_pin(" + MAP_NAME + ", " + pin + ")");
        } finally {
            lib.close(fd);
        }
        try (BpfMap<Integer, byte[]> m = BpfMap.open(lib, pin, KEY, VALUE)) {
            m.put(0, encode());
        } catch (RuntimeException e) {
            lib.bpfFs().unlink(pin);
            throw e;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceRecord r && format == r.format && Arrays.equals(objectDigest, r.objectDigest)
                && java.util.Objects.equals(config, r.config) && java.util.Objects.equals(sizes, r.sizes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(objectDigest) * 31 + format;
    }

    @Override
    public String toString() {
        return "InstanceRecord[format " + format + ", object " + HexFormat.of().formatHex(objectDigest, 0, 8) + "..., "
                + config + ", " + sizes + "]";
    }
}
