package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** struct bpf_map_create_opts (&lt;bpf/bpf.h&gt;). Only sz and map_flags are ever set. */
final class BpfMapCreateOpts {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_INT.withName("btf_fd"),
            JAVA_INT.withName("btf_key_type_id"),
            JAVA_INT.withName("btf_value_type_id"),
            JAVA_INT.withName("btf_vmlinux_value_type_id"),
            JAVA_INT.withName("inner_map_fd"),
            JAVA_INT.withName("map_flags"),
            JAVA_LONG.withName("map_extra"),
            JAVA_INT.withName("numa_node"),
            JAVA_INT.withName("map_ifindex")).withName("bpf_map_create_opts");

    static final long SZ = LAYOUT.byteOffset(groupElement("sz"));
    static final long MAP_FLAGS = LAYOUT.byteOffset(groupElement("map_flags"));

    private BpfMapCreateOpts() {
    }

    /** Fills a zeroed struct. */
    static void init(MemorySegment s, int mapFlags) {
        s.set(JAVA_LONG, SZ, LAYOUT.byteSize());
        s.set(JAVA_INT, MAP_FLAGS, mapFlags);
    }
}
