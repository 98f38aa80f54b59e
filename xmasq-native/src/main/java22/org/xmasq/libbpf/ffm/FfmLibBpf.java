package org.xmasq.libbpf.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
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
 * {@link LibBpf} over the Panama foreign function API (JDK 22+), with the hand-written bindings of
 * {@link LibBpfH} and {@link LibC}.
 *
 * <p>The map operations pass the caller's raw addresses straight through as {@code long}s and the batch calls use a
 * per-thread options struct, so the hot path allocates nothing. Everything else allocates its strings and structs
 * in a confined arena that is closed before the method returns.
 */
@SuppressWarnings("restricted") // sizing C strings and buffers libbpf returns
public final class FfmLibBpf implements LibBpf {
    /** IF_NAMESIZE of &lt;net/if.h&gt;. */
    private static final int IF_NAMESIZE = 16;

    /** Per-thread bpf_map_batch_opts, so a batch call allocates nothing. */
    private static final ThreadLocal<MemorySegment> BATCH_OPTS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BpfMapBatchOpts.LAYOUT));

    private final LibBpfVersion version;
    private final NetnsThread.Syscalls netnsSyscalls = new NetnsSyscalls();

    /** Loads libbpf.so.1 and installs the print callback; throws when libbpf cannot be loaded. */
    public FfmLibBpf() {
        try {
            int major = (int) LibBpfH.libbpf_major_version.H.invokeExact();
            int minor = (int) LibBpfH.libbpf_minor_version.H.invokeExact();
            version = new LibBpfVersion(major, minor);
            PrintCallback.install();
        } catch (LinkageError e) {
            // LibBpfH's initialiser failed (first time ExceptionInInitializerError, later NoClassDefFoundError):
            // name the real reason, typically "Cannot open library: libbpf.so.1".
            throw new IllegalStateException("libbpf.so.1 cannot be bound through FFM: " + rootMessage(e), e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot initialise libbpf through FFM", t);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    /** invokeExact declares Throwable; a downcall itself throws nothing checked, so anything else is a bug. */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected exception from a downcall", t);
    }

    private static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? null : p.reinterpret(Long.MAX_VALUE).getString(0, StandardCharsets.UTF_8);
    }

    /** A C string, or NULL for a null {@code s} where libbpf gives NULL a meaning (default name, no pin path). */
    private static MemorySegment cString(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s, StandardCharsets.UTF_8);
    }

    /** A C string that must not be NULL: libbpf and libc would dereference it (a crash, not an errno). */
    private static MemorySegment requiredCString(Arena arena, String s, String what) {
        return arena.allocateFrom(Objects.requireNonNull(s, what), StandardCharsets.UTF_8);
    }

    private static int errno(MemorySegment state) {
        return (int) LibBpfH.ERRNO.get(state, 0L);
    }

    @Override
    public String backend() {
        return "ffm";
    }

    @Override
    public LibBpfVersion version() {
        return version;
    }

    @Override
    public int possibleCpus() {
        try {
            return (int) LibBpfH.libbpf_num_possible_cpus.H.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    // ---------------------------------------------------------------- objects

    @Override
    public long objectOpenMem(long elf, long size, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(BpfObjectOpenOpts.LAYOUT);
            BpfObjectOpenOpts.init(opts, cString(arena, name));
            MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
            long obj = (long) LibBpfH.bpf_object__open_mem.H.invokeExact(state, elf, size, opts);
            return obj != 0 ? obj : -positiveErrno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long objectOpenFile(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
            long obj = (long) LibBpfH.bpf_object__open_file.H.invokeExact(state, requiredCString(arena, path, "path"),
                    MemorySegment.NULL);
            return obj != 0 ? obj : -positiveErrno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** errno after a NULL return; libbpf always sets one, but never report success by accident. */
    private static int positiveErrno(MemorySegment state) {
        int e = errno(state);
        return e > 0 ? e : Errno.EINVAL;
    }

    @Override
    public int objectLoad(long obj) {
        try {
            return (int) LibBpfH.bpf_object__load.H.invokeExact(obj);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void objectClose(long obj) {
        if (obj == 0) {
            return;
        }
        try {
            LibBpfH.bpf_object__close.H.invokeExact(obj);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public String objectName(long obj) {
        try {
            return cString((MemorySegment) LibBpfH.bpf_object__name.H.invokeExact(obj));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long objectNextProgram(long obj, long prev) {
        try {
            return (long) LibBpfH.bpf_object__next_program.H.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long objectNextMap(long obj, long prev) {
        try {
            return (long) LibBpfH.bpf_object__next_map.H.invokeExact(obj, prev);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- programs

    @Override
    public String programName(long prog) {
        try {
            return cString((MemorySegment) LibBpfH.bpf_program__name.H.invokeExact(prog));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public String programSection(long prog) {
        try {
            return cString((MemorySegment) LibBpfH.bpf_program__section_name.H.invokeExact(prog));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int programType(long prog) {
        try {
            return (int) LibBpfH.bpf_program__type.H.invokeExact(prog);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int programFd(long prog) {
        try {
            return (int) LibBpfH.bpf_program__fd.H.invokeExact(prog);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- maps of an object

    @Override
    public String mapName(long map) {
        try {
            return cString((MemorySegment) LibBpfH.bpf_map__name.H.invokeExact(map));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapType(long map) {
        try {
            return (int) LibBpfH.bpf_map__type.H.invokeExact(map);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapKeySize(long map) {
        try {
            return (int) LibBpfH.bpf_map__key_size.H.invokeExact(map);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapValueSize(long map) {
        try {
            return (int) LibBpfH.bpf_map__value_size.H.invokeExact(map);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapMaxEntries(long map) {
        try {
            return (int) LibBpfH.bpf_map__max_entries.H.invokeExact(map);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapSetMaxEntries(long map, int maxEntries) {
        try {
            return (int) LibBpfH.bpf_map__set_max_entries.H.invokeExact(map, maxEntries);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapSetPinPath(long map, String path) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) LibBpfH.bpf_map__set_pin_path.H.invokeExact(map, cString(arena, path));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public String mapPinPath(long map) {
        try {
            return cString((MemorySegment) LibBpfH.bpf_map__pin_path.H.invokeExact(map));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapSetInitialValue(long map, long data, long size) {
        try {
            return (int) LibBpfH.bpf_map__set_initial_value.H.invokeExact(map, data, size);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public byte[] mapInitialValue(long map) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment psize = arena.allocate(JAVA_LONG);
            MemorySegment p = (MemorySegment) LibBpfH.bpf_map__initial_value.H.invokeExact(map, psize);
            if (p.equals(MemorySegment.NULL)) {
                return null;
            }
            long size = psize.get(JAVA_LONG, 0);
            return p.reinterpret(size).toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapFd(long map) {
        try {
            return (int) LibBpfH.bpf_map__fd.H.invokeExact(map);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapReuseFd(long map, int fd) {
        try {
            return (int) LibBpfH.bpf_map__reuse_fd.H.invokeExact(map, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- map operations by fd (hot path)

    @Override
    public int mapUpdate(int fd, long key, long value, long flags) {
        try {
            return (int) LibBpfH.bpf_map_update_elem.H.invokeExact(fd, key, value, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapLookup(int fd, long key, long value) {
        try {
            return (int) LibBpfH.bpf_map_lookup_elem.H.invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapDelete(int fd, long key) {
        try {
            return (int) LibBpfH.bpf_map_delete_elem.H.invokeExact(fd, key);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapGetNextKey(int fd, long key, long nextKey) {
        try {
            return (int) LibBpfH.bpf_map_get_next_key.H.invokeExact(fd, key, nextKey);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapLookupAndDelete(int fd, long key, long value) {
        try {
            return (int) LibBpfH.bpf_map_lookup_and_delete_elem.H.invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /*
     * The batch calls: libbpf itself reads and writes *count (the kernel checks every other pointer and answers
     * EFAULT), so a NULL count is refused here as -EFAULT instead of crashing the JVM inside libbpf.
     */

    /** This thread's batch options, filled in; its address is what the batch calls take. */
    private static long batchOpts(long elemFlags, long flags) {
        MemorySegment opts = BATCH_OPTS.get();
        BpfMapBatchOpts.set(opts, elemFlags, flags);
        return opts.address();
    }

    @Override
    public int mapLookupBatch(int fd, long inBatch, long outBatch, long keys, long values, long count,
                              long elemFlags, long flags) {
        if (count == 0) {
            return -Errno.EFAULT;
        }
        try {
            return (int) LibBpfH.bpf_map_lookup_batch.H.invokeExact(fd, inBatch, outBatch, keys, values, count,
                    batchOpts(elemFlags, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapLookupAndDeleteBatch(int fd, long inBatch, long outBatch, long keys, long values, long count,
                                       long elemFlags, long flags) {
        if (count == 0) {
            return -Errno.EFAULT;
        }
        try {
            return (int) LibBpfH.bpf_map_lookup_and_delete_batch.H.invokeExact(fd, inBatch, outBatch, keys, values,
                    count, batchOpts(elemFlags, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapUpdateBatch(int fd, long keys, long values, long count, long elemFlags, long flags) {
        if (count == 0) {
            return -Errno.EFAULT;
        }
        try {
            return (int) LibBpfH.bpf_map_update_batch.H.invokeExact(fd, keys, values, count, batchOpts(elemFlags, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapDeleteBatch(int fd, long keys, long count, long elemFlags, long flags) {
        if (count == 0) {
            return -Errno.EFAULT;
        }
        try {
            return (int) LibBpfH.bpf_map_delete_batch.H.invokeExact(fd, keys, count, batchOpts(elemFlags, flags));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapCreate(int type, String name, int keySize, int valueSize, int maxEntries, int mapFlags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(BpfMapCreateOpts.LAYOUT);
            BpfMapCreateOpts.init(opts, mapFlags);
            return (int) LibBpfH.bpf_map_create.H.invokeExact(type, cString(arena, name), keySize, valueSize,
                    maxEntries, opts);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- fds, pins, info

    @Override
    public int objPin(int fd, String path) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) LibBpfH.bpf_obj_pin.H.invokeExact(fd, requiredCString(arena, path, "path"));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int objGet(String path) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) LibBpfH.bpf_obj_get.H.invokeExact(requiredCString(arena, path, "path"));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int ignored = (int) LibC.close.H.invokeExact(fd); // close(2) errors leave nothing to undo
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** bpf_obj_get_info_by_fd into a zeroed struct of {@code layout}'s size, allocated in {@code arena}. */
    private static MemorySegment objInfo(Arena arena, int fd, StructLayout layout, String what) throws Throwable {
        MemorySegment info = arena.allocate(layout);
        MemorySegment len = arena.allocate(JAVA_INT);
        len.set(JAVA_INT, 0, (int) layout.byteSize());
        int rc = (int) LibBpfH.bpf_obj_get_info_by_fd.H.invokeExact(fd, info, len);
        BpfException.check(rc, "bpf_obj_get_info_by_fd(" + what + " fd " + fd + ")");
        return info;
    }

    private static String fixedString(MemorySegment s, long offset, long maxLen) {
        MemorySegment field = s.asSlice(offset, maxLen);
        int n = 0;
        while (n < maxLen && field.get(JAVA_BYTE, n) != 0) {
            n++;
        }
        return new String(field.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Override
    public MapInfo mapInfo(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment i = objInfo(arena, fd, BpfMapInfo.LAYOUT, "map");
            return new MapInfo(i.get(JAVA_INT, BpfMapInfo.TYPE), i.get(JAVA_INT, BpfMapInfo.ID),
                    i.get(JAVA_INT, BpfMapInfo.KEY_SIZE), i.get(JAVA_INT, BpfMapInfo.VALUE_SIZE),
                    i.get(JAVA_INT, BpfMapInfo.MAX_ENTRIES), i.get(JAVA_INT, BpfMapInfo.MAP_FLAGS),
                    fixedString(i, BpfMapInfo.NAME, BpfMapInfo.NAME_LEN));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public ProgInfo progInfo(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment i = objInfo(arena, fd, BpfProgInfo.LAYOUT, "program");
            return new ProgInfo(i.get(JAVA_INT, BpfProgInfo.TYPE), i.get(JAVA_INT, BpfProgInfo.ID),
                    fixedString(i, BpfProgInfo.NAME, BpfProgInfo.NAME_LEN),
                    i.get(JAVA_INT, BpfProgInfo.JITED_PROG_LEN), i.get(JAVA_INT, BpfProgInfo.XLATED_PROG_LEN),
                    i.get(JAVA_INT, BpfProgInfo.VERIFIED_INSNS), i.get(JAVA_LONG, BpfProgInfo.RUN_TIME_NS),
                    i.get(JAVA_LONG, BpfProgInfo.RUN_CNT));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public LinkInfo linkInfo(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment i = objInfo(arena, fd, BpfLinkInfo.LAYOUT, "link");
            return new LinkInfo(i.get(JAVA_INT, BpfLinkInfo.TYPE), i.get(JAVA_INT, BpfLinkInfo.ID),
                    i.get(JAVA_INT, BpfLinkInfo.PROG_ID), i.get(JAVA_INT, BpfLinkInfo.TCX_IFINDEX),
                    i.get(JAVA_INT, BpfLinkInfo.TCX_ATTACH_TYPE));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int progFdById(int id) {
        try {
            return (int) LibBpfH.bpf_prog_get_fd_by_id.H.invokeExact(id);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int mapFdById(int id) {
        try {
            return (int) LibBpfH.bpf_map_get_fd_by_id.H.invokeExact(id);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- program test run

    private static MemorySegment copyIn(Arena arena, byte[] bytes) {
        return bytes == null || bytes.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_BYTE, bytes);
    }

    private static MemorySegment outBuffer(Arena arena, int capacity) {
        return capacity == 0 ? MemorySegment.NULL : arena.allocate(capacity);
    }

    private static byte[] copyOut(MemorySegment buf, int size) {
        if (buf.equals(MemorySegment.NULL)) {
            return new byte[0];
        }
        int n = (int) Math.min(Integer.toUnsignedLong(size), buf.byteSize());
        return buf.asSlice(0, n).toArray(JAVA_BYTE);
    }

    @Override
    public TestRunResult progTestRun(int progFd, TestRunRequest request) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment o = arena.allocate(BpfTestRunOpts.LAYOUT);
            MemorySegment dataOut = outBuffer(arena, request.dataOutCapacity());
            MemorySegment ctxOut = outBuffer(arena, request.ctxOutCapacity());
            o.set(JAVA_LONG, BpfTestRunOpts.SZ, BpfTestRunOpts.LAYOUT.byteSize());
            o.set(ADDRESS, BpfTestRunOpts.DATA_IN, copyIn(arena, request.dataIn()));
            o.set(JAVA_INT, BpfTestRunOpts.DATA_SIZE_IN, request.dataIn().length);
            o.set(ADDRESS, BpfTestRunOpts.DATA_OUT, dataOut);
            o.set(JAVA_INT, BpfTestRunOpts.DATA_SIZE_OUT, request.dataOutCapacity());
            byte[] ctxIn = request.ctxIn();
            o.set(ADDRESS, BpfTestRunOpts.CTX_IN, copyIn(arena, ctxIn));
            o.set(JAVA_INT, BpfTestRunOpts.CTX_SIZE_IN, ctxIn == null ? 0 : ctxIn.length);
            o.set(ADDRESS, BpfTestRunOpts.CTX_OUT, ctxOut);
            o.set(JAVA_INT, BpfTestRunOpts.CTX_SIZE_OUT, request.ctxOutCapacity());
            o.set(JAVA_INT, BpfTestRunOpts.REPEAT, request.repeat());
            int rc = (int) LibBpfH.bpf_prog_test_run_opts.H.invokeExact(progFd, o);
            BpfException.check(rc, "bpf_prog_test_run_opts(prog fd " + progFd + ")");
            return new TestRunResult(o.get(JAVA_INT, BpfTestRunOpts.RETVAL),
                    copyOut(dataOut, o.get(JAVA_INT, BpfTestRunOpts.DATA_SIZE_OUT)),
                    copyOut(ctxOut, o.get(JAVA_INT, BpfTestRunOpts.CTX_SIZE_OUT)),
                    o.get(JAVA_INT, BpfTestRunOpts.DURATION));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- TC

    private static MemorySegment hook(Arena arena, int ifindex, TcAttachPoint point) {
        MemorySegment hook = arena.allocate(BpfTcHook.LAYOUT);
        BpfTcHook.init(hook, ifindex, point.libbpfValue());
        return hook;
    }

    @Override
    public int tcHookCreate(int ifindex, TcAttachPoint point) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) LibBpfH.bpf_tc_hook_create.H.invokeExact(hook(arena, ifindex, point));
            if (rc == -Errno.EEXIST) {
                return 0;
            }
            return rc < 0 ? rc : 1;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int tcAttach(int ifindex, TcAttachPoint point, int handle, int priority, int progFd, boolean replace) {
        if (handle == 0 || priority == 0) {
            // libbpf would let the kernel pick a handle/priority; the contract is an explicit slot, never a new one.
            return -Errno.EINVAL;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(BpfTcOpts.LAYOUT);
            BpfTcOpts.init(opts, handle, priority);
            opts.set(JAVA_INT, BpfTcOpts.PROG_FD, progFd);
            opts.set(JAVA_INT, BpfTcOpts.FLAGS, replace ? BpfTcOpts.F_REPLACE : 0);
            int rc = (int) LibBpfH.bpf_tc_attach.H.invokeExact(hook(arena, ifindex, point), opts);
            return rc < 0 ? rc : opts.get(JAVA_INT, BpfTcOpts.PROG_ID);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int tcDetach(int ifindex, TcAttachPoint point, int handle, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(BpfTcOpts.LAYOUT);
            BpfTcOpts.init(opts, handle, priority);
            int rc = (int) LibBpfH.bpf_tc_detach.H.invokeExact(hook(arena, ifindex, point), opts);
            return TcReplies.absentIsEnoent(rc, ifindex, handle, priority);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int tcQuery(int ifindex, TcAttachPoint point, int handle, int priority) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment opts = arena.allocate(BpfTcOpts.LAYOUT);
            BpfTcOpts.init(opts, handle, priority);
            int rc = (int) LibBpfH.bpf_tc_query.H.invokeExact(hook(arena, ifindex, point), opts);
            return rc < 0 ? TcReplies.absentIsEnoent(rc, ifindex, handle, priority) : opts.get(JAVA_INT, BpfTcOpts.PROG_ID);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- links

    @Override
    public int linkCreate(int progFd, int target, int attachType) {
        try {
            return (int) LibBpfH.bpf_link_create.H.invokeExact(progFd, target, attachType, MemorySegment.NULL);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int linkDetach(int linkFd) {
        try {
            return (int) LibBpfH.bpf_link_detach.H.invokeExact(linkFd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    // ---------------------------------------------------------------- libc

    @Override
    public int ifNameToIndex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
            return (int) LibC.if_nametoindex.H.invokeExact(state, requiredCString(arena, name, "name"));
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public String ifIndexToName(int ifindex) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
            MemorySegment buf = arena.allocate(IF_NAMESIZE);
            MemorySegment p = (MemorySegment) LibC.if_indextoname.H.invokeExact(state, ifindex, buf);
            return p.equals(MemorySegment.NULL) ? null : buf.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
            int fd = (int) LibC.socket.H.invokeExact(state, domain, type, protocol);
            return fd >= 0 ? fd : -positiveErrno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long send(int fd, long buf, long length, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
            long n = (long) LibC.send.H.invokeExact(state, fd, buf, length, flags);
            return n >= 0 ? n : -positiveErrno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public long recv(int fd, long buf, long capacity, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
            long n = (long) LibC.recv.H.invokeExact(state, fd, buf, capacity, flags);
            return n >= 0 ? n : -positiveErrno(state);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    @Override
    public <T> T inNetns(Path netnsPath, Callable<T> task) {
        return NetnsThread.run(netnsSyscalls, netnsPath, task);
    }

    /** open/setns/close for {@link NetnsThread}, with errno captured and returned as -errno. */
    private static final class NetnsSyscalls implements NetnsThread.Syscalls {
        @Override
        public int open(String path) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
                int fd = (int) LibC.open.H.invokeExact(state, requiredCString(arena, path, "path"),
                        NetnsThread.O_RDONLY_CLOEXEC);
                return fd >= 0 ? fd : -positiveErrno(state);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }

        @Override
        public int setnsNet(int fd) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(LibBpfH.CAPTURE_STATE_LAYOUT);
                int rc = (int) LibC.setns.H.invokeExact(state, fd, NetnsThread.CLONE_NEWNET);
                return rc == 0 ? 0 : -positiveErrno(state);
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }

        @Override
        public void close(int fd) {
            if (fd < 0) {
                return;
            }
            try {
                int ignored = (int) LibC.close.H.invokeExact(fd); // close(2) errors leave nothing to undo
            } catch (Throwable t) {
                throw unexpected(t);
            }
        }
    }
}
