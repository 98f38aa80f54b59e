package org.xmasq.libbpf;

/** Where a TC program runs, with libbpf's enum bpf_tc_attach_point values and the tcx attach types. */
public enum TcAttachPoint {
    /** Packets arriving on the device (BPF_TC_INGRESS, tcx ingress). */
    INGRESS(1, 46),
    /** Packets leaving through the device (BPF_TC_EGRESS, tcx egress). */
    EGRESS(2, 47);

    private final int libbpfValue;
    private final int tcxAttachType;

    TcAttachPoint(int libbpfValue, int tcxAttachType) {
        this.libbpfValue = libbpfValue;
        this.tcxAttachType = tcxAttachType;
    }

    /** enum bpf_tc_attach_point. */
    public int libbpfValue() {
        return libbpfValue;
    }

    /** BPF_TCX_INGRESS (46) / BPF_TCX_EGRESS (47). */
    public int tcxAttachType() {
        return tcxAttachType;
    }
}
