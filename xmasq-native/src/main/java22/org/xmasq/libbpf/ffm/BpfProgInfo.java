package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The kernel's struct bpf_prog_info (&lt;linux/bpf.h&gt; of the installed UAPI headers). Every pointer/count pair
 * stays zero, so the kernel copies no arrays.
 */
final class BpfProgInfo {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("id"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tag"),
            JAVA_INT.withName("jited_prog_len"),
            JAVA_INT.withName("xlated_prog_len"),
            JAVA_LONG.withName("jited_prog_insns"),
            JAVA_LONG.withName("xlated_prog_insns"),
            JAVA_LONG.withName("load_time"),
            JAVA_INT.withName("created_by_uid"),
            JAVA_INT.withName("nr_map_ids"),
            JAVA_LONG.withName("map_ids"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("name"),
            JAVA_INT.withName("ifindex"),
            MemoryLayout.paddingLayout(4), // gpl_compatible:1 and 31 bits of padding
            JAVA_LONG.withName("netns_dev"),
            JAVA_LONG.withName("netns_ino"),
            JAVA_INT.withName("nr_jited_ksyms"),
            JAVA_INT.withName("nr_jited_func_lens"),
            JAVA_LONG.withName("jited_ksyms"),
            JAVA_LONG.withName("jited_func_lens"),
            JAVA_INT.withName("btf_id"),
            JAVA_INT.withName("func_info_rec_size"),
            JAVA_LONG.withName("func_info"),
            JAVA_INT.withName("nr_func_info"),
            JAVA_INT.withName("nr_line_info"),
            JAVA_LONG.withName("line_info"),
            JAVA_LONG.withName("jited_line_info"),
            JAVA_INT.withName("nr_jited_line_info"),
            JAVA_INT.withName("line_info_rec_size"),
            JAVA_INT.withName("jited_line_info_rec_size"),
            JAVA_INT.withName("nr_prog_tags"),
            JAVA_LONG.withName("prog_tags"),
            JAVA_LONG.withName("run_time_ns"),
            JAVA_LONG.withName("run_cnt"),
            JAVA_LONG.withName("recursion_misses"),
            JAVA_INT.withName("verified_insns"),
            JAVA_INT.withName("attach_btf_obj_id"),
            JAVA_INT.withName("attach_btf_id"),
            MemoryLayout.paddingLayout(4)).withName("bpf_prog_info");

    static final long TYPE = LAYOUT.byteOffset(groupElement("type"));
    static final long ID = LAYOUT.byteOffset(groupElement("id"));
    static final long JITED_PROG_LEN = LAYOUT.byteOffset(groupElement("jited_prog_len"));
    static final long XLATED_PROG_LEN = LAYOUT.byteOffset(groupElement("xlated_prog_len"));
    static final long NAME = LAYOUT.byteOffset(groupElement("name"));
    static final long NAME_LEN = 16;
    static final long RUN_TIME_NS = LAYOUT.byteOffset(groupElement("run_time_ns"));
    static final long RUN_CNT = LAYOUT.byteOffset(groupElement("run_cnt"));
    static final long VERIFIED_INSNS = LAYOUT.byteOffset(groupElement("verified_insns"));

    private BpfProgInfo() {
    }
}
