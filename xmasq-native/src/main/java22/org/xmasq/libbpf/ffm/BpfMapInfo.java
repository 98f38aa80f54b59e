package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The kernel's struct bpf_map_info (&lt;linux/bpf.h&gt; of the installed UAPI headers). A newer kernel's struct is
 * longer; bpf_obj_get_info_by_fd copies only as much as we ask for.
 */
final class BpfMapInfo {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("id"),
            JAVA_INT.withName("key_size"),
            JAVA_INT.withName("value_size"),
            JAVA_INT.withName("max_entries"),
            JAVA_INT.withName("map_flags"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("name"),
            JAVA_INT.withName("ifindex"),
            JAVA_INT.withName("btf_vmlinux_value_type_id"),
            JAVA_LONG.withName("netns_dev"),
            JAVA_LONG.withName("netns_ino"),
            JAVA_INT.withName("btf_id"),
            JAVA_INT.withName("btf_key_type_id"),
            JAVA_INT.withName("btf_value_type_id"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("map_extra")).withName("bpf_map_info");

    static final long TYPE = LAYOUT.byteOffset(groupElement("type"));
    static final long ID = LAYOUT.byteOffset(groupElement("id"));
    static final long KEY_SIZE = LAYOUT.byteOffset(groupElement("key_size"));
    static final long VALUE_SIZE = LAYOUT.byteOffset(groupElement("value_size"));
    static final long MAX_ENTRIES = LAYOUT.byteOffset(groupElement("max_entries"));
    static final long MAP_FLAGS = LAYOUT.byteOffset(groupElement("map_flags"));
    static final long NAME = LAYOUT.byteOffset(groupElement("name"));
    static final long NAME_LEN = 16;

    private BpfMapInfo() {
    }
}
