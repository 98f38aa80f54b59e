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
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.MapInfo;
import org.xmasq.libbpf.ProgInfo;

/**
 * A loaded BPF object: its maps and programs live in the kernel. Typed handles come from {@link #map},
 * {@link #perCpuMap} and {@link #program}. {@link #close()} releases, in this order, the TC attachments made from
 * its programs, the map handles, then the object (pinned maps, programs and links survive).
 *
 * <p>Either loaded by libbpf ({@link BpfObjectSpec#load()}), or re-opened from the pins of an object loaded earlier
 * ({@link #fromPins}): then nothing is loaded or verified again. Both hold the same thing, maps and programs by name
 * with their fds; they differ only in who owns the fds (libbpf's object, or this one) and in what only the ELF knows
 * (a re-opened object lists only the pinned maps, not .rodata; a program's section is derived from its type).
 */
public final class BpfObject implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfObject.class);

    /** What the object knows of one program, however it was obtained. */
    private record ProgramEntry(int fd, String section, int type) {
    }

    private final LibBpf lib;
    private final String name;
    /** Closes what this object owns: libbpf's object (which owns the fds), or the fds re-opened from pins. */
    private final Runnable release;
    @SuppressWarnings("unused") // keeps the ELF image alive as long as libbpf may look at it
    private final ByteBuffer elf;
    private final Map<String, Integer> mapFds;
    private final Map<String, ProgramEntry> programEntries;
    private final Map<String, Path> pins;
    private final Map<String, BpfProgram> programs = new LinkedHashMap<>();
    private final List<MapHandle<?, ?>> handles = new ArrayList<>();
    private final List<TcAttachment> attachments = new ArrayList<>();
    private boolean closed;
    private final LeakWatch.Token leak;

    private BpfObject(LibBpf lib, String name, Runnable release, ByteBuffer elf, Map<String, Integer> mapFds,
                      Map<String, ProgramEntry> programEntries, Map<String, Path> pins, String what) {
        this.lib = lib;
        this.name = name;
        this.release = release;
        this.elf = elf;
        this.mapFds = mapFds;
        this.programEntries = programEntries;
        this.pins = new LinkedHashMap<>(pins);
        this.leak = LeakWatch.watch(this, "BPF object " + name + what);
    }

    /** The object libbpf loaded at {@code handle}: its maps' and programs' fds belong to libbpf's object. */
    static BpfObject loaded(LibBpf lib, String name, long handle, ByteBuffer elf, Map<String, Long> maps,
                            Map<String, Path> pins) {
        try {
            return loadedOrThrow(lib, name, handle, elf, maps, pins);
        } catch (RuntimeException | Error e) {
            lib.objectClose(handle);
            throw e;
        }
    }

    private static BpfObject loadedOrThrow(LibBpf lib, String name, long handle, ByteBuffer elf, Map<String, Long> maps,
                                           Map<String, Path> pins) {
        Map<String, Integer> mapFds = new LinkedHashMap<>();
        maps.forEach((n, m) -> mapFds.put(n, BpfException.check(lib.mapFd(m), "bpf_map__fd(" + n + ")")));
        Map<String, ProgramEntry> programs = new LinkedHashMap<>();
        for (long p = lib.objectNextProgram(handle, 0); p != 0; p = lib.objectNextProgram(handle, p)) {
            String n = lib.programName(p);
            programs.put(n, new ProgramEntry(BpfException.check(lib.programFd(p), "bpf_program__fd(" + n + ")"),
                    lib.programSection(p), lib.programType(p)));
        }
        return new BpfObject(lib, name, () -> lib.objectClose(handle), elf, mapFds, programs, pins, "");
    }

    /**
     * Re-opens an object loaded earlier from the pins of its maps and programs (bpf_obj_get each): nothing is loaded
     * or verified. Each program pin must hold a program whose kernel name is its key (the kernel keeps 15
     * characters); the caller vouches that the pins belong together (e.g. through a record pinned with them).
     *
     * @param mapPins map name -> pin path
     * @param programPins program name -> pin path
     * @throws BpfException when a pin cannot be opened
     * @throws IllegalArgumentException when a program pin holds something else
     */
    public static BpfObject fromPins(LibBpf lib, String name, Map<String, Path> mapPins,
                                     Map<String, Path> programPins) {
        Objects.requireNonNull(lib, "lib");
        Objects.requireNonNull(name, "name");
        Map<String, Integer> mapFds = new LinkedHashMap<>();
        Map<String, Integer> programFds = new LinkedHashMap<>();
        Map<String, ProgramEntry> programs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : mapPins.entrySet()) {
                mapFds.put(e.getKey(), BpfException.check(lib.objGet(BpfFs.pathString(e.getValue())),
                        "bpf_obj_get(" + e.getValue() + ")"));
            }
            for (Map.Entry<String, Path> e : programPins.entrySet()) {
                int fd = BpfException.check(lib.objGet(BpfFs.pathString(e.getValue())),
                        "bpf_obj_get(" + e.getValue() + ")");
                programFds.put(e.getKey(), fd);
                ProgInfo info = lib.progInfo(fd);
                String kernelName = info.name();
                String want = e.getKey().substring(0, Math.min(15, e.getKey().length()));
                if (!want.equals(kernelName) && !e.getKey().equals(kernelName)) {
                    throw new IllegalArgumentException(e.getValue() + " holds program '" + kernelName + "', not "
                            + e.getKey());
                }
                programs.put(e.getKey(), new ProgramEntry(fd, info.type() == BpfProgram.TYPE_SCHED_CLS ? "tc" : "",
                        info.type()));
            }
        } catch (RuntimeException | Error e) {
            mapFds.values().forEach(lib::close);
            programFds.values().forEach(lib::close);
            throw e;
        }
        LOG.debug("re-opened BPF object {} from pins ({} maps, {} programs)", name, mapFds.size(), programFds.size());
        Runnable release = () -> {
            mapFds.values().forEach(lib::close);
            programFds.values().forEach(lib::close);
        };
        return new BpfObject(lib, name, release, null, mapFds, programs, mapPins, " (from pins)");
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
        mapFds.forEach((n, fd) -> {
            MapInfo i = lib.mapInfo(fd);
            out.add(new MapSpec(n, MapType.of(i.type()), i.keySize(), i.valueSize(), i.maxEntries(), pins.get(n),
                    BpfObjectSpec.isInternal(n)));
        });
        return out;
    }

    public List<String> programNames() {
        return List.copyOf(programEntries.keySet());
    }

    private int mapFd(String mapName) {
        Objects.requireNonNull(mapName, "mapName");
        Integer fd = mapFds.get(mapName);
        if (fd == null) {
            throw new IllegalArgumentException("object " + name + " has no map '" + mapName + "' (maps: "
                    + String.join(", ", mapFds.keySet()) + ")");
        }
        return fd;
    }

    /** A typed handle on a map with one value per key; sizes and kind are checked now. */
    public synchronized <K, V> BpfMap<K, V> map(String mapName, Codec<K> keyCodec, Codec<V> valueCodec) {
        ensureOpen("map(" + mapName + ")");
        int fd = mapFd(mapName);
        MapInfo info = lib.mapInfo(fd);
        BpfMap<K, V> map = BpfMap.of(lib, mapName, fd, false, info, keyCodec, valueCodec, this::forget);
        handles.add(map);
        return map;
    }

    /** A typed handle on a per-CPU map (values as one list entry per possible CPU). */
    public synchronized <K, V> PerCpuMap<K, V> perCpuMap(String mapName, Codec<K> keyCodec, Codec<V> valueCodec) {
        ensureOpen("perCpuMap(" + mapName + ")");
        int fd = mapFd(mapName);
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
        Objects.requireNonNull(programName, "programName");
        ProgramEntry e = programEntries.get(programName);
        if (e == null) {
            throw new IllegalArgumentException("object " + name + " has no program '" + programName + "' (programs: "
                    + String.join(", ", programEntries.keySet()) + ")");
        }
        p = new BpfProgram(lib, programName, e.section(), e.type(), e.fd(), this);
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
        release.run();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + name + (closed ? ", closed" : "") + "]";
    }
}
