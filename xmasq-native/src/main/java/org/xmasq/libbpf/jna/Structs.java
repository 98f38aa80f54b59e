package org.xmasq.libbpf.jna;

/**
 * Byte offsets of the C structs the JNA backend fills by hand (x86-64 / aarch64 LP64 layouts, checked against
 * libbpf 1.1.2's headers and linux/bpf.h). One nested class per struct, so each layout lives in one place.
 * Every struct is written into zero-filled memory: libbpf and the kernel reject non-zero unknown tail bytes.
 */
final class Structs {
    private Structs() {
    }

    /** struct bpf_object_open_opts (libbpf.h). */
    static final class OpenOpts {
        static final int SIZE = 80;
        static final int SZ = 0;            // size_t
        static final int OBJECT_NAME = 8;   // const char *
    }

    /** struct bpf_map_batch_opts (bpf.h). */
    static final class BatchOpts {
        static final int SIZE = 24;
        static final int SZ = 0;            // size_t
        static final int ELEM_FLAGS = 8;    // __u64
        static final int FLAGS = 16;        // __u64
    }

    /** struct bpf_map_create_opts (bpf.h). */
    static final class MapCreateOpts {
        static final int SIZE = 48;
        static final int SZ = 0;            // size_t
        static final int MAP_FLAGS = 28;    // __u32
    }

    /** struct bpf_test_run_opts (bpf.h). */
    static final class TestRunOpts {
        static final int SIZE = 80;
        static final int SZ = 0;            // size_t
        static final int DATA_IN = 8;       // const void *
        static final int DATA_OUT = 16;     // void *
        static final int DATA_SIZE_IN = 24; // __u32
        static final int DATA_SIZE_OUT = 28; // __u32, in: capacity, out: size
        static final int CTX_IN = 32;       // const void *
        static final int CTX_OUT = 40;      // void *
        static final int CTX_SIZE_IN = 48;  // __u32
        static final int CTX_SIZE_OUT = 52; // __u32, in: capacity, out: size
        static final int RETVAL = 56;       // __u32, out
        static final int REPEAT = 60;       // int
        static final int DURATION = 64;     // __u32, out: ns per run
    }

    /** struct bpf_tc_hook (libbpf.h). */
    static final class TcHook {
        static final int SIZE = 24;
        static final int SZ = 0;            // size_t
        static final int IFINDEX = 8;       // int
        static final int ATTACH_POINT = 12; // enum bpf_tc_attach_point
        static final int PARENT = 16;       // __u32
    }

    /** struct bpf_tc_opts (libbpf.h). */
    static final class TcOpts {
        static final int SIZE = 32;
        static final int SZ = 0;            // size_t
        static final int PROG_FD = 8;       // int
        static final int FLAGS = 12;        // __u32
        static final int PROG_ID = 16;      // __u32
        static final int HANDLE = 20;       // __u32
        static final int PRIORITY = 24;     // __u32
        static final int F_REPLACE = 1;     // BPF_TC_F_REPLACE
    }

    /** struct bpf_map_info (linux/bpf.h). */
    static final class MapInfo {
        static final int SIZE = 88;
        static final int TYPE = 0;
        static final int ID = 4;
        static final int KEY_SIZE = 8;
        static final int VALUE_SIZE = 12;
        static final int MAX_ENTRIES = 16;
        static final int MAP_FLAGS = 20;
        static final int NAME = 24;         // char[16]
        static final int NAME_LEN = 16;
    }

    /** struct bpf_prog_info (linux/bpf.h). */
    static final class ProgInfo {
        static final int SIZE = 232;
        static final int TYPE = 0;
        static final int ID = 4;
        static final int JITED_PROG_LEN = 16;
        static final int XLATED_PROG_LEN = 20;
        static final int NAME = 64;         // char[16]
        static final int NAME_LEN = 16;
        static final int RUN_TIME_NS = 192; // __u64
        static final int RUN_CNT = 200;     // __u64
        static final int VERIFIED_INSNS = 216;
    }

    /**
     * struct bpf_link_info (linux/bpf.h). The union starts at 16; its tcx member is {ifindex, attach_type}. 64 bytes
     * leaves room for the union members newer kernels have (the kernel copies min(ours, its) bytes).
     */
    static final class LinkInfo {
        static final int SIZE = 64;
        static final int TYPE = 0;
        static final int ID = 4;
        static final int PROG_ID = 8;
        static final int UNION = 16;
        static final int TCX_IFINDEX = UNION;
        static final int TCX_ATTACH_TYPE = UNION + 4;
    }

    /** Bytes of va_list state behind the pointer a callee receives: x86-64 24, aarch64 32. */
    static final int VA_LIST_COPY_SIZE = com.sun.jna.Platform.isIntel() ? 24 : 32;
}
