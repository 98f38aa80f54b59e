package org.xmasq.libbpf.support;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfLog;

/**
 * A test object opened from memory through the backend under test, with its maps and programs found by name.
 * Close it in a finally (try-with-resources) so the object and its fds go away even when a test fails.
 */
public final class OpenObject implements AutoCloseable {
    private final LibBpf lib;
    private final ByteBuffer elf;
    private final long obj;
    private final Map<String, Long> maps = new LinkedHashMap<>();
    private final Map<String, Long> progs = new LinkedHashMap<>();

    private OpenObject(LibBpf lib, ByteBuffer elf, long obj) {
        this.lib = lib;
        this.elf = elf;
        this.obj = obj;
        for (long m = lib.objectNextMap(obj, 0); m != 0; m = lib.objectNextMap(obj, m)) {
            maps.put(lib.mapName(m), m);
        }
        for (long p = lib.objectNextProgram(obj, 0); p != 0; p = lib.objectNextProgram(obj, p)) {
            progs.put(lib.programName(p), p);
        }
    }

    /** Opens {@code resource} from memory with object name {@code name}; fails the test on -errno. */
    public static OpenObject open(LibBpf lib, String resource, String name) {
        ByteBuffer elf = TestObjects.direct(resource);
        long obj = lib.objectOpenMem(lib.address(elf), elf.capacity(), name);
        BpfException.check(obj, "bpf_object__open_mem(" + resource + ")");
        return new OpenObject(lib, elf, obj);
    }

    /** Opens xmasq_test.bpf.o as "xmasq_test". */
    public static OpenObject openTest(LibBpf lib) {
        return open(lib, TestObjects.TEST, "xmasq_test");
    }

    /** Opens and loads xmasq_test.bpf.o. */
    public static OpenObject loadTest(LibBpf lib) {
        OpenObject o = openTest(lib);
        try {
            o.load();
            return o;
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** bpf_object__load; throws with the captured log on failure. */
    public void load() {
        LibBpfLog.Captured<Integer> c = LibBpfLog.capture(() -> lib.objectLoad(obj));
        if (c.value() < 0) {
            throw new IllegalStateException("load failed: " + c.value() + "\n" + c.log());
        }
    }

    public long handle() {
        return obj;
    }

    /** The map handle called {@code name}. */
    public long map(String name) {
        Long m = maps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no map " + name + " in " + maps.keySet());
        }
        return m;
    }

    /** The .rodata map (libbpf names it after a prefix of the object name). */
    public long rodata() {
        return maps.entrySet().stream().filter(e -> e.getKey().endsWith(".rodata")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no .rodata in " + maps.keySet())).getValue();
    }

    public List<String> mapNames() {
        return new ArrayList<>(maps.keySet());
    }

    public List<String> programNames() {
        return new ArrayList<>(progs.keySet());
    }

    /** The program handle called {@code name}. */
    public long program(String name) {
        Long p = progs.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no program " + name + " in " + progs.keySet());
        }
        return p;
    }

    /** The fd of a loaded map. */
    public int mapFd(String name) {
        return BpfException.check(lib.mapFd(map(name)), "bpf_map__fd(" + name + ")");
    }

    /** The fd of a loaded program. */
    public int progFd(String name) {
        return BpfException.check(lib.programFd(program(name)), "bpf_program__fd(" + name + ")");
    }

    /** Sum over all CPUs of the __u64 at {@code index} of the per-CPU map {@code name}. */
    public long perCpuSum(String name, int index) {
        int cpus = lib.possibleCpus();
        ByteBuffer key = TestObjects.buffer(4).putInt(0, index);
        ByteBuffer values = TestObjects.buffer(cpus * 8);
        BpfException.check(lib.mapLookup(mapFd(name), lib.address(key), lib.address(values)), "lookup " + name);
        long sum = 0;
        for (int c = 0; c < cpus; c++) {
            sum += values.getLong(c * 8);
        }
        return sum;
    }

    /** The __u64 at {@code index} of the array map {@code name}. */
    public long arrayValue(String name, int index) {
        ByteBuffer key = TestObjects.buffer(4).putInt(0, index);
        ByteBuffer value = TestObjects.buffer(8);
        BpfException.check(lib.mapLookup(mapFd(name), lib.address(key), lib.address(value)), "lookup " + name);
        return value.getLong(0);
    }

    @Override
    public void close() {
        lib.objectClose(obj);
        java.lang.ref.Reference.reachabilityFence(elf);
    }
}
