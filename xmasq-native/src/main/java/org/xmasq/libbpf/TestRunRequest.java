package org.xmasq.libbpf;

import java.util.Objects;

/**
 * Input of bpf_prog_test_run_opts. {@code ctxIn} is optional (for TC programs a struct __sk_buff, e.g. to set
 * {@code mark} or {@code ifindex}); {@code dataOutCapacity}/{@code ctxOutCapacity} size the output buffers.
 */
public record TestRunRequest(byte[] dataIn, int dataOutCapacity, byte[] ctxIn, int ctxOutCapacity, int repeat) {
    public TestRunRequest {
        Objects.requireNonNull(dataIn, "dataIn");
        if (dataOutCapacity < 0 || ctxOutCapacity < 0 || repeat < 0) {
            throw new IllegalArgumentException("capacities and repeat must be >= 0");
        }
    }

    /** A run of {@code data} once, with room for 256 extra output bytes (encapsulation grows the packet). */
    public static TestRunRequest of(byte[] data) {
        return new TestRunRequest(data, data.length + 256, null, 0, 1);
    }
}
