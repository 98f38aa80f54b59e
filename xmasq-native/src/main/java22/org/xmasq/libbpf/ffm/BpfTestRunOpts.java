package org.xmasq.libbpf.ffm;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** struct bpf_test_run_opts (&lt;bpf/bpf.h&gt;). */
final class BpfTestRunOpts {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            ADDRESS.withName("data_in"),
            ADDRESS.withName("data_out"),
            JAVA_INT.withName("data_size_in"),
            JAVA_INT.withName("data_size_out"),
            ADDRESS.withName("ctx_in"),
            ADDRESS.withName("ctx_out"),
            JAVA_INT.withName("ctx_size_in"),
            JAVA_INT.withName("ctx_size_out"),
            JAVA_INT.withName("retval"),
            JAVA_INT.withName("repeat"),
            JAVA_INT.withName("duration"),
            JAVA_INT.withName("flags"),
            JAVA_INT.withName("cpu"),
            JAVA_INT.withName("batch_size")).withName("bpf_test_run_opts");

    static final long SZ = LAYOUT.byteOffset(groupElement("sz"));
    static final long DATA_IN = LAYOUT.byteOffset(groupElement("data_in"));
    static final long DATA_OUT = LAYOUT.byteOffset(groupElement("data_out"));
    static final long DATA_SIZE_IN = LAYOUT.byteOffset(groupElement("data_size_in"));
    static final long DATA_SIZE_OUT = LAYOUT.byteOffset(groupElement("data_size_out"));
    static final long CTX_IN = LAYOUT.byteOffset(groupElement("ctx_in"));
    static final long CTX_OUT = LAYOUT.byteOffset(groupElement("ctx_out"));
    static final long CTX_SIZE_IN = LAYOUT.byteOffset(groupElement("ctx_size_in"));
    static final long CTX_SIZE_OUT = LAYOUT.byteOffset(groupElement("ctx_size_out"));
    static final long RETVAL = LAYOUT.byteOffset(groupElement("retval"));
    static final long REPEAT = LAYOUT.byteOffset(groupElement("repeat"));
    static final long DURATION = LAYOUT.byteOffset(groupElement("duration"));

    private BpfTestRunOpts() {
    }
}
