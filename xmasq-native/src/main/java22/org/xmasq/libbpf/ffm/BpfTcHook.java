package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** struct bpf_tc_hook (&lt;bpf/libbpf.h&gt;). */
final class BpfTcHook {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_INT.withName("ifindex"),
            JAVA_INT.withName("attach_point"),
            JAVA_INT.withName("parent"),
            MemoryLayout.paddingLayout(4)).withName("bpf_tc_hook");

    static final long SZ = LAYOUT.byteOffset(groupElement("sz"));
    static final long IFINDEX = LAYOUT.byteOffset(groupElement("ifindex"));
    static final long ATTACH_POINT = LAYOUT.byteOffset(groupElement("attach_point"));

    private BpfTcHook() {
    }

    /** Fills a zeroed struct (parent 0: the clsact qdisc's ingress or egress). */
    static void init(MemorySegment s, int ifindex, int attachPoint) {
        s.set(JAVA_LONG, SZ, LAYOUT.byteSize());
        s.set(JAVA_INT, IFINDEX, ifindex);
        s.set(JAVA_INT, ATTACH_POINT, attachPoint);
    }
}
