package org.xmasq.libbpf;

/** Output of bpf_prog_test_run_opts: the program's return value, the output packet and context, ns per run. */
public record TestRunResult(int retval, byte[] dataOut, byte[] ctxOut, int durationNs) {
}
