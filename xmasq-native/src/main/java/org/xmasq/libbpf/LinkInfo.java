package org.xmasq.libbpf;

/**
 * The fields of struct bpf_link_info the SDK uses. For tcx links (type 11, BPF_LINK_TYPE_TCX) {@code ifindex} and
 * {@code attachType} come from the tcx member of the union; for other link types they are the union's first two
 * 32-bit words.
 */
public record LinkInfo(int type, int id, int progId, int ifindex, int attachType) {
    /** BPF_LINK_TYPE_TCX (13 is BPF_LINK_TYPE_NETKIT). */
    public static final int TYPE_TCX = 11;
}
