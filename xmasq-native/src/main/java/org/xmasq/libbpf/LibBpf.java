package org.xmasq.libbpf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The one boundary between the SDK and native code: libbpf.so.1 and the few libc calls the SDK needs.
 *
 * <p>Conventions, so that implementations stay thin and the hot path allocates nothing:
 * <ul>
 *   <li>Methods returning {@code int} or {@code long} return a non-negative result on success and
 *       {@code -errno} on failure (libbpf 1.x convention). They never throw for an errno.</li>
 *   <li>Methods returning an object or {@code void} throw a {@link BpfException} (built with
 *       {@link BpfException#of(String, int)}) on failure.</li>
 *   <li>Native memory is passed as a raw address ({@code long}). Callers own it, normally as a direct
 *       {@link ByteBuffer} whose address they obtained once with {@link #address(ByteBuffer)}.
 *       {@code 0} is NULL.</li>
 *   <li>Object, program and map handles are libbpf pointers ({@code struct bpf_object *} etc.) as
 *       {@code long}; they are valid until {@link #objectClose(long)}.</li>
 * </ul>
 * Implementations: {@code ffm.FfmLibBpf} (JDK 22+) and {@code jna.JnaLibBpf}; the tests' in-memory fake
 * ({@code fake.FakeLibBpf}) ships in this module's test-jar only.
 * Obtain the running one with {@link LibBpfs#get()}.
 */
public interface LibBpf {

    /** "ffm", "jna" (or "fake" in tests). */
    String backend();

    /** libbpf's version (libbpf_major_version / libbpf_minor_version). */
    LibBpfVersion version();

    /** libbpf_num_possible_cpus(): the number of slots in a per-CPU map value. */
    int possibleCpus();

    /** Address of the first byte of a direct buffer (position ignored). */
    long address(ByteBuffer direct);

    // ---------------------------------------------------------------- objects (spec, then loaded)

    /**
     * bpf_object__open_mem over {@code size} bytes at {@code elf}, with {@code opts.object_name = name}.
     * The kernel verifier log of a failed load is captured by libbpf's print callback (see {@link LibBpfLog}).
     * @return the object handle, or -errno
     */
    long objectOpenMem(long elf, long size, String name);

    /** bpf_object__open_file. @return the object handle, or -errno */
    long objectOpenFile(String path);

    /** bpf_object__load. @return 0 or -errno (the log went to {@link LibBpfLog}) */
    int objectLoad(long obj);

    /** bpf_object__close; tolerates 0. */
    void objectClose(long obj);

    String objectName(long obj);

    /** bpf_object__next_program; {@code prev = 0} for the first. @return the next program handle, or 0 at the end */
    long objectNextProgram(long obj, long prev);

    /** bpf_object__next_map; {@code prev = 0} for the first. @return the next map handle, or 0 at the end */
    long objectNextMap(long obj, long prev);

    // ---------------------------------------------------------------- programs of an object

    String programName(long prog);

    String programSection(long prog);

    /** bpf_program__type (enum bpf_prog_type). */
    int programType(long prog);

    /** bpf_program__fd; -errno before load. */
    int programFd(long prog);

    // ---------------------------------------------------------------- maps of an object

    String mapName(long map);

    /** enum bpf_map_type */
    int mapType(long map);

    int mapKeySize(long map);

    int mapValueSize(long map);

    int mapMaxEntries(long map);

    /** bpf_map__set_max_entries (before load). @return 0 or -errno */
    int mapSetMaxEntries(long map, int maxEntries);

    /** bpf_map__set_pin_path (before load): libbpf then reuses a compatible pin or pins the new map. @return 0 or -errno */
    int mapSetPinPath(long map, String path);

    /** bpf_map__pin_path, or null. */
    String mapPinPath(long map);

    /** bpf_map__set_initial_value for .rodata/.data maps (before load). @return 0 or -errno */
    int mapSetInitialValue(long map, long data, long size);

    /** bpf_map__initial_value copied out (size = value size), or null when the map has none (not mmapable). */
    byte[] mapInitialValue(long map);

    /** bpf_map__fd; -errno before load. */
    int mapFd(long map);

    /** bpf_map__reuse_fd (before load): use an existing map instead of creating one. @return 0 or -errno */
    int mapReuseFd(long map, int fd);

    // ---------------------------------------------------------------- map operations by fd (hot path)

    /** bpf_map_update_elem. flags: BPF_ANY 0, BPF_NOEXIST 1, BPF_EXIST 2. */
    int mapUpdate(int fd, long key, long value, long flags);

    /** bpf_map_lookup_elem; -ENOENT when absent. */
    int mapLookup(int fd, long key, long value);

    /** bpf_map_delete_elem; -ENOENT when absent. */
    int mapDelete(int fd, long key);

    /** bpf_map_get_next_key; {@code key = 0} for the first key; -ENOENT after the last. */
    int mapGetNextKey(int fd, long key, long nextKey);

    /** bpf_map_lookup_and_delete_elem; -ENOENT when absent. */
    int mapLookupAndDelete(int fd, long key, long value);

    /**
     * bpf_map_lookup_batch. {@code count} points to a __u32: in, the capacity of keys/values; out, how many were
     * returned. {@code inBatch = 0} starts; {@code outBatch} receives the cursor (key-sized). -ENOENT means the
     * iteration ended (entries may still have been returned: read count).
     */
    int mapLookupBatch(int fd, long inBatch, long outBatch, long keys, long values, long count, long elemFlags, long flags);

    /** bpf_map_lookup_and_delete_batch; same contract as {@link #mapLookupBatch}. */
    int mapLookupAndDeleteBatch(int fd, long inBatch, long outBatch, long keys, long values, long count, long elemFlags, long flags);

    /** bpf_map_update_batch; count in/out as above. */
    int mapUpdateBatch(int fd, long keys, long values, long count, long elemFlags, long flags);

    /** bpf_map_delete_batch; count in/out as above. */
    int mapDeleteBatch(int fd, long keys, long count, long elemFlags, long flags);

    /** bpf_map_create with only map_flags set in the options. @return a map fd, or -errno */
    int mapCreate(int type, String name, int keySize, int valueSize, int maxEntries, int mapFlags);

    // ---------------------------------------------------------------- fds, pins, info

    /** Where this backend's pins live: the kernel's bpffs (a fake keeps its own). */
    default BpfFs bpfFs() {
        return BpfFs.kernel();
    }

    /** bpf_obj_pin. @return 0 or -errno */
    int objPin(int fd, String path);

    /** bpf_obj_get. @return an fd, or -errno (-ENOENT when nothing is pinned there) */
    int objGet(String path);

    /** libc close(2); tolerates negative fds. */
    void close(int fd);

    /** bpf_obj_get_info_by_fd on a map. */
    MapInfo mapInfo(int fd);

    /** bpf_obj_get_info_by_fd on a program. */
    ProgInfo progInfo(int fd);

    /** bpf_obj_get_info_by_fd on a link. */
    LinkInfo linkInfo(int fd);

    /** bpf_prog_get_fd_by_id. @return an fd, or -errno */
    int progFdById(int id);

    /** bpf_map_get_fd_by_id. @return an fd, or -errno */
    int mapFdById(int id);

    // ---------------------------------------------------------------- program test run

    /** bpf_prog_test_run_opts. Throws on failure of the syscall (not on the program's verdict). */
    TestRunResult progTestRun(int progFd, TestRunRequest request);

    // ---------------------------------------------------------------- TC (classic clsact through netlink)

    /** bpf_tc_hook_create for the clsact qdisc. @return 1 when created, 0 when it already existed, or -errno */
    int tcHookCreate(int ifindex, TcAttachPoint point);

    /**
     * bpf_tc_attach with an explicit handle and priority (never 0), so that it can only ever touch our filter.
     * {@code replace} sets BPF_TC_F_REPLACE. @return the attached program's id, or -errno (-EEXIST when the
     * handle/priority is taken and {@code replace} is false)
     */
    int tcAttach(int ifindex, TcAttachPoint point, int handle, int priority, int progFd, boolean replace);

    /** bpf_tc_detach of exactly that handle and priority. @return 0, or -errno (-ENOENT when absent) */
    int tcDetach(int ifindex, TcAttachPoint point, int handle, int priority);

    /** bpf_tc_query. @return the program id attached at that handle and priority, or -errno (-ENOENT when absent) */
    int tcQuery(int ifindex, TcAttachPoint point, int handle, int priority);

    // ---------------------------------------------------------------- links (tcx)

    /** bpf_link_create(progFd, target, attachType, NULL opts); tcx is attach type 46 (ingress) / 47 (egress).
     *  @return a link fd, or -errno */
    int linkCreate(int progFd, int target, int attachType);

    /** bpf_link_detach. @return 0 or -errno */
    int linkDetach(int linkFd);

    // ---------------------------------------------------------------- libc

    /** if_nametoindex; 0 when there is no such interface (in the calling thread's network namespace). */
    int ifNameToIndex(String name);

    /** if_indextoname, or null. */
    String ifIndexToName(int ifindex);

    /** socket(2), in the calling thread's network namespace (e.g. a NETLINK_ROUTE socket). @return an fd, or -errno */
    int socket(int domain, int type, int protocol);

    /** send(2) of {@code length} bytes at {@code buf}. @return the bytes sent, or -errno */
    long send(int fd, long buf, long length, int flags);

    /** recv(2) into {@code capacity} bytes at {@code buf}. @return the bytes received, or -errno */
    long recv(int fd, long buf, long capacity, int flags);

    /**
     * Runs {@code task} on a new platform thread that first joins the network namespace at {@code netnsPath}
     * (setns(fd, CLONE_NEWNET)), and waits for it. The thread ends afterwards, so no other code ever runs in that
     * namespace by accident. Exceptions of the task are rethrown as they are (checked ones wrapped).
     */
    <T> T inNetns(Path netnsPath, Callable<T> task);
}
