package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** struct bpf_object_open_opts of libbpf 1.1 (&lt;bpf/libbpf.h&gt;). Only sz and object_name are ever set. */
final class BpfObjectOpenOpts {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("object_name"),
            JAVA_BOOLEAN.withName("relaxed_maps"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("pin_root_path"),
            MemoryLayout.paddingLayout(4), // __u32 :32, the removed attach_prog_fd
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("kconfig"),
            ADDRESS.withName("btf_custom_path"),
            ADDRESS.withName("kernel_log_buf"),
            JAVA_LONG.withName("kernel_log_size"),
            JAVA_INT.withName("kernel_log_level"),
            MemoryLayout.paddingLayout(4)).withName("bpf_object_open_opts");

    static final long SZ = LAYOUT.byteOffset(groupElement("sz"));
    static final long OBJECT_NAME = LAYOUT.byteOffset(groupElement("object_name"));

    private BpfObjectOpenOpts() {
    }

    /** Fills a zeroed struct: sz and object_name. */
    static void init(MemorySegment s, MemorySegment objectName) {
        s.set(JAVA_LONG, SZ, LAYOUT.byteSize());
        s.set(ADDRESS, OBJECT_NAME, objectName);
    }
}
