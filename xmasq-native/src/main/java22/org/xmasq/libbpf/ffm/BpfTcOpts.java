package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** struct bpf_tc_opts (&lt;bpf/libbpf.h&gt;). */
final class BpfTcOpts {
    /** BPF_TC_F_REPLACE */
    static final int F_REPLACE = 1;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_INT.withName("prog_fd"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("prog_id"),
            JAVA_INT.withName("handle"),
            JAVA_INT.withName("priority"),
            MemoryLayout.paddingLayout(4)).withName("bpf_tc_opts");

    static final long SZ = LAYOUT.byteOffset(groupElement("sz"));
    static final long PROG_FD = LAYOUT.byteOffset(groupElement("prog_fd"));
    static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));
    static final long PROG_ID = LAYOUT.byteOffset(groupElement("prog_id"));
    static final long HANDLE = LAYOUT.byteOffset(groupElement("handle"));
    static final long PRIORITY = LAYOUT.byteOffset(groupElement("priority"));

    private BpfTcOpts() {
    }

    /** Fills a zeroed struct with the handle and priority that name our filter. */
    static void init(MemorySegment s, int handle, int priority) {
        s.set(JAVA_LONG, SZ, LAYOUT.byteSize());
        s.set(JAVA_INT, HANDLE, handle);
        s.set(JAVA_INT, PRIORITY, priority);
    }
}
