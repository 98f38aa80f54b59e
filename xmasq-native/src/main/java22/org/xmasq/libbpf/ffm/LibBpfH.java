package org.xmasq.libbpf.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles for the libbpf.so.1 functions the SDK uses, written in the style of jextract's output.
 *
 * <p>Two deliberate departures from a literal translation of the prototypes, both to keep the hot path free of
 * allocation:
 * <ul>
 *   <li>Opaque handles ({@code struct bpf_object *}, {@code struct bpf_program *}, {@code struct bpf_map *}) and
 *       every buffer the caller owns ({@code void *key}, {@code __u32 *count}, opts of the batch calls) are declared
 *       {@code JAVA_LONG}. On the 64-bit Linux ABIs a pointer and a {@code long} travel in the same register, so
 *       the call is identical, and no {@code MemorySegment} is created per call.</li>
 *   <li>Strings and structs built for one call stay {@code ADDRESS} and are allocated in a confined arena.</li>
 * </ul>
 * libbpf's int functions return -errno, so errno is captured only for the two pointer-returning open functions,
 * which return NULL and set errno.
 *
 * <p>{@code Linker.Option.critical} is not used: measured on bpf_map_lookup_elem of a hash map (2M calls, JDK 25,
 * kernel 6.18) both variants cost the same (~1.9 us, the bpf(2) syscall dominates; the saved thread-state
 * transition is within noise), and a critical call must not upcall, which libbpf's print callback could.
 *
 * <p>Each handle lives in a holder class of the function's name ({@code LibBpfH.bpf_map_lookup_elem.H}), so it is
 * made when first called, not when the backend loads: a short-lived process (the CNI plugin) pays only for the
 * functions it calls (making all of them at load cost an ADD ~0.16 s of CPU, measured). The holder keeps the handle a
 * static final constant for the JIT.
 *
 * <p>Loading this class loads libbpf.so.1; it fails (ExceptionInInitializerError caused by an
 * IllegalArgumentException) when the library is not installed.
 */
@SuppressWarnings("restricted") // this class is the place that binds native code
final class LibBpfH {
    private static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIBBPF = SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());

    /** Layout of the call state that {@link #CAPTURE_ERRNO} fills. */
    static final MemoryLayout CAPTURE_STATE_LAYOUT = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CAPTURE_STATE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private LibBpfH() {
    }

    static MethodHandle downcall(SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(
                lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol not found: " + name)),
                fd, options);
    }

    private static MethodHandle libbpf(String name, FunctionDescriptor fd, Linker.Option... options) {
        return downcall(LIBBPF, name, fd, options);
    }

    // ------------------------------------------------------------ library

    /** __u32 libbpf_major_version(void) */
    static final class libbpf_major_version {
        static final MethodHandle H = libbpf("libbpf_major_version", FunctionDescriptor.of(JAVA_INT));
    }
    /** __u32 libbpf_minor_version(void) */
    static final class libbpf_minor_version {
        static final MethodHandle H = libbpf("libbpf_minor_version", FunctionDescriptor.of(JAVA_INT));
    }
    /** int libbpf_num_possible_cpus(void) */
    static final class libbpf_num_possible_cpus {
        static final MethodHandle H = libbpf("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
    }
    /** libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn) */
    static final class libbpf_set_print {
        static final MethodHandle H = libbpf("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
    }

    // ------------------------------------------------------------ objects

    /** struct bpf_object *bpf_object__open_mem(const void *obj_buf, size_t obj_buf_sz, const struct bpf_object_open_opts *opts); errno captured */
    static final class bpf_object__open_mem {
        static final MethodHandle H = libbpf("bpf_object__open_mem", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    }
    /** struct bpf_object *bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts); errno captured */
    static final class bpf_object__open_file {
        static final MethodHandle H = libbpf("bpf_object__open_file", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    }
    /** int bpf_object__load(struct bpf_object *obj) */
    static final class bpf_object__load {
        static final MethodHandle H = libbpf("bpf_object__load", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }
    /** void bpf_object__close(struct bpf_object *obj) */
    static final class bpf_object__close {
        static final MethodHandle H = libbpf("bpf_object__close", FunctionDescriptor.ofVoid(JAVA_LONG));
    }
    /** const char *bpf_object__name(const struct bpf_object *obj) */
    static final class bpf_object__name {
        static final MethodHandle H = libbpf("bpf_object__name", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    }
    /** struct bpf_program *bpf_object__next_program(const struct bpf_object *obj, struct bpf_program *prog) */
    static final class bpf_object__next_program {
        static final MethodHandle H = libbpf("bpf_object__next_program", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }
    /** struct bpf_map *bpf_object__next_map(const struct bpf_object *obj, const struct bpf_map *map) */
    static final class bpf_object__next_map {
        static final MethodHandle H = libbpf("bpf_object__next_map", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }

    // ------------------------------------------------------------ programs

    /** const char *bpf_program__name(const struct bpf_program *prog) */
    static final class bpf_program__name {
        static final MethodHandle H = libbpf("bpf_program__name", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    }
    /** const char *bpf_program__section_name(const struct bpf_program *prog) */
    static final class bpf_program__section_name {
        static final MethodHandle H = libbpf("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    }
    /** enum bpf_prog_type bpf_program__type(const struct bpf_program *prog) */
    static final class bpf_program__type {
        static final MethodHandle H = libbpf("bpf_program__type", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }
    /** int bpf_program__fd(const struct bpf_program *prog) */
    static final class bpf_program__fd {
        static final MethodHandle H = libbpf("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }

    // ------------------------------------------------------------ maps of an object

    /** const char *bpf_map__name(const struct bpf_map *map) */
    static final class bpf_map__name {
        static final MethodHandle H = libbpf("bpf_map__name", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    }
    /** enum bpf_map_type bpf_map__type(const struct bpf_map *map) */
    static final class bpf_map__type {
        static final MethodHandle H = libbpf("bpf_map__type", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }
    /** __u32 bpf_map__key_size(const struct bpf_map *map) */
    static final class bpf_map__key_size {
        static final MethodHandle H = libbpf("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }
    /** __u32 bpf_map__value_size(const struct bpf_map *map) */
    static final class bpf_map__value_size {
        static final MethodHandle H = libbpf("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }
    /** __u32 bpf_map__max_entries(const struct bpf_map *map) */
    static final class bpf_map__max_entries {
        static final MethodHandle H = libbpf("bpf_map__max_entries", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }
    /** int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries) */
    static final class bpf_map__set_max_entries {
        static final MethodHandle H = libbpf("bpf_map__set_max_entries", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    }
    /** int bpf_map__set_pin_path(struct bpf_map *map, const char *path) */
    static final class bpf_map__set_pin_path {
        static final MethodHandle H = libbpf("bpf_map__set_pin_path", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
    }
    /** const char *bpf_map__pin_path(const struct bpf_map *map) */
    static final class bpf_map__pin_path {
        static final MethodHandle H = libbpf("bpf_map__pin_path", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    }
    /** int bpf_map__set_initial_value(struct bpf_map *map, const void *data, size_t size) */
    static final class bpf_map__set_initial_value {
        static final MethodHandle H = libbpf("bpf_map__set_initial_value", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }
    /** const void *bpf_map__initial_value(struct bpf_map *map, size_t *psize) */
    static final class bpf_map__initial_value {
        static final MethodHandle H = libbpf("bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, JAVA_LONG, ADDRESS));
    }
    /** int bpf_map__fd(const struct bpf_map *map) */
    static final class bpf_map__fd {
        static final MethodHandle H = libbpf("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    }
    /** int bpf_map__reuse_fd(struct bpf_map *map, int fd) */
    static final class bpf_map__reuse_fd {
        static final MethodHandle H = libbpf("bpf_map__reuse_fd", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    // ------------------------------------------------------------ map operations by fd (hot path: raw addresses)

    /** int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags) */
    static final class bpf_map_update_elem {
        static final MethodHandle H = libbpf("bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_lookup_elem(int fd, const void *key, void *value) */
    static final class bpf_map_lookup_elem {
        static final MethodHandle H = libbpf("bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_delete_elem(int fd, const void *key) */
    static final class bpf_map_delete_elem {
        static final MethodHandle H = libbpf("bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }
    /** int bpf_map_get_next_key(int fd, const void *key, void *next_key) */
    static final class bpf_map_get_next_key {
        static final MethodHandle H = libbpf("bpf_map_get_next_key", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value) */
    static final class bpf_map_lookup_and_delete_elem {
        static final MethodHandle H = libbpf("bpf_map_lookup_and_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys, void *values, __u32 *count, const struct bpf_map_batch_opts *opts) */
    static final class bpf_map_lookup_batch {
        static final MethodHandle H = libbpf("bpf_map_lookup_batch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_lookup_and_delete_batch(same as bpf_map_lookup_batch) */
    static final class bpf_map_lookup_and_delete_batch {
        static final MethodHandle H = libbpf("bpf_map_lookup_and_delete_batch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_update_batch(int fd, const void *keys, const void *values, __u32 *count, const struct bpf_map_batch_opts *opts) */
    static final class bpf_map_update_batch {
        static final MethodHandle H = libbpf("bpf_map_update_batch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_delete_batch(int fd, const void *keys, __u32 *count, const struct bpf_map_batch_opts *opts) */
    static final class bpf_map_delete_batch {
        static final MethodHandle H = libbpf("bpf_map_delete_batch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    }
    /** int bpf_map_create(enum bpf_map_type, const char *name, __u32 key_size, __u32 value_size, __u32 max_entries, const struct bpf_map_create_opts *opts) */
    static final class bpf_map_create {
        static final MethodHandle H = libbpf("bpf_map_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }

    // ------------------------------------------------------------ fds, pins, info

    /** int bpf_obj_pin(int fd, const char *pathname) */
    static final class bpf_obj_pin {
        static final MethodHandle H = libbpf("bpf_obj_pin", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }
    /** int bpf_obj_get(const char *pathname) */
    static final class bpf_obj_get {
        static final MethodHandle H = libbpf("bpf_obj_get", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }
    /** int bpf_obj_get_info_by_fd(int bpf_fd, void *info, __u32 *info_len) */
    static final class bpf_obj_get_info_by_fd {
        static final MethodHandle H = libbpf("bpf_obj_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }
    /** int bpf_prog_get_fd_by_id(__u32 id) */
    static final class bpf_prog_get_fd_by_id {
        static final MethodHandle H = libbpf("bpf_prog_get_fd_by_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    /** int bpf_map_get_fd_by_id(__u32 id) */
    static final class bpf_map_get_fd_by_id {
        static final MethodHandle H = libbpf("bpf_map_get_fd_by_id", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    // ------------------------------------------------------------ test run, TC, links

    /** int bpf_prog_test_run_opts(int prog_fd, struct bpf_test_run_opts *opts) */
    static final class bpf_prog_test_run_opts {
        static final MethodHandle H = libbpf("bpf_prog_test_run_opts", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }
    /** int bpf_tc_hook_create(struct bpf_tc_hook *hook) */
    static final class bpf_tc_hook_create {
        static final MethodHandle H = libbpf("bpf_tc_hook_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }
    /** int bpf_tc_attach(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts) */
    static final class bpf_tc_attach {
        static final MethodHandle H = libbpf("bpf_tc_attach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }
    /** int bpf_tc_detach(const struct bpf_tc_hook *hook, const struct bpf_tc_opts *opts) */
    static final class bpf_tc_detach {
        static final MethodHandle H = libbpf("bpf_tc_detach", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }
    /** int bpf_tc_query(const struct bpf_tc_hook *hook, struct bpf_tc_opts *opts) */
    static final class bpf_tc_query {
        static final MethodHandle H = libbpf("bpf_tc_query", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }
    /** int bpf_link_create(int prog_fd, int target_fd, enum bpf_attach_type attach_type, const struct bpf_link_create_opts *opts) */
    static final class bpf_link_create {
        static final MethodHandle H = libbpf("bpf_link_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }
    /** int bpf_link_detach(int link_fd) */
    static final class bpf_link_detach {
        static final MethodHandle H = libbpf("bpf_link_detach", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
}
