package org.xmasq.libbpf.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfLog;
import org.xmasq.libbpf.LibBpfVersion;
import org.xmasq.libbpf.LinkInfo;
import org.xmasq.libbpf.MapInfo;
import org.xmasq.libbpf.ProgInfo;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.TestRunResult;
import org.xmasq.libbpf.fake.FakeHandles.Obj;
import org.xmasq.libbpf.fake.FakeHandles.ObjMap;
import org.xmasq.libbpf.fake.FakeHandles.ObjProg;
import org.xmasq.libbpf.fake.FakeKernel.FilterKey;
import org.xmasq.libbpf.fake.FakeKernel.Link;
import org.xmasq.libbpf.fake.FakeKernel.Prog;

/**
 * An in-memory {@link LibBpf} for unit tests, no root and no kernel needed. It keeps the real contract: {@code -errno}
 * returns, raw addresses of direct buffers (obtained through {@link #address}), handles valid until the object is
 * closed, kernel-like map semantics (array delete is EINVAL, full hash is E2BIG, LRU evicts, get-next-key of a
 * vanished key restarts at the first key).
 *
 * <p>What the kernel would hold is inspectable and configurable: objects are described with {@link FakeObjectSpec}
 * and {@link #registerObject registered} under a name; pins are a map from path to kernel object; interfaces, tc
 * filters, tcx links, test-run results and the number of possible CPUs are set by the test. Any method can be made
 * to fail with {@link #failNext} / {@link #failAlways} (by {@link LibBpf} method name, e.g. {@code "mapUpdate"}),
 * and {@link #calls} counts invocations. Thread-safe (one lock). What it models is split by kind: the kernel's
 * objects ({@link FakeKernel}, {@link FakeMap}), libbpf's handles ({@link FakeHandles}), the pins' filesystem
 * ({@link FakeBpfFs}) and fault injection ({@link FakeFaults}); this class is the {@link LibBpf} over them.
 */
public final class FakeLibBpf implements LibBpf {
    public static final int MAP_HASH = 1;
    public static final int MAP_ARRAY = 2;
    public static final int MAP_PERCPU_HASH = 5;
    public static final int MAP_PERCPU_ARRAY = 6;
    public static final int MAP_LRU_HASH = 9;
    public static final int MAP_LRU_PERCPU_HASH = 10;
    public static final int PROG_SCHED_CLS = 3;
    /** map_flags libbpf gives a .rodata map. */
    public static final int RODATA_FLAGS = 0x80 | 0x400;
    private static final int OBJ_NAME_LEN = 15;

    /** A classic TC filter the fake holds: who attached what at which handle and priority. */
    public record TcFilter(int ifindex, TcAttachPoint point, int handle, int priority, int programId) {
    }

    /** A tcx link, as {@link #tcxLinks} reports it. */
    public record TcxAttachment(int linkId, int ifindex, TcAttachPoint point, int programId) {
    }

    private final FakeMemory memory = new FakeMemory();
    private final Map<String, FakeObjectSpec> registered = new HashMap<>();
    private final Map<Long, Obj> objects = new HashMap<>();
    private final Map<Long, ObjMap> objMaps = new HashMap<>();
    private final Map<Long, ObjProg> objProgs = new HashMap<>();
    private final Map<Integer, Object> fds = new HashMap<>();
    private final Map<Integer, FakeMap> mapsById = new HashMap<>();
    private final Map<Integer, Prog> progsById = new HashMap<>();
    private final Map<String, Object> pins = new LinkedHashMap<>();
    private final Map<String, Integer> interfaces = new LinkedHashMap<>();
    private final Set<Integer> clsact = new TreeSet<>();
    private final Map<FilterKey, Integer> filters = new LinkedHashMap<>();
    private final List<Link> links = new ArrayList<>();
    private final Map<String, Function<TestRunRequest, TestRunResult>> testRuns = new HashMap<>();
    private final FakeFaults faults = new FakeFaults();
    private final FakeBpfFs bpfFs = new FakeBpfFs(this);
    private int possibleCpus = 2;
    private boolean tcxSupported = true;
    private String bpfFsRoot = "/sys/fs/bpf";
    private long nextHandle = 0x5a00_0000_0000L;
    private int nextFd = 3;
    private int nextId = 1;

    public FakeLibBpf() {
        interfaces.put("lo", 1);
    }

    // ================================================================ configuration and inspection for tests

    /** Describes the object that opening {@code name} (object name, file path or file name) yields. */
    public synchronized FakeLibBpf registerObject(String name, FakeObjectSpec spec) {
        registered.put(Objects.requireNonNull(name), Objects.requireNonNull(spec));
        return this;
    }

    /** Number of possible CPUs (default 2); affects maps created afterwards. */
    public synchronized FakeLibBpf setPossibleCpus(int cpus) {
        if (cpus <= 0) {
            throw new IllegalArgumentException("cpus must be > 0");
        }
        this.possibleCpus = cpus;
        return this;
    }

    /** Adds a network interface ("lo" = 1 exists from the start). */
    public synchronized FakeLibBpf addInterface(String name, int ifindex) {
        interfaces.put(name, ifindex);
        return this;
    }

    /** Removes an interface together with its qdisc, filters and tcx links, as the kernel does. */
    public synchronized void removeInterface(String name) {
        Integer idx = interfaces.remove(name);
        if (idx != null) {
            clsact.remove(idx);
            filters.keySet().removeIf(k -> k.ifindex() == idx);
            for (Link l : links) {
                if (l.ifindex == idx) {
                    l.attached = false;
                    l.ifindex = 0;
                }
            }
        }
    }

    /** Whether linkCreate knows the tcx attach types (default true); false makes it fail with EINVAL like old kernels. */
    public synchronized FakeLibBpf setTcxSupported(boolean supported) {
        this.tcxSupported = supported;
        return this;
    }

    /** Where the fake's bpffs is "mounted" (default /sys/fs/bpf); pins elsewhere fail with EPERM. */
    public synchronized FakeLibBpf setBpfFsRoot(String root) {
        this.bpfFsRoot = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        return this;
    }

    /** Whether {@code path} is on the fake's bpffs. */
    public synchronized boolean isOnBpfFs(String path) {
        return path.equals(bpfFsRoot) || path.startsWith(bpfFsRoot + "/");
    }

    public synchronized boolean isPinned(String path) {
        return pins.containsKey(path);
    }

    /** unlink(2) of a pin. @return false when nothing was pinned there */
    public synchronized boolean unlink(String path) {
        Object o = pins.remove(path);
        if (o instanceof Link l) {
            l.pinned = false;
            releaseLinkIfUnused(l);
        }
        return o != null;
    }

    public synchronized List<String> pinnedPaths() {
        return List.copyOf(pins.keySet());
    }

    /** The result progTestRun gives for programs named {@code programName} (default: retval 0, data echoed). */
    public synchronized FakeLibBpf onTestRun(String programName, Function<TestRunRequest, TestRunResult> result) {
        testRuns.put(programName, result);
        return this;
    }

    /** The next call of {@code method} (a {@link LibBpf} method name) fails with {@code errno}; calls queue up. */
    public synchronized FakeLibBpf failNext(String method, int errno) {
        faults.failNext(method, errno);
        return this;
    }

    /** Every call of {@code method} fails with {@code errno} until {@link #clearFailures}. */
    public synchronized FakeLibBpf failAlways(String method, int errno) {
        faults.failAlways(method, errno);
        return this;
    }

    public synchronized void clearFailures() {
        faults.clear();
    }

    /** How often {@code method} was called. */
    public synchronized int calls(String method) {
        return faults.calls(method);
    }

    /** File descriptors currently open (a test can check that nothing was left behind). */
    public synchronized int openFds() {
        return fds.size();
    }

    /** Objects opened and not closed. */
    public synchronized int openObjects() {
        return objects.size();
    }

    public synchronized boolean hasClsact(int ifindex) {
        return clsact.contains(ifindex);
    }

    /** Adds clsact and a filter on behalf of "someone else" (another tool), to check we leave it alone. */
    public synchronized void addForeignFilter(int ifindex, TcAttachPoint point, int handle, int priority, int programId) {
        clsact.add(ifindex);
        filters.put(new FilterKey(ifindex, point, handle, priority), programId);
    }

    public synchronized List<TcFilter> tcFilters(int ifindex, TcAttachPoint point) {
        List<TcFilter> out = new ArrayList<>();
        filters.forEach((k, prog) -> {
            if (k.ifindex() == ifindex && k.point() == point) {
                out.add(new TcFilter(k.ifindex(), k.point(), k.handle(), k.priority(), prog));
            }
        });
        return out;
    }

    /** tcx links currently attached to {@code ifindex} at {@code point}. */
    public synchronized List<TcxAttachment> tcxLinks(int ifindex, TcAttachPoint point) {
        List<TcxAttachment> out = new ArrayList<>();
        for (Link l : links) {
            if (l.attached && l.ifindex == ifindex && l.attachType == point.tcxAttachType()) {
                out.add(new TcxAttachment(l.id, l.ifindex, point, l.prog.id));
            }
        }
        return out;
    }

    // ================================================================ plumbing

    /** Counts the call and returns the injected failure (-errno) or 0. */
    private int enter(String method) {
        return faults.enter(method);
    }

    private void enterOrThrow(String method) {
        int rc = enter(method);
        if (rc < 0) {
            throw BpfException.of(method + " (injected)", rc);
        }
    }

    private long handle() {
        long h = nextHandle;
        nextHandle += 64;
        return h;
    }

    private int newFd(Object target) {
        int fd = nextFd++;
        fds.put(fd, target);
        if (target instanceof Link l) {
            l.fds++;
        }
        return fd;
    }

    private Obj obj(long handle) {
        Obj o = objects.get(handle);
        if (o == null) {
            throw new IllegalArgumentException("not an open object handle: 0x" + Long.toHexString(handle));
        }
        return o;
    }

    private ObjMap objMap(long handle) {
        ObjMap m = objMaps.get(handle);
        if (m == null) {
            throw new IllegalArgumentException("not a map handle of an open object: 0x" + Long.toHexString(handle));
        }
        return m;
    }

    private ObjProg objProg(long handle) {
        ObjProg p = objProgs.get(handle);
        if (p == null) {
            throw new IllegalArgumentException("not a program handle of an open object: 0x" + Long.toHexString(handle));
        }
        return p;
    }

    private FakeMap mapFdTarget(int fd) {
        return fds.get(fd) instanceof FakeMap m ? m : null;
    }

    private static String kernelName(String name) {
        return name.length() > OBJ_NAME_LEN ? name.substring(0, OBJ_NAME_LEN) : name;
    }

    private FakeMap createMap(String name, int type, int keySize, int valueSize, int maxEntries, int flags) {
        FakeMap m = new FakeMap(nextId++, kernelName(name), type, keySize, valueSize, maxEntries, flags, possibleCpus);
        mapsById.put(m.id, m);
        return m;
    }

    private void releaseLinkIfUnused(Link l) {
        if (l.fds == 0 && !l.pinned) {
            l.attached = false;
            links.remove(l);
        }
    }

    // ================================================================ LibBpf

    @Override
    public String backend() {
        return "fake";
    }

    @Override
    public LibBpfVersion version() {
        return new LibBpfVersion(1, 1);
    }

    @Override
    public synchronized int possibleCpus() {
        return possibleCpus;
    }

    @Override
    public long address(ByteBuffer direct) {
        synchronized (this) {
            faults.count("address");
        }
        return memory.register(direct);
    }

    @Override
    public synchronized long objectOpenMem(long elf, long size, String name) {
        int rc = enter("objectOpenMem");
        if (rc < 0) {
            return rc;
        }
        try {
            memory.read(elf, (int) Math.min(size, 16));
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
        FakeObjectSpec spec = name == null ? null : registered.get(name);
        if (spec == null) {
            LibBpfLog.accept(LibBpfLog.LEVEL_WARN, "libbpf: fake: no object registered under '" + name + "'\n");
            return -Errno.EINVAL;
        }
        return open(name, spec);
    }

    @Override
    public synchronized long objectOpenFile(String path) {
        int rc = enter("objectOpenFile");
        if (rc < 0) {
            return rc;
        }
        String file = Path.of(path).getFileName().toString();
        String stem = file.endsWith(".bpf.o") ? file.substring(0, file.length() - 6)
                : file.endsWith(".o") ? file.substring(0, file.length() - 2) : file;
        for (String candidate : List.of(path, file, stem)) {
            FakeObjectSpec spec = registered.get(candidate);
            if (spec != null) {
                return open(stem, spec);
            }
        }
        return -Errno.ENOENT;
    }

    private long open(String name, FakeObjectSpec spec) {
        Obj o = new Obj(handle(), name, spec);
        for (FakeObjectSpec.MapDef d : spec.maps()) {
            ObjMap m = new ObjMap(handle(), d.name(), d.type(), d.keySize(), d.valueSize(), d.maxEntries(), d.flags());
            o.maps.add(m);
            objMaps.put(m.handle, m);
        }
        if (spec.rodataSize() > 0) {
            String prefix = name.length() > 8 ? name.substring(0, 8) : name;
            ObjMap m = new ObjMap(handle(), prefix + ".rodata", MAP_ARRAY, 4, spec.rodataSize(), 1, RODATA_FLAGS);
            m.initialValue = new byte[spec.rodataSize()];
            o.maps.add(m);
            objMaps.put(m.handle, m);
        }
        for (FakeObjectSpec.ProgramDef d : spec.programs()) {
            ObjProg p = new ObjProg(handle(), d);
            o.progs.add(p);
            objProgs.put(p.handle, p);
        }
        objects.put(o.handle, o);
        return o.handle;
    }

    @Override
    public synchronized int objectLoad(long handle) {
        int rc = enter("objectLoad");
        if (rc < 0) {
            return rc;
        }
        Obj o = obj(handle);
        if (o.loaded) {
            return -Errno.EINVAL;
        }
        if (o.spec.loadErrno() != 0) {
            for (String line : o.spec.loadLog().split("\n", -1)) {
                if (!line.isEmpty()) {
                    LibBpfLog.accept(LibBpfLog.LEVEL_WARN, line + "\n");
                }
            }
            return -o.spec.loadErrno();
        }
        // Maps first, reusing compatible pins as libbpf does; nothing is created when one pin is incompatible.
        Map<ObjMap, FakeMap> chosen = new LinkedHashMap<>();
        for (ObjMap m : o.maps) {
            int v = FakeMap.validate(m.type, m.keySize, m.valueSize, m.maxEntries);
            if (v < 0) {
                LibBpfLog.accept(LibBpfLog.LEVEL_WARN, "libbpf: map '" + m.name + "': failed to create: -EINVAL\n");
                return v;
            }
            if (m.reused != null) {
                chosen.put(m, m.reused);
            } else if (m.pinPath != null && pins.get(m.pinPath) != null) {
                Object pinned = pins.get(m.pinPath);
                if (!(pinned instanceof FakeMap p) || p.type != m.type || p.keySize != m.keySize
                        || p.valueSize != m.valueSize || p.maxEntries != m.maxEntries || p.flags != m.flags) {
                    LibBpfLog.accept(LibBpfLog.LEVEL_WARN, "libbpf: couldn't reuse pinned map at '" + m.pinPath
                            + "': parameter mismatch\n");
                    return -Errno.EINVAL;
                }
                chosen.put(m, p);
            } else if (m.pinPath != null && !isOnBpfFs(m.pinPath)) {
                LibBpfLog.accept(LibBpfLog.LEVEL_WARN, "libbpf: map '" + m.name + "': failed to pin at '"
                        + m.pinPath + "': not on bpffs\n");
                return -Errno.EPERM;
            } else {
                chosen.put(m, null);
            }
        }
        for (Map.Entry<ObjMap, FakeMap> e : chosen.entrySet()) {
            ObjMap m = e.getKey();
            FakeMap map = e.getValue();
            if (map == null) {
                map = createMap(m.name, m.type, m.keySize, m.valueSize, m.maxEntries, m.flags);
                if (m.initialValue != null) {
                    map.writeInitial(m.initialValue);
                }
                if (m.pinPath != null) {
                    pins.put(m.pinPath, map);
                }
            }
            m.map = map;
            m.fd = newFd(map);
        }
        for (ObjProg p : o.progs) {
            Prog prog = new Prog(nextId++, kernelName(p.def.name()), p.def.type());
            progsById.put(prog.id, prog);
            p.fd = newFd(prog);
        }
        o.loaded = true;
        return 0;
    }

    @Override
    public synchronized void objectClose(long handle) {
        enter("objectClose");
        if (handle == 0) {
            return;
        }
        Obj o = objects.remove(handle);
        if (o == null) {
            return;
        }
        for (ObjMap m : o.maps) {
            objMaps.remove(m.handle);
            if (m.fd >= 0) {
                fds.remove(m.fd);
            }
        }
        for (ObjProg p : o.progs) {
            objProgs.remove(p.handle);
            if (p.fd >= 0) {
                fds.remove(p.fd);
            }
        }
    }

    @Override
    public synchronized String objectName(long handle) {
        return obj(handle).name;
    }

    @Override
    public synchronized long objectNextProgram(long handle, long prev) {
        return next(obj(handle).progs.stream().map(p -> p.handle).toList(), prev);
    }

    @Override
    public synchronized long objectNextMap(long handle, long prev) {
        return next(obj(handle).maps.stream().map(m -> m.handle).toList(), prev);
    }

    private static long next(List<Long> handles, long prev) {
        if (prev == 0) {
            return handles.isEmpty() ? 0 : handles.get(0);
        }
        int i = handles.indexOf(prev);
        return i < 0 || i + 1 >= handles.size() ? 0 : handles.get(i + 1);
    }

    @Override
    public synchronized String programName(long prog) {
        return objProg(prog).def.name();
    }

    @Override
    public synchronized String programSection(long prog) {
        return objProg(prog).def.section();
    }

    @Override
    public synchronized int programType(long prog) {
        return objProg(prog).def.type();
    }

    @Override
    public synchronized int programFd(long prog) {
        ObjProg p = objProg(prog);
        return p.fd >= 0 ? p.fd : -Errno.EINVAL;
    }

    @Override
    public synchronized String mapName(long map) {
        return objMap(map).name;
    }

    @Override
    public synchronized int mapType(long map) {
        return objMap(map).type;
    }

    @Override
    public synchronized int mapKeySize(long map) {
        return objMap(map).keySize;
    }

    @Override
    public synchronized int mapValueSize(long map) {
        return objMap(map).valueSize;
    }

    @Override
    public synchronized int mapMaxEntries(long map) {
        return objMap(map).maxEntries;
    }

    @Override
    public synchronized int mapSetMaxEntries(long map, int maxEntries) {
        int rc = enter("mapSetMaxEntries");
        if (rc < 0) {
            return rc;
        }
        ObjMap m = objMap(map);
        if (m.map != null) {
            return -Errno.EBUSY;
        }
        m.maxEntries = maxEntries;
        return 0;
    }

    @Override
    public synchronized int mapSetPinPath(long map, String path) {
        int rc = enter("mapSetPinPath");
        if (rc < 0) {
            return rc;
        }
        ObjMap m = objMap(map);
        if (m.map != null) {
            return -Errno.EBUSY;
        }
        m.pinPath = path;
        return 0;
    }

    @Override
    public synchronized String mapPinPath(long map) {
        return objMap(map).pinPath;
    }

    @Override
    public synchronized int mapSetInitialValue(long map, long data, long size) {
        int rc = enter("mapSetInitialValue");
        if (rc < 0) {
            return rc;
        }
        ObjMap m = objMap(map);
        if (m.map != null) {
            return -Errno.EBUSY;
        }
        if (m.initialValue == null || size != m.valueSize) {
            return -Errno.EINVAL;
        }
        try {
            m.initialValue = memory.read(data, (int) size);
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
        return 0;
    }

    @Override
    public synchronized byte[] mapInitialValue(long map) {
        ObjMap m = objMap(map);
        if (m.initialValue == null) {
            return null;
        }
        if (m.map != null) {
            byte[] v = m.map.lookup(new byte[4]);
            return v == null ? null : Arrays.copyOf(v, m.valueSize);
        }
        return m.initialValue.clone();
    }

    @Override
    public synchronized int mapFd(long map) {
        ObjMap m = objMap(map);
        return m.fd >= 0 ? m.fd : -Errno.EINVAL;
    }

    @Override
    public synchronized int mapReuseFd(long map, int fd) {
        int rc = enter("mapReuseFd");
        if (rc < 0) {
            return rc;
        }
        ObjMap m = objMap(map);
        FakeMap target = mapFdTarget(fd);
        if (target == null) {
            return -Errno.EBADF;
        }
        if (m.map != null) {
            return -Errno.EBUSY;
        }
        // libbpf adopts the existing map's definition; the object then uses it at load.
        m.reused = target;
        m.maxEntries = target.maxEntries;
        return 0;
    }

    // ---------------------------------------------------------------- map operations

    @Override
    public synchronized int mapUpdate(int fd, long key, long value, long flags) {
        int rc = enter("mapUpdate");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        try {
            return m.update(memory.read(key, m.keySize), memory.read(value, m.stride), flags);
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapLookup(int fd, long key, long value) {
        int rc = enter("mapLookup");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        try {
            byte[] v = m.lookup(memory.read(key, m.keySize));
            if (v == null) {
                return -Errno.ENOENT;
            }
            memory.write(value, v);
            return 0;
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapDelete(int fd, long key) {
        int rc = enter("mapDelete");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        try {
            return m.delete(memory.read(key, m.keySize));
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapGetNextKey(int fd, long key, long nextKey) {
        int rc = enter("mapGetNextKey");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        try {
            byte[] next = m.nextKey(key == 0 ? null : memory.read(key, m.keySize));
            if (next == null) {
                return -Errno.ENOENT;
            }
            memory.write(nextKey, next);
            return 0;
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapLookupAndDelete(int fd, long key, long value) {
        int rc = enter("mapLookupAndDelete");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        if (FakeMap.isArray(m.type)) {
            return -Errno.ENOTSUPP;
        }
        try {
            byte[] k = memory.read(key, m.keySize);
            byte[] v = m.lookup(k);
            if (v == null) {
                return -Errno.ENOENT;
            }
            memory.write(value, v);
            m.delete(k);
            return 0;
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapLookupBatch(int fd, long inBatch, long outBatch, long keys, long values, long count,
                                           long elemFlags, long flags) {
        int rc = enter("mapLookupBatch");
        return rc < 0 ? rc : lookupBatch(fd, inBatch, outBatch, keys, values, count, false);
    }

    @Override
    public synchronized int mapLookupAndDeleteBatch(int fd, long inBatch, long outBatch, long keys, long values,
                                                    long count, long elemFlags, long flags) {
        int rc = enter("mapLookupAndDeleteBatch");
        return rc < 0 ? rc : lookupBatch(fd, inBatch, outBatch, keys, values, count, true);
    }

    /** The batch cursor is the position in iteration order, as a u32. */
    private int lookupBatch(int fd, long inBatch, long outBatch, long keys, long values, long count, boolean delete) {
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        if (delete && FakeMap.isArray(m.type)) {
            return -Errno.ENOTSUPP;
        }
        try {
            int capacity = memory.readInt(count);
            if (capacity <= 0) {
                return -Errno.EINVAL;
            }
            int start = inBatch == 0 ? 0 : memory.readInt(inBatch);
            List<Map.Entry<byte[], byte[]>> got = m.range(delete ? 0 : start, capacity);
            for (int i = 0; i < got.size(); i++) {
                memory.write(keys + (long) i * m.keySize, got.get(i).getKey());
                memory.write(values + (long) i * m.stride, got.get(i).getValue());
            }
            if (delete) {
                for (Map.Entry<byte[], byte[]> e : got) {
                    m.delete(e.getKey());
                }
            }
            int end = (delete ? 0 : start) + got.size();
            memory.writeInt(count, got.size());
            memory.writeInt(outBatch, delete ? 0 : end);
            boolean done = delete ? m.size() == 0 : end >= m.size();
            return done ? -Errno.ENOENT : 0;
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapUpdateBatch(int fd, long keys, long values, long count, long elemFlags, long flags) {
        int rc = enter("mapUpdateBatch");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        try {
            int n = memory.readInt(count);
            for (int i = 0; i < n; i++) {
                int r = m.update(memory.read(keys + (long) i * m.keySize, m.keySize),
                        memory.read(values + (long) i * m.stride, m.stride), elemFlags);
                if (r < 0) {
                    memory.writeInt(count, i);
                    return r;
                }
            }
            return 0;
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapDeleteBatch(int fd, long keys, long count, long elemFlags, long flags) {
        int rc = enter("mapDeleteBatch");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            return -Errno.EBADF;
        }
        if (FakeMap.isArray(m.type)) {
            return -Errno.ENOTSUPP;
        }
        try {
            int n = memory.readInt(count);
            for (int i = 0; i < n; i++) {
                int r = m.delete(memory.read(keys + (long) i * m.keySize, m.keySize));
                if (r < 0) {
                    memory.writeInt(count, i);
                    return r;
                }
            }
            return 0;
        } catch (FakeMemory.Fault f) {
            return -Errno.EFAULT;
        }
    }

    @Override
    public synchronized int mapCreate(int type, String name, int keySize, int valueSize, int maxEntries, int mapFlags) {
        int rc = enter("mapCreate");
        if (rc < 0) {
            return rc;
        }
        int v = FakeMap.validate(type, keySize, valueSize, maxEntries);
        if (v < 0) {
            return v;
        }
        return newFd(createMap(name == null ? "" : name, type, keySize, valueSize, maxEntries, mapFlags));
    }

    // ---------------------------------------------------------------- fds, pins, info

    /** The fake's own pins: {@link #pinnedPaths}, under {@link #setBpfFsRoot}. */
    @Override
    public BpfFs bpfFs() {
        return bpfFs;
    }

    @Override
    public synchronized int objPin(int fd, String path) {
        int rc = enter("objPin");
        if (rc < 0) {
            return rc;
        }
        Object target = fds.get(fd);
        if (target == null) {
            return -Errno.EBADF;
        }
        if (!isOnBpfFs(path)) {
            return -Errno.EPERM;
        }
        if (pins.containsKey(path)) {
            return -Errno.EEXIST;
        }
        pins.put(path, target);
        if (target instanceof Link l) {
            l.pinned = true;
        }
        return 0;
    }

    @Override
    public synchronized int objGet(String path) {
        int rc = enter("objGet");
        if (rc < 0) {
            return rc;
        }
        Object target = pins.get(path);
        return target == null ? -Errno.ENOENT : newFd(target);
    }

    @Override
    public synchronized void close(int fd) {
        enter("close");
        Object target = fds.remove(fd);
        if (target instanceof Link l) {
            l.fds--;
            releaseLinkIfUnused(l);
        }
    }

    @Override
    public synchronized MapInfo mapInfo(int fd) {
        enterOrThrow("mapInfo");
        FakeMap m = mapFdTarget(fd);
        if (m == null) {
            throw BpfException.of("bpf_obj_get_info_by_fd(" + fd + ")", fds.containsKey(fd) ? Errno.EINVAL : Errno.EBADF);
        }
        return new MapInfo(m.type, m.id, m.keySize, m.valueSize, m.maxEntries, m.flags, m.name);
    }

    @Override
    public synchronized ProgInfo progInfo(int fd) {
        enterOrThrow("progInfo");
        if (!(fds.get(fd) instanceof Prog p)) {
            throw BpfException.of("bpf_obj_get_info_by_fd(" + fd + ")", fds.containsKey(fd) ? Errno.EINVAL : Errno.EBADF);
        }
        return new ProgInfo(p.type, p.id, p.name, 64, 64, 8, 0, 0);
    }

    @Override
    public synchronized LinkInfo linkInfo(int fd) {
        enterOrThrow("linkInfo");
        if (!(fds.get(fd) instanceof Link l)) {
            throw BpfException.of("bpf_obj_get_info_by_fd(" + fd + ")", fds.containsKey(fd) ? Errno.EINVAL : Errno.EBADF);
        }
        return new LinkInfo(LinkInfo.TYPE_TCX, l.id, l.prog.id, l.attached ? l.ifindex : 0, l.attachType);
    }

    @Override
    public synchronized int progFdById(int id) {
        int rc = enter("progFdById");
        if (rc < 0) {
            return rc;
        }
        Prog p = progsById.get(id);
        return p == null ? -Errno.ENOENT : newFd(p);
    }

    @Override
    public synchronized int mapFdById(int id) {
        int rc = enter("mapFdById");
        if (rc < 0) {
            return rc;
        }
        FakeMap m = mapsById.get(id);
        return m == null ? -Errno.ENOENT : newFd(m);
    }

    @Override
    public TestRunResult progTestRun(int progFd, TestRunRequest request) {
        Function<TestRunRequest, TestRunResult> f;
        synchronized (this) {
            enterOrThrow("progTestRun");
            if (!(fds.get(progFd) instanceof Prog p)) {
                throw BpfException.of("bpf_prog_test_run_opts(" + progFd + ")", Errno.EBADF);
            }
            f = testRuns.get(p.name);
        }
        if (f != null) {
            return f.apply(request);
        }
        byte[] out = Arrays.copyOf(request.dataIn(), Math.min(request.dataIn().length, request.dataOutCapacity()));
        return new TestRunResult(0, out, request.ctxIn() == null ? null : request.ctxIn().clone(), 0);
    }

    // ---------------------------------------------------------------- TC

    private boolean knownIfindex(int ifindex) {
        return interfaces.containsValue(ifindex);
    }

    @Override
    public synchronized int tcHookCreate(int ifindex, TcAttachPoint point) {
        int rc = enter("tcHookCreate");
        if (rc < 0) {
            return rc;
        }
        if (!knownIfindex(ifindex)) {
            return -Errno.ENODEV;
        }
        return clsact.add(ifindex) ? 1 : 0;
    }

    @Override
    public synchronized int tcAttach(int ifindex, TcAttachPoint point, int handle, int priority, int progFd,
                                     boolean replace) {
        int rc = enter("tcAttach");
        if (rc < 0) {
            return rc;
        }
        if (!knownIfindex(ifindex)) {
            return -Errno.ENODEV;
        }
        if (handle == 0 || priority <= 0 || priority > 0xffff) {
            return -Errno.EINVAL;
        }
        if (!clsact.contains(ifindex)) {
            return -Errno.EINVAL;
        }
        if (!(fds.get(progFd) instanceof Prog p)) {
            return -Errno.EBADF;
        }
        FilterKey k = new FilterKey(ifindex, point, handle, priority);
        if (filters.containsKey(k) && !replace) {
            return -Errno.EEXIST;
        }
        filters.put(k, p.id);
        return p.id;
    }

    @Override
    public synchronized int tcDetach(int ifindex, TcAttachPoint point, int handle, int priority) {
        int rc = enter("tcDetach");
        if (rc < 0) {
            return rc;
        }
        if (!knownIfindex(ifindex)) {
            return -Errno.ENODEV;
        }
        return filters.remove(new FilterKey(ifindex, point, handle, priority)) == null ? -Errno.ENOENT : 0;
    }

    @Override
    public synchronized int tcQuery(int ifindex, TcAttachPoint point, int handle, int priority) {
        int rc = enter("tcQuery");
        if (rc < 0) {
            return rc;
        }
        if (!knownIfindex(ifindex)) {
            return -Errno.ENODEV;
        }
        Integer id = filters.get(new FilterKey(ifindex, point, handle, priority));
        return id == null ? -Errno.ENOENT : id;
    }

    @Override
    public synchronized int linkCreate(int progFd, int target, int attachType) {
        int rc = enter("linkCreate");
        if (rc < 0) {
            return rc;
        }
        boolean tcx = attachType == TcAttachPoint.INGRESS.tcxAttachType()
                || attachType == TcAttachPoint.EGRESS.tcxAttachType();
        if (!tcx || !tcxSupported) {
            return -Errno.EINVAL;
        }
        if (!(fds.get(progFd) instanceof Prog p)) {
            return -Errno.EBADF;
        }
        if (!knownIfindex(target)) {
            return -Errno.ENODEV;
        }
        Link l = new Link(nextId++, p, target, attachType);
        links.add(l);
        return newFd(l);
    }

    @Override
    public synchronized int linkDetach(int linkFd) {
        int rc = enter("linkDetach");
        if (rc < 0) {
            return rc;
        }
        if (!(fds.get(linkFd) instanceof Link l)) {
            return -Errno.EBADF;
        }
        l.attached = false;
        l.ifindex = 0;
        return 0;
    }

    // ---------------------------------------------------------------- libc

    @Override
    public synchronized int ifNameToIndex(String name) {
        enter("ifNameToIndex");
        return interfaces.getOrDefault(name, 0);
    }

    @Override
    public synchronized String ifIndexToName(int ifindex) {
        enter("ifIndexToName");
        for (Map.Entry<String, Integer> e : interfaces.entrySet()) {
            if (e.getValue() == ifindex) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Runs the task on the calling thread: the fake has one network namespace. */
    /** The fake has no sockets: {@code -ENOSYS} (give XMasq a HostInterfaces, as FakeHost does). */
    @Override
    public synchronized int socket(int domain, int type, int protocol) {
        int rc = enter("socket");
        return rc < 0 ? rc : -Errno.ENOSYS;
    }

    @Override
    public synchronized long send(int fd, long buf, long length, int flags) {
        int rc = enter("send");
        return rc < 0 ? rc : -Errno.EBADF;
    }

    @Override
    public synchronized long recv(int fd, long buf, long capacity, int flags) {
        int rc = enter("recv");
        return rc < 0 ? rc : -Errno.EBADF;
    }

    @Override
    public <T> T inNetns(Path netnsPath, Callable<T> task) {
        synchronized (this) {
            enterOrThrow("inNetns");
        }
        try {
            return task.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}
