package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The kernel's struct bpf_link_info (&lt;linux/bpf.h&gt; of the installed UAPI headers): the common header and the
 * union's first two 32-bit words, named after the tcx member ({@code __u32 ifindex; __u32 attach_type;}) that
 * kernels with tcx have. Older headers lack that member; the words sit where their netns member keeps
 * {@code netns_ino, attach_type}, which the layout test checks.
 */
final class BpfLinkInfo {
    /** Size of the union in the installed header (the netns/xdp/... members). */
    static final long UNION_SIZE = 32;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("id"),
            JAVA_INT.withName("prog_id"),
            MemoryLayout.paddingLayout(4), // the union is 8-byte aligned
            MemoryLayout.structLayout(
                    JAVA_INT.withName("ifindex"),
                    JAVA_INT.withName("attach_type"),
                    MemoryLayout.paddingLayout(UNION_SIZE - 8)).withName("tcx")).withName("bpf_link_info");

    static final long TYPE = LAYOUT.byteOffset(groupElement("type"));
    static final long ID = LAYOUT.byteOffset(groupElement("id"));
    static final long PROG_ID = LAYOUT.byteOffset(groupElement("prog_id"));
    static final long TCX_IFINDEX = LAYOUT.byteOffset(groupElement("tcx"), groupElement("ifindex"));
    static final long TCX_ATTACH_TYPE = LAYOUT.byteOffset(groupElement("tcx"), groupElement("attach_type"));

    private BpfLinkInfo() {
    }
}
