package org.xmasq.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
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
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.IncompatibleMapException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfLog;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.MapInfo;
import org.xmasq.libbpf.VerifierException;

/**
 * A BPF object opened but not loaded: what the ELF file declares, adjustable before the kernel sees it (map sizes,
 * pin paths, the .rodata constants). {@link #load()} turns it into a {@link BpfObject}. Nothing here depends on the
 * running kernel except {@link #load()}.
 *
 * <p>The ELF bytes are handed to libbpf from memory (bpf_object__open_mem over a direct buffer); no temporary file is
 * written. Close a spec that will not be loaded; after {@link #load()} the spec is used up and closing it does
 * nothing.
 */
public final class BpfObjectSpec implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BpfObjectSpec.class);

    private final LibBpf lib;
    private final String name;
    /** libbpf may keep pointing into the ELF image, so it lives as long as the object. */
    private final ByteBuffer elf;
    private final long handle;
    private final Map<String, Long> maps = new LinkedHashMap<>();
    private final List<String> programs = new ArrayList<>();
    private final Map<String, Path> pins = new LinkedHashMap<>();
    private boolean replaceIncompatiblePins;
    private boolean loaded;
    private boolean closed;
    private final LeakWatch.Token leak;

    private BpfObjectSpec(LibBpf lib, String name, ByteBuffer elf, long handle) {
        this.lib = lib;
        this.name = name;
        this.elf = elf;
        this.handle = handle;
        for (long m = lib.objectNextMap(handle, 0); m != 0; m = lib.objectNextMap(handle, m)) {
            maps.put(lib.mapName(m), m);
        }
        for (long p = lib.objectNextProgram(handle, 0); p != 0; p = lib.objectNextProgram(handle, p)) {
            programs.add(lib.programName(p));
        }
        this.leak = LeakWatch.watch(this, "BPF object spec " + name + " (neither loaded nor closed)");
    }

    // ------------------------------------------------------------------ opening

    /** Opens an object from its ELF bytes, through {@link LibBpfs#get()}. */
    public static BpfObjectSpec fromBytes(byte[] elf, String name) {
        return fromBytes(LibBpfs.get(), elf, name);
    }

    /**
     * Opens an object from its ELF bytes. {@code name} becomes the object name (libbpf prefixes internal maps
     * such as .rodata with its first 8 characters).
     */
    public static BpfObjectSpec fromBytes(LibBpf lib, byte[] elf, String name) {
        Objects.requireNonNull(lib, "lib");
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(name, "name");
        if (elf.length == 0) {
            throw new IllegalArgumentException("empty ELF image for object " + name);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(elf.length);
        buf.put(0, elf);
        LibBpfLog.Captured<Long> opened = LibBpfLog.capture(() -> lib.objectOpenMem(lib.address(buf), elf.length, name));
        long h = opened.value();
        if (h < 0 || h == 0) {
            int errno = h == 0 ? Errno.EINVAL : (int) -h;
            String log = opened.log().strip();
            throw BpfException.of("bpf_object__open_mem(" + name + ")" + (log.isEmpty() ? "" : " [" + log + "]"),
                    errno);
        }
        try {
            return new BpfObjectSpec(lib, name, buf, h);
        } catch (RuntimeException e) {
            lib.objectClose(h);
            throw e;
        }
    }

    /** Opens a classpath resource (e.g. "org/xmasq/bpf/xmasq.bpf.o"), through {@link LibBpfs#get()}. */
    public static BpfObjectSpec fromResource(String resource) {
        return fromResource(LibBpfs.get(), resource);
    }

    /** Opens a classpath resource; the object is named after the file without ".bpf.o" / ".o". */
    public static BpfObjectSpec fromResource(LibBpf lib, String resource) {
        Objects.requireNonNull(resource, "resource");
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = BpfObjectSpec.class.getClassLoader();
        }
        InputStream in = cl.getResourceAsStream(path);
        if (in == null) {
            in = BpfObjectSpec.class.getClassLoader().getResourceAsStream(path);
        }
        if (in == null) {
            throw new IllegalArgumentException("no classpath resource " + path);
        }
        try (InputStream s = in) {
            return fromBytes(lib, s.readAllBytes(), objectName(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + path, e);
        }
    }

    /** Opens an object file, through {@link LibBpfs#get()}. */
    public static BpfObjectSpec fromFile(Path file) {
        return fromFile(LibBpfs.get(), file);
    }

    /** Opens an object file (read into memory, then opened like {@link #fromBytes}). */
    public static BpfObjectSpec fromFile(LibBpf lib, Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return fromBytes(lib, Files.readAllBytes(file), objectName(file.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String objectName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (file.endsWith(".bpf.o")) {
            return file.substring(0, file.length() - 6);
        }
        return file.endsWith(".o") ? file.substring(0, file.length() - 2) : file;
    }

    // ------------------------------------------------------------------ what the object declares

    public String name() {
        return name;
    }

    /** The maps as they will be created (with max entries and pin paths set so far). */
    public List<MapSpec> maps() {
        ensureUsable("maps");
        List<MapSpec> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : maps.entrySet()) {
            out.add(mapSpec(e.getKey(), e.getValue()));
        }
        return out;
    }

    public MapSpec map(String mapName) {
        ensureUsable("map");
        return mapSpec(mapName, mapHandle(mapName));
    }

    private MapSpec mapSpec(String mapName, long m) {
        return new MapSpec(mapName, MapType.of(lib.mapType(m)), lib.mapKeySize(m), lib.mapValueSize(m),
                lib.mapMaxEntries(m), pins.get(mapName), isInternal(mapName));
    }

    public List<String> programNames() {
        return List.copyOf(programs);
    }

    /** libbpf's own maps for global data (.rodata, .data, .bss, .kconfig) carry a '.' in their name. */
    static boolean isInternal(String mapName) {
        return mapName.indexOf('.') >= 0;
    }

    private long mapHandle(String mapName) {
        Long m = maps.get(Objects.requireNonNull(mapName, "mapName"));
        if (m == null) {
            throw new IllegalArgumentException("object " + name + " has no map '" + mapName + "' (maps: "
                    + String.join(", ", maps.keySet()) + ")");
        }
        return m;
    }

    // ------------------------------------------------------------------ adjustments before load

    /** Sets a map's max_entries. */
    public BpfObjectSpec setMaxEntries(String mapName, int maxEntries) {
        ensureUsable("setMaxEntries");
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("max entries must be > 0, not " + maxEntries);
        }
        BpfException.check(lib.mapSetMaxEntries(mapHandle(mapName), maxEntries),
                "bpf_map__set_max_entries(" + mapName + ")");
        return this;
    }

    /** Pins one map at {@code pin} (on bpffs): at load a compatible pinned map is reused, otherwise it is created and pinned. */
    public BpfObjectSpec pinMap(String mapName, Path pin) {
        ensureUsable("pinMap");
        Objects.requireNonNull(pin, "pin");
        long m = mapHandle(mapName);
        Path abs = pin.toAbsolutePath().normalize();
        BpfException.check(lib.mapSetPinPath(m, abs.toString()), "bpf_map__set_pin_path(" + mapName + ")");
        pins.put(mapName, abs);
        return this;
    }

    /** Pins every map except libbpf's internal ones at {@code dir}/{@code <map name>}. */
    public BpfObjectSpec pinMapsIn(Path dir) {
        ensureUsable("pinMapsIn");
        Objects.requireNonNull(dir, "dir");
        for (String mapName : maps.keySet()) {
            if (!isInternal(mapName)) {
                pinMap(mapName, dir.resolve(mapName));
            }
        }
        return this;
    }

    /** Before load, unpin any pinned map whose shape differs from this object's instead of refusing to load. */
    public BpfObjectSpec replaceIncompatiblePins() {
        ensureUsable("replaceIncompatiblePins");
        this.replaceIncompatiblePins = true;
        return this;
    }

    private long rodataMap() {
        for (Map.Entry<String, Long> e : maps.entrySet()) {
            if (e.getKey().endsWith(".rodata")) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("object " + name + " has no .rodata section (no const volatile globals)");
    }

    /** Size of the .rodata section (the const volatile globals), in bytes. */
    public int rodataSize() {
        ensureUsable("rodataSize");
        return lib.mapValueSize(rodataMap());
    }

    /** The current initial .rodata bytes. */
    public byte[] rodata() {
        ensureUsable("rodata");
        byte[] v = lib.mapInitialValue(rodataMap());
        return v == null ? new byte[0] : v;
    }

    /** Replaces the whole initial value of .rodata; {@code bytes} must have exactly {@link #rodataSize()} bytes. */
    public BpfObjectSpec setRodata(byte[] bytes) {
        ensureUsable("setRodata");
        Objects.requireNonNull(bytes, "bytes");
        long m = rodataMap();
        int size = lib.mapValueSize(m);
        if (bytes.length != size) {
            throw new IllegalArgumentException("object " + name + ": .rodata is " + size + " bytes, got "
                    + bytes.length);
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(size);
        buf.put(0, bytes);
        BpfException.check(lib.mapSetInitialValue(m, lib.address(buf), size),
                "bpf_map__set_initial_value(" + lib.mapName(m) + ")");
        return this;
    }

    // ------------------------------------------------------------------ load

    /**
     * Checks existing pins, then loads every map and program into the kernel.
     *
     * @throws IncompatibleMapException when a pinned map differs from this object's (the spec stays open: call
     *         {@link #replaceIncompatiblePins()} and load again, or remove the pin)
     * @throws org.xmasq.libbpf.BpfFsException when a pin path is not on bpffs
     * @throws VerifierException when the kernel refuses the object; the spec is then closed
     */
    public BpfObject load() {
        ensureUsable("load");
        for (Map.Entry<String, Path> e : pins.entrySet()) {
            lib.bpfFs().checkMounted(e.getValue(), "pin map " + e.getKey());
        }
        for (Map.Entry<String, Path> e : pins.entrySet()) {
            checkPinned(e.getKey(), e.getValue());
        }
        for (Path pin : pins.values()) {
            lib.bpfFs().createParent(pin);
        }
        LibBpfLog.Captured<Integer> c = LibBpfLog.capture(() -> lib.objectLoad(handle));
        if (c.value() < 0) {
            close();
            if (-c.value() == Errno.EPERM) {
                // not the verifier's verdict: the process lacks CAP_BPF / CAP_NET_ADMIN (or memlock)
                throw BpfException.of("bpf_object__load(" + name + ")", c.value());
            }
            throw new VerifierException("bpf_object__load(" + name + ")", -c.value(), c.log());
        }
        loaded = true;
        leak.closed = true;
        LOG.debug("loaded BPF object {} ({} maps, {} programs)", name, maps.size(), programs.size());
        return BpfObject.loaded(lib, name, handle, elf, maps, pins);
    }

    private void checkPinned(String mapName, Path pin) {
        int fd = lib.objGet(pin.toString());
        if (fd == -Errno.ENOENT) {
            return;
        }
        BpfException.check(fd, "bpf_obj_get(" + pin + ")");
        List<String> diffs = new ArrayList<>();
        try {
            MapInfo info = lib.mapInfo(fd);
            MapSpec want = map(mapName);
            if (info.type() != want.type().value()) {
                diffs.add("type: object wants " + want.type() + ", pinned map has " + MapType.describe(info.type()));
            }
            if (info.keySize() != want.keySize()) {
                diffs.add("key_size: object wants " + want.keySize() + ", pinned map has " + info.keySize());
            }
            if (info.valueSize() != want.valueSize()) {
                diffs.add("value_size: object wants " + want.valueSize() + ", pinned map has " + info.valueSize());
            }
            if (info.maxEntries() != want.maxEntries()) {
                diffs.add("max_entries: object wants " + want.maxEntries() + ", pinned map has " + info.maxEntries());
            }
        } finally {
            lib.close(fd);
        }
        if (diffs.isEmpty()) {
            LOG.debug("map {} reuses the pin at {}", mapName, pin);
            return;
        }
        if (!replaceIncompatiblePins) {
            throw new IncompatibleMapException("load " + name + ": map " + mapName + " pinned at " + pin, diffs);
        }
        LOG.info("map {}: replacing the incompatible pin at {} ({})", mapName, pin, String.join("; ", diffs));
        lib.bpfFs().unlink(pin);
    }

    private void ensureUsable(String what) {
        if (loaded) {
            throw new ClosedResourceException(what + "(" + name + ")", 0,
                    "spec " + name + " was loaded; use the BpfObject load() returned");
        }
        if (closed) {
            throw new ClosedResourceException(what + "(" + name + ")", 0, "spec " + name + " is closed");
        }
    }

    /** Frees the opened object unless it was loaded (then the {@link BpfObject} owns it). Idempotent. */
    @Override
    public void close() {
        if (loaded || closed) {
            return;
        }
        closed = true;
        leak.closed = true;
        lib.objectClose(handle);
    }

    @Override
    public String toString() {
        return "BpfObjectSpec[" + name + (loaded ? ", loaded" : closed ? ", closed" : "") + "]";
    }
}
