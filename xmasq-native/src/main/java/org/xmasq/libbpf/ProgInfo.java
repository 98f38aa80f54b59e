package org.xmasq.libbpf;

/**
 * The fields of struct bpf_prog_info the SDK uses. {@code verifiedInsns} is the verifier's processed-instruction
 * count; {@code runTimeNs}/{@code runCount} are non-zero only with kernel.bpf_stats_enabled.
 */
public record ProgInfo(int type, int id, String name, int jitedLen, int xlatedLen, int verifiedInsns,
                       long runTimeNs, long runCount) {
}
