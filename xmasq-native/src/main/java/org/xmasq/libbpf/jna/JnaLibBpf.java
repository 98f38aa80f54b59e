package org.xmasq.libbpf.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfVersion;
import org.xmasq.libbpf.LinkInfo;
import org.xmasq.libbpf.MapInfo;
import org.xmasq.libbpf.NetnsThread;
import org.xmasq.libbpf.ProgInfo;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.TcReplies;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.TestRunResult;

/**
 * The {@link LibBpf} backend for JDK 17-21: libbpf.so.1 and libc through JNA direct mapping. Map operations pass
 * raw addresses straight through; the batch calls fill per-thread option structs; everything else allocates the
 * little native memory it needs per call.
 */
public final class JnaLibBpf implements LibBpf {
    /** Held for the life of the process: libbpf keeps calling it after any instance is gone. */
    private static final PrintHandler PRINT = new PrintHandler();
    private static final Object INSTALL_LOCK = new Object();
    private static boolean printInstalled;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final LibBpfVersion version;
    private final int possibleCpus;

    public JnaLibBpf() {
        // Load the library here, not only in LibbpfNative's static initializer: a failed class initialization is
        // reported as a bare NoClassDefFoundError on every later attempt, while this names the cause each time.
        NativeLibraries.libbpf();
        version = new LibBpfVersion(LibbpfNative.libbpf_major_version(), LibbpfNative.libbpf_minor_version());
        synchronized (INSTALL_LOCK) {
            if (!printInstalled) {
                LibbpfNative.libbpf_set_print(PRINT);
                printInstalled = true;
            }
        }
        possibleCpus = BpfException.check(LibbpfNative.libbpf_num_possible_cpus(), "libbpf_num_possible_cpus");
    }

    @Override
    public String backend() {
        return "jna";
    }

    @Override
    public LibBpfVersion version() {
        return version;
    }

    @Override
    public int possibleCpus() {
        return possibleCpus;
    }

    @Override
    public long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }

    // ---------------------------------------------------------------- objects

    @Override
    public long objectOpenMem(long elf, long size, String name) {
        Memory opts = zeroed(Structs.OpenOpts.SIZE);
        opts.setLong(Structs.OpenOpts.SZ, Structs.OpenOpts.SIZE);
        Memory nameMem = name == null ? null : cString(name);
        if (nameMem != null) {
            opts.setPointer(Structs.OpenOpts.OBJECT_NAME, nameMem);
        }
        long obj = LibbpfNative.bpf_object__open_mem(elf, size, Pointer.nativeValue(opts));
        int errno = obj == 0 ? lastErrno() : 0;
        keepAlive(opts, nameMem);
        return obj == 0 ? -errno : obj;
    }

    @Override
    public long objectOpenFile(String path) {
        Objects.requireNonNull(path, "path");
        long obj = LibbpfNative.bpf_object__open_file(path, 0);
        return obj == 0 ? -lastErrno() : obj;
    }

    @Override
    public int objectLoad(long obj) {
        return LibbpfNative.bpf_object__load(obj);
    }

    @Override
    public void objectClose(long obj) {
        if (obj != 0) {
            LibbpfNative.bpf_object__close(obj);
        }
    }

    @Override
    public String objectName(long obj) {
        return LibbpfNative.bpf_object__name(obj);
    }

    @Override
    public long objectNextProgram(long obj, long prev) {
        return LibbpfNative.bpf_object__next_program(obj, prev);
    }

    @Override
    public long objectNextMap(long obj, long prev) {
        return LibbpfNative.bpf_object__next_map(obj, prev);
    }

    // ---------------------------------------------------------------- programs

    @Override
    public String programName(long prog) {
        return LibbpfNative.bpf_program__name(prog);
    }

    @Override
    public String programSection(long prog) {
        return LibbpfNative.bpf_program__section_name(prog);
    }

    @Override
    public int programType(long prog) {
        return LibbpfNative.bpf_program__type(prog);
    }

    @Override
    public int programFd(long prog) {
        return LibbpfNative.bpf_program__fd(prog);
    }

    // ---------------------------------------------------------------- maps of an object

    @Override
    public String mapName(long map) {
        return LibbpfNative.bpf_map__name(map);
    }

    @Override
    public int mapType(long map) {
        return LibbpfNative.bpf_map__type(map);
    }

    @Override
    public int mapKeySize(long map) {
        return LibbpfNative.bpf_map__key_size(map);
    }

    @Override
    public int mapValueSize(long map) {
        return LibbpfNative.bpf_map__value_size(map);
    }

    @Override
    public int mapMaxEntries(long map) {
        return LibbpfNative.bpf_map__max_entries(map);
    }

    @Override
    public int mapSetMaxEntries(long map, int maxEntries) {
        return LibbpfNative.bpf_map__set_max_entries(map, maxEntries);
    }

    @Override
    public int mapSetPinPath(long map, String path) {
        return LibbpfNative.bpf_map__set_pin_path(map, path);
    }

    @Override
    public String mapPinPath(long map) {
        return LibbpfNative.bpf_map__pin_path(map);
    }

    @Override
    public int mapSetInitialValue(long map, long data, long size) {
        return LibbpfNative.bpf_map__set_initial_value(map, data, size);
    }

    @Override
    public byte[] mapInitialValue(long map) {
        Scratch s = SCRATCH.get();
        s.word.setLong(0, 0);
        long data = LibbpfNative.bpf_map__initial_value(map, s.wordAddress);
        if (data == 0) {
            return null;
        }
        long size = s.word.getLong(0);
        return new Pointer(data).getByteArray(0, Math.toIntExact(size));
    }

    @Override
    public int mapFd(long map) {
        return LibbpfNative.bpf_map__fd(map);
    }

    @Override
    public int mapReuseFd(long map, int fd) {
        return LibbpfNative.bpf_map__reuse_fd(map, fd);
    }

    // ---------------------------------------------------------------- map operations (hot path)

    @Override
    public int mapUpdate(int fd, long key, long value, long flags) {
        return LibbpfNative.bpf_map_update_elem(fd, key, value, flags);
    }

    @Override
    public int mapLookup(int fd, long key, long value) {
        return LibbpfNative.bpf_map_lookup_elem(fd, key, value);
    }

    @Override
    public int mapDelete(int fd, long key) {
        return LibbpfNative.bpf_map_delete_elem(fd, key);
    }

    @Override
    public int mapGetNextKey(int fd, long key, long nextKey) {
        return LibbpfNative.bpf_map_get_next_key(fd, key, nextKey);
    }

    @Override
    public int mapLookupAndDelete(int fd, long key, long value) {
        return LibbpfNative.bpf_map_lookup_and_delete_elem(fd, key, value);
    }

    @Override
    public int mapLookupBatch(int fd, long inBatch, long outBatch, long keys, long values, long count,
                              long elemFlags, long flags) {
        return LibbpfNative.bpf_map_lookup_batch(fd, inBatch, outBatch, keys, values, count,
                SCRATCH.get().batchOpts(elemFlags, flags));
    }

    @Override
    public int mapLookupAndDeleteBatch(int fd, long inBatch, long outBatch, long keys, long values, long count,
                                       long elemFlags, long flags) {
        return LibbpfNative.bpf_map_lookup_and_delete_batch(fd, inBatch, outBatch, keys, values, count,
                SCRATCH.get().batchOpts(elemFlags, flags));
    }

    @Override
    public int mapUpdateBatch(int fd, long keys, long values, long count, long elemFlags, long flags) {
        return LibbpfNative.bpf_map_update_batch(fd, keys, values, count, SCRATCH.get().batchOpts(elemFlags, flags));
    }

    @Override
    public int mapDeleteBatch(int fd, long keys, long count, long elemFlags, long flags) {
        return LibbpfNative.bpf_map_delete_batch(fd, keys, count, SCRATCH.get().batchOpts(elemFlags, flags));
    }

    @Override
    public int mapCreate(int type, String name, int keySize, int valueSize, int maxEntries, int mapFlags) {
        Memory opts = zeroed(Structs.MapCreateOpts.SIZE);
        opts.setLong(Structs.MapCreateOpts.SZ, Structs.MapCreateOpts.SIZE);
        opts.setInt(Structs.MapCreateOpts.MAP_FLAGS, mapFlags);
        int fd = LibbpfNative.bpf_map_create(type, name, keySize, valueSize, maxEntries, Pointer.nativeValue(opts));
        keepAlive(opts);
        return fd;
    }

    // ---------------------------------------------------------------- fds, pins, info

    @Override
    public int objPin(int fd, String path) {
        Objects.requireNonNull(path, "path");
        return LibbpfNative.bpf_obj_pin(fd, path);
    }

    @Override
    public int objGet(String path) {
        Objects.requireNonNull(path, "path");
        return LibbpfNative.bpf_obj_get(path);
    }

    @Override
    public void close(int fd) {
        if (fd >= 0) {
            LibcNative.close(fd);
        }
    }

    @Override
    public MapInfo mapInfo(int fd) {
        Memory info = infoByFd(fd, Structs.MapInfo.SIZE, "map");
        return new MapInfo(
                info.getInt(Structs.MapInfo.TYPE),
                info.getInt(Structs.MapInfo.ID),
                info.getInt(Structs.MapInfo.KEY_SIZE),
                info.getInt(Structs.MapInfo.VALUE_SIZE),
                info.getInt(Structs.MapInfo.MAX_ENTRIES),
                info.getInt(Structs.MapInfo.MAP_FLAGS),
                fixedString(info, Structs.MapInfo.NAME, Structs.MapInfo.NAME_LEN));
    }

    @Override
    public ProgInfo progInfo(int fd) {
        Memory info = infoByFd(fd, Structs.ProgInfo.SIZE, "program");
        return new ProgInfo(
                info.getInt(Structs.ProgInfo.TYPE),
                info.getInt(Structs.ProgInfo.ID),
                fixedString(info, Structs.ProgInfo.NAME, Structs.ProgInfo.NAME_LEN),
                info.getInt(Structs.ProgInfo.JITED_PROG_LEN),
                info.getInt(Structs.ProgInfo.XLATED_PROG_LEN),
                info.getInt(Structs.ProgInfo.VERIFIED_INSNS),
                info.getLong(Structs.ProgInfo.RUN_TIME_NS),
                info.getLong(Structs.ProgInfo.RUN_CNT));
    }

    @Override
    public LinkInfo linkInfo(int fd) {
        Memory info = infoByFd(fd, Structs.LinkInfo.SIZE, "link");
        return new LinkInfo(
                info.getInt(Structs.LinkInfo.TYPE),
                info.getInt(Structs.LinkInfo.ID),
                info.getInt(Structs.LinkInfo.PROG_ID),
                info.getInt(Structs.LinkInfo.TCX_IFINDEX),
                info.getInt(Structs.LinkInfo.TCX_ATTACH_TYPE));
    }

    /** bpf_obj_get_info_by_fd into a zeroed struct of {@code size} bytes followed by its __u32 info_len. */
    private static Memory infoByFd(int fd, int size, String what) {
        Memory m = zeroed(size + 8L);
        m.setInt(size, size);
        long base = Pointer.nativeValue(m);
        BpfException.check(LibbpfNative.bpf_obj_get_info_by_fd(fd, base, base + size),
                "bpf_obj_get_info_by_fd(" + what + " fd " + fd + ")");
        return m;
    }

    @Override
    public int progFdById(int id) {
        return LibbpfNative.bpf_prog_get_fd_by_id(id);
    }

    @Override
    public int mapFdById(int id) {
        return LibbpfNative.bpf_map_get_fd_by_id(id);
    }

    // ---------------------------------------------------------------- program test run

    @Override
    public TestRunResult progTestRun(int progFd, TestRunRequest request) {
        byte[] dataIn = request.dataIn();
        byte[] ctxIn = request.ctxIn();
        Memory opts = zeroed(Structs.TestRunOpts.SIZE);
        Memory dataInMem = copyIn(dataIn);
        Memory dataOutMem = request.dataOutCapacity() > 0 ? zeroed(request.dataOutCapacity()) : null;
        Memory ctxInMem = ctxIn == null ? null : copyIn(ctxIn);
        Memory ctxOutMem = request.ctxOutCapacity() > 0 ? zeroed(request.ctxOutCapacity()) : null;

        opts.setLong(Structs.TestRunOpts.SZ, Structs.TestRunOpts.SIZE);
        opts.setPointer(Structs.TestRunOpts.DATA_IN, dataInMem);
        opts.setInt(Structs.TestRunOpts.DATA_SIZE_IN, dataIn.length);
        opts.setPointer(Structs.TestRunOpts.DATA_OUT, dataOutMem);
        opts.setInt(Structs.TestRunOpts.DATA_SIZE_OUT, request.dataOutCapacity());
        opts.setPointer(Structs.TestRunOpts.CTX_IN, ctxInMem);
        opts.setInt(Structs.TestRunOpts.CTX_SIZE_IN, ctxIn == null ? 0 : ctxIn.length);
        opts.setPointer(Structs.TestRunOpts.CTX_OUT, ctxOutMem);
        opts.setInt(Structs.TestRunOpts.CTX_SIZE_OUT, request.ctxOutCapacity());
        opts.setInt(Structs.TestRunOpts.REPEAT, request.repeat());

        BpfException.check(LibbpfNative.bpf_prog_test_run_opts(progFd, Pointer.nativeValue(opts)),
                "bpf_prog_test_run_opts(prog fd " + progFd + ")");
        byte[] dataOut = copyOut(dataOutMem, opts.getInt(Structs.TestRunOpts.DATA_SIZE_OUT),
                request.dataOutCapacity());
        byte[] ctxOut = copyOut(ctxOutMem, opts.getInt(Structs.TestRunOpts.CTX_SIZE_OUT), request.ctxOutCapacity());
        TestRunResult result = new TestRunResult(opts.getInt(Structs.TestRunOpts.RETVAL), dataOut, ctxOut,
                opts.getInt(Structs.TestRunOpts.DURATION));
        keepAlive(dataInMem, ctxInMem);
        return result;
    }

    private static Memory copyIn(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    /** The {@code size} bytes the kernel wrote, never more than the buffer holds. */
    private static byte[] copyOut(Memory m, int size, int capacity) {
        if (m == null) {
            return new byte[0];
        }
        return m.getByteArray(0, (int) Math.min(Integer.toUnsignedLong(size), capacity));
    }

    // ---------------------------------------------------------------- tc

    @Override
    public int tcHookCreate(int ifindex, TcAttachPoint point) {
        Scratch s = SCRATCH.get();
        int rc = LibbpfNative.bpf_tc_hook_create(s.tcHook(ifindex, point));
        if (rc == 0) {
            return 1;
        }
        return rc == -Errno.EEXIST ? 0 : rc;
    }

    @Override
    public int tcAttach(int ifindex, TcAttachPoint point, int handle, int priority, int progFd, boolean replace) {
        if (handle == 0 || priority == 0) {
            // libbpf would pick a free slot itself; we must only ever touch the one we name
            return -Errno.EINVAL;
        }
        Scratch s = SCRATCH.get();
        long hook = s.tcHook(ifindex, point);
        long opts = s.tcOpts(handle, priority, progFd, replace ? Structs.TcOpts.F_REPLACE : 0);
        int rc = LibbpfNative.bpf_tc_attach(hook, opts);
        return rc < 0 ? rc : s.tcOptsMem.getInt(Structs.TcOpts.PROG_ID);
    }

    @Override
    public int tcDetach(int ifindex, TcAttachPoint point, int handle, int priority) {
        Scratch s = SCRATCH.get();
        int rc = LibbpfNative.bpf_tc_detach(s.tcHook(ifindex, point), s.tcOpts(handle, priority, 0, 0));
        return TcReplies.absentIsEnoent(rc, ifindex, handle, priority);
    }

    @Override
    public int tcQuery(int ifindex, TcAttachPoint point, int handle, int priority) {
        Scratch s = SCRATCH.get();
        int rc = LibbpfNative.bpf_tc_query(s.tcHook(ifindex, point), s.tcOpts(handle, priority, 0, 0));
        if (rc < 0) {
            return TcReplies.absentIsEnoent(rc, ifindex, handle, priority);
        }
        return s.tcOptsMem.getInt(Structs.TcOpts.PROG_ID);
    }

    // ---------------------------------------------------------------- links

    @Override
    public int linkCreate(int progFd, int target, int attachType) {
        return LibbpfNative.bpf_link_create(progFd, target, attachType, 0);
    }

    @Override
    public int linkDetach(int linkFd) {
        return LibbpfNative.bpf_link_detach(linkFd);
    }

    // ---------------------------------------------------------------- libc

    @Override
    public int ifNameToIndex(String name) {
        Objects.requireNonNull(name, "name");
        return LibcNative.if_nametoindex(name);
    }

    @Override
    public String ifIndexToName(int ifindex) {
        Scratch s = SCRATCH.get();
        long p = LibcNative.if_indextoname(ifindex, s.ifNameAddress);
        return p == 0 ? null : s.ifName.getString(0, StandardCharsets.UTF_8.name());
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        int fd = LibcNative.socket(domain, type, protocol);
        return fd < 0 ? -lastErrno() : fd;
    }

    @Override
    public long send(int fd, long buf, long length, int flags) {
        long n = LibcNative.send(fd, buf, length, flags);
        return n < 0 ? -lastErrno() : n;
    }

    @Override
    public long recv(int fd, long buf, long capacity, int flags) {
        long n = LibcNative.recv(fd, buf, capacity, flags);
        return n < 0 ? -lastErrno() : n;
    }

    @Override
    public <T> T inNetns(Path netnsPath, Callable<T> task) {
        return NetnsThread.run(NETNS_CALLS, netnsPath, task);
    }

    private static final NetnsThread.Syscalls NETNS_CALLS = new NetnsThread.Syscalls() {
        @Override
        public int open(String path) {
            int fd = LibcNative.open(path, NetnsThread.O_RDONLY_CLOEXEC, 0);
            return fd < 0 ? -lastErrno() : fd;
        }

        @Override
        public int setnsNet(int fd) {
            return LibcNative.setns(fd, NetnsThread.CLONE_NEWNET) < 0 ? -lastErrno() : 0;
        }

        @Override
        public void close(int fd) {
            LibcNative.close(fd);
        }
    };

    // ---------------------------------------------------------------- helpers

    /** errno of the call that just failed on this thread; libbpf and libc always set it when they signal failure. */
    private static int lastErrno() {
        int e = Native.getLastError();
        return e > 0 ? e : Errno.EINVAL;
    }

    private static Memory zeroed(long size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        Memory m = zeroed(b.length + 1L);
        m.write(0, b, 0, b.length);
        return m;
    }

    private static String fixedString(Memory m, int offset, int len) {
        byte[] b = m.getByteArray(offset, len);
        int n = 0;
        while (n < len && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** Keeps native memory reachable until the native call that uses its address has returned. */
    private static void keepAlive(Object... memories) {
        Reference.reachabilityFence(memories);
    }

    /** Per-thread native scratch for option structs on paths that must not allocate. */
    private static final class Scratch {
        final Memory batchOpts = zeroed(Structs.BatchOpts.SIZE);
        final long batchOptsAddress = Pointer.nativeValue(batchOpts);
        final Memory tcHook = zeroed(Structs.TcHook.SIZE);
        final long tcHookAddress = Pointer.nativeValue(tcHook);
        final Memory tcOptsMem = zeroed(Structs.TcOpts.SIZE);
        final long tcOptsAddress = Pointer.nativeValue(tcOptsMem);
        final Memory word = zeroed(8);
        final long wordAddress = Pointer.nativeValue(word);
        final Memory ifName = zeroed(32); // IF_NAMESIZE is 16
        final long ifNameAddress = Pointer.nativeValue(ifName);

        Scratch() {
            batchOpts.setLong(Structs.BatchOpts.SZ, Structs.BatchOpts.SIZE);
        }

        long batchOpts(long elemFlags, long flags) {
            batchOpts.setLong(Structs.BatchOpts.ELEM_FLAGS, elemFlags);
            batchOpts.setLong(Structs.BatchOpts.FLAGS, flags);
            return batchOptsAddress;
        }

        long tcHook(int ifindex, TcAttachPoint point) {
            tcHook.clear();
            tcHook.setLong(Structs.TcHook.SZ, Structs.TcHook.SIZE);
            tcHook.setInt(Structs.TcHook.IFINDEX, ifindex);
            tcHook.setInt(Structs.TcHook.ATTACH_POINT, point.libbpfValue());
            return tcHookAddress;
        }

        long tcOpts(int handle, int priority, int progFd, int flags) {
            tcOptsMem.clear();
            tcOptsMem.setLong(Structs.TcOpts.SZ, Structs.TcOpts.SIZE);
            tcOptsMem.setInt(Structs.TcOpts.PROG_FD, progFd);
            tcOptsMem.setInt(Structs.TcOpts.FLAGS, flags);
            tcOptsMem.setInt(Structs.TcOpts.HANDLE, handle);
            tcOptsMem.setInt(Structs.TcOpts.PRIORITY, priority);
            return tcOptsAddress;
        }
    }
}
