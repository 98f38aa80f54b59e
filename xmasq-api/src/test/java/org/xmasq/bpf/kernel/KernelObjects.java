package org.xmasq.bpf.kernel;

import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/** The real test objects of xmasq-bpf's test-jar, opened through the backend this JVM runs (ffm or jna). */
final class KernelObjects {
    static final String TEST = "org/xmasq/bpf/test/xmasq_test.bpf.o";
    static final String REJECTED = "org/xmasq/bpf/test/xmasq_rejected.bpf.o";
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;

    private KernelObjects() {
    }

    static LibBpf lib() {
        return LibBpfs.get();
    }

    static BpfObjectSpec openTest() {
        return BpfObjectSpec.fromResource(lib(), TEST);
    }
}
