package org.xmasq.libbpf.jna;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * libbpf.so.1 through JNA direct mapping (static natives bound by {@link Native#register}): pointers travel as
 * {@code long}, so the hot map calls convert nothing and allocate nothing. Pointer-returning functions return
 * 0 (NULL) on failure with errno set; read it with {@link Native#getLastError()} right after the call.
 */
final class LibbpfNative {
    static {
        Native.register(LibbpfNative.class, NativeLibraries.libbpf());
    }

    private LibbpfNative() {
    }

    /** libbpf_print_fn_t: int (*)(enum libbpf_print_level, const char *fmt, va_list ap). */
    interface PrintFn extends Callback {
        int invoke(int level, Pointer fmt, Pointer ap);
    }

    static native int libbpf_major_version();

    static native int libbpf_minor_version();

    static native int libbpf_num_possible_cpus();

    static native Pointer libbpf_set_print(PrintFn fn);

    // objects
    static native long bpf_object__open_mem(long buf, long size, long opts);

    static native long bpf_object__open_file(String path, long opts);

    static native int bpf_object__load(long obj);

    static native void bpf_object__close(long obj);

    static native String bpf_object__name(long obj);

    static native long bpf_object__next_program(long obj, long prev);

    static native long bpf_object__next_map(long obj, long prev);

    // programs
    static native String bpf_program__name(long prog);

    static native String bpf_program__section_name(long prog);

    static native int bpf_program__type(long prog);

    static native int bpf_program__fd(long prog);

    // maps of an object
    static native String bpf_map__name(long map);

    static native int bpf_map__type(long map);

    static native int bpf_map__key_size(long map);

    static native int bpf_map__value_size(long map);

    static native int bpf_map__max_entries(long map);

    static native int bpf_map__set_max_entries(long map, int maxEntries);

    static native int bpf_map__set_pin_path(long map, String path);

    static native String bpf_map__pin_path(long map);

    static native int bpf_map__set_initial_value(long map, long data, long size);

    static native long bpf_map__initial_value(long map, long psize);

    static native int bpf_map__fd(long map);

    static native int bpf_map__reuse_fd(long map, int fd);

    // map operations by fd
    static native int bpf_map_update_elem(int fd, long key, long value, long flags);

    static native int bpf_map_lookup_elem(int fd, long key, long value);

    static native int bpf_map_delete_elem(int fd, long key);

    static native int bpf_map_get_next_key(int fd, long key, long nextKey);

    static native int bpf_map_lookup_and_delete_elem(int fd, long key, long value);

    static native int bpf_map_lookup_batch(int fd, long inBatch, long outBatch, long keys, long values, long count,
                                           long opts);

    static native int bpf_map_lookup_and_delete_batch(int fd, long inBatch, long outBatch, long keys, long values,
                                                      long count, long opts);

    static native int bpf_map_update_batch(int fd, long keys, long values, long count, long opts);

    static native int bpf_map_delete_batch(int fd, long keys, long count, long opts);

    static native int bpf_map_create(int type, String name, int keySize, int valueSize, int maxEntries, long opts);

    // fds, pins, info
    static native int bpf_obj_pin(int fd, String path);

    static native int bpf_obj_get(String path);

    static native int bpf_obj_get_info_by_fd(int fd, long info, long infoLen);

    static native int bpf_prog_get_fd_by_id(int id);

    static native int bpf_map_get_fd_by_id(int id);

    static native int bpf_prog_test_run_opts(int progFd, long opts);

    // tc
    static native int bpf_tc_hook_create(long hook);

    static native int bpf_tc_attach(long hook, long opts);

    static native int bpf_tc_detach(long hook, long opts);

    static native int bpf_tc_query(long hook, long opts);

    // links
    static native int bpf_link_create(int progFd, int target, int attachType, long opts);

    static native int bpf_link_detach(int linkFd);
}
