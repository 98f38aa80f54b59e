package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** struct bpf_map_batch_opts (&lt;bpf/bpf.h&gt;). */
final class BpfMapBatchOpts {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_LONG.withName("elem_flags"),
            JAVA_LONG.withName("flags")).withName("bpf_map_batch_opts");

    static final long SZ = LAYOUT.byteOffset(groupElement("sz"));
    static final long ELEM_FLAGS = LAYOUT.byteOffset(groupElement("elem_flags"));
    static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));

    private BpfMapBatchOpts() {
    }

    static void set(MemorySegment s, long elemFlags, long flags) {
        s.set(JAVA_LONG, SZ, LAYOUT.byteSize());
        s.set(JAVA_LONG, ELEM_FLAGS, elemFlags);
        s.set(JAVA_LONG, FLAGS, flags);
    }
}
