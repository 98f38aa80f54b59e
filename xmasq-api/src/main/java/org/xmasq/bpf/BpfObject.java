package org.xmasq.bpf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.MapInfo;

/**
 * A loaded BPF object: its maps and programs live in the kernel. Typed handles come from {@link #map},
 * {@link #perCpuMap} and {@link #program}. {@link #close()} releases, in this order, the TC attachments made from
 * its programs, the map handles, then the object (pinned maps and pinned links survive).
 */
public final class BpfObject implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfObject.class);

    private final LibBpf lib;
    private final String name;
    private final long handle;
    @SuppressWarnings("unused") // keeps the ELF image alive as long as libbpf may look at it
    private final ByteBuffer elf;
    private final Map<String, Long> maps;
    private final Map<String, Path> pins;
    private final Map<String, Long> programHandles = new LinkedHashMap<>();
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
    private final List<MapHandle<?, ?>> handles = new ArrayList<>();
    private final List<TcAttachment> attachments = new ArrayList<>();
    private boolean closed;
    private final LeakWatch.Token leak;

    BpfObject(LibBpf lib, String name, long handle, ByteBuffer elf, Map<String, Long> maps, List<String> programNames,
              Map<String, Path> pins) {
        this.lib = lib;
        this.name = name;
        this.handle = handle;
        this.elf = elf;
        this.maps = new LinkedHashMap<>(maps);
        this.pins = new LinkedHashMap<>(pins);
        for (long p = lib.objectNextProgram(handle, 0); p != 0; p = lib.objectNextProgram(handle, p)) {
            programHandles.put(lib.programName(p), p);
        }
        this.leak = LeakWatch.watch(this, "BPF object " + name);
    }

    public String name() {
        return name;
    }

    public LibBpf lib() {
        return lib;
    }

    /** The maps as loaded (with their pin paths). */
    public synchronized List<MapSpec> maps() {
        ensureOpen("maps");
        List<MapSpec> out = new ArrayList<>();
        maps.forEach((n, m) -> out.add(new MapSpec(n, MapType.of(lib.mapType(m)), lib.mapKeySize(m),
                lib.mapValueSize(m), lib.mapMaxEntries(m), pins.get(n), BpfObjectSpec.isInternal(n))));
        return out;
    }

    public List<String> programNames() {
        return List.copyOf(programHandles.keySet());
    }

    private long mapHandle(String mapName) {
        Long m = maps.get(Objects.requireNonNull(mapName, "mapName"));
        if (m == null) {
            throw new IllegalArgumentException("object " + name + " has no map '" + mapName + "' (maps: "
                    + String.join(", ", maps.keySet()) + ")");
        }
        return m;
    }

    /** A typed handle on a map with one value per key; sizes and kind are checked now. */
    public synchronized <K, V> BpfMap<K, V> map(String mapName, Codec<K> keyCodec, Codec<V> valueCodec) {
        ensureOpen("map(" + mapName + ")");
        long m = mapHandle(mapName);
        int fd = BpfException.check(lib.mapFd(m), "bpf_map__fd(" + mapName + ")");
        MapInfo info = lib.mapInfo(fd);
        BpfMap<K, V> map = BpfMap.of(lib, mapName, fd, false, info, keyCodec, valueCodec, this::forget);
        handles.add(map);
        return map;
    }

    /** A typed handle on a per-CPU map (values as one list entry per possible CPU). */
    public synchronized <K, V> PerCpuMap<K, V> perCpuMap(String mapName, Codec<K> keyCodec, Codec<V> valueCodec) {
        ensureOpen("perCpuMap(" + mapName + ")");
        long m = mapHandle(mapName);
        int fd = BpfException.check(lib.mapFd(m), "bpf_map__fd(" + mapName + ")");
        MapInfo info = lib.mapInfo(fd);
        PerCpuMap<K, V> map = PerCpuMap.of(lib, mapName, fd, false, info, keyCodec, valueCodec, this::forget);
        handles.add(map);
        return map;
    }

    private synchronized void forget(MapHandle<?, ?> h) {
        handles.remove(h);
    }

    /** The program named {@code programName} (its C function name). */
    public synchronized BpfProgram program(String programName) {
        ensureOpen("program(" + programName + ")");
        BpfProgram p = programs.get(programName);
        if (p != null) {
            return p;
        }
        Long h = programHandles.get(Objects.requireNonNull(programName, "programName"));
        if (h == null) {
            throw new IllegalArgumentException("object " + name + " has no program '" + programName + "' (programs: "
                    + String.join(", ", programHandles.keySet()) + ")");
        }
        int fd = BpfException.check(lib.programFd(h), "bpf_program__fd(" + programName + ")");
        p = new BpfProgram(lib, programName, lib.programSection(h), lib.programType(h), fd, this);
        programs.put(programName, p);
        return p;
    }

    synchronized void register(TcAttachment attachment) {
        ensureOpen("attach");
        attachments.add(attachment);
    }

    synchronized void unregister(TcAttachment attachment) {
        attachments.remove(attachment);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    void ensureOpen(String what) {
        if (isClosed()) {
            throw new ClosedResourceException(what, 0, "object " + name + " is closed");
        }
    }

    /** Closes attachments, then map handles, then the object. Idempotent. */
    @Override
    public void close() {
        List<TcAttachment> toDetach;
        List<MapHandle<?, ?>> toInvalidate;
        synchronized (this) {
            if (closed) {
                return;
            }
            toDetach = new ArrayList<>(attachments);
            toInvalidate = new ArrayList<>(handles);
        }
        RuntimeException first = null;
        for (int i = toDetach.size() - 1; i >= 0; i--) {
            try {
                toDetach.get(i).close();
            } catch (RuntimeException e) {
                LOG.warn("object {}: closing {} failed: {}", name, toDetach.get(i), e.toString());
                if (first == null) {
                    first = e;
                }
            }
        }
        synchronized (this) {
            closed = true;
            leak.closed = true;
            attachments.clear();
            handles.clear();
        }
        for (MapHandle<?, ?> h : toInvalidate) {
            h.invalidate();
        }
        lib.objectClose(handle);
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (closed ? ", closed" : "") + "]";
    }
}
