package org.xmasq.datapath;

import java.util.List;

/**
 * The counters of the {@code stats} map, mirroring {@code enum xmasq_stat} in the datapath's stats.h: each constant
 * carries its index in the map and its C name. Indices are stable; new counters are appended.
 */
public enum Stat {
    /** Encapsulated and redirected to the NIC. */
    HIT_EGRESS_INTER_HOST(0, "STAT_HIT_EGRESS_INTER_HOST"),
    /** Redirected into a container on this host. */
    HIT_EGRESS_INTRA_HOST(1, "STAT_HIT_EGRESS_INTRA_HOST"),
    /** Decapsulated and redirected into a container. */
    HIT_INGRESS(2, "STAT_HIT_INGRESS"),
    /** Ingress: the inner destination is not a registered endpoint. */
    MISS_NO_ENDPOINT(3, "STAT_MISS_NO_ENDPOINT"),
    /** The flow has no filter entry. */
    MISS_NO_FILTER_ENTRY(4, "STAT_MISS_NO_FILTER_ENTRY"),
    /** The flow's filter entry has only one of its two bits. */
    MISS_HALF_FILTER(5, "STAT_MISS_HALF_FILTER"),
    /** Egress: no level-1 entry for the destination. */
    MISS_NO_EGRESS_HOST(6, "STAT_MISS_NO_EGRESS_HOST"),
    /** Egress: no level-2 entry for the destination's host. */
    MISS_NO_EGRESS_HEADER(7, "STAT_MISS_NO_EGRESS_HEADER"),
    /** Ingress: the outer source is not a host in level 2. */
    MISS_UNKNOWN_REMOTE_HOST(8, "STAT_MISS_UNKNOWN_REMOTE_HOST"),
    /** The endpoint's container/gateway MAC is not known yet. */
    MISS_MACS_NOT_LEARNED(9, "STAT_MISS_MACS_NOT_LEARNED"),
    /** Intra-host: frame addressed neither to the destination nor to the gateway. */
    MISS_UNEXPECTED_DST_MAC(10, "STAT_MISS_UNEXPECTED_DST_MAC"),
    /** Egress: the output NIC is gone or the encapsulated packet exceeds its MTU. */
    MISS_NIC_MTU(11, "STAT_MISS_NIC_MTU"),
    /** ARP, IPv6, ... (the inner frame too, on ingress). */
    PASS_NOT_IPV4(12, "STAT_PASS_NOT_IPV4"),
    /** MF set or fragment offset != 0. */
    PASS_FRAGMENT(13, "STAT_PASS_FRAGMENT"),
    /** IHL > 5. */
    PASS_IP_OPTIONS(14, "STAT_PASS_IP_OPTIONS"),
    /** Destination MAC or IPv4 is broadcast or multicast. */
    PASS_BROADCAST_MULTICAST(15, "STAT_PASS_BROADCAST_MULTICAST"),
    /** Truncated, inconsistent lengths, bad version/ihl. */
    PASS_MALFORMED(16, "STAT_PASS_MALFORMED"),
    /** More than 64 KiB, or too big to encapsulate. */
    PASS_TOO_BIG(17, "STAT_PASS_TOO_BIG"),
    /** TTL <= 1: the overlay must answer with ICMP time exceeded. */
    PASS_TTL_EXPIRING(18, "STAT_PASS_TTL_EXPIRING"),
    /** Ingress: not UDP to our VXLAN port (ordinary host traffic). */
    PASS_NOT_OVERLAY(19, "STAT_PASS_NOT_OVERLAY"),
    /** Ingress: this NIC is not in host_devices. */
    PASS_NO_HOST_DEVICE(20, "STAT_PASS_NO_HOST_DEVICE"),
    /** Egress: destination on this host but cfg_intra_host is 0. */
    PASS_INTRA_HOST_DISABLED(21, "STAT_PASS_INTRA_HOST_DISABLED"),
    /** Ingress: GRO aggregate, left to the kernel's VXLAN device. */
    PASS_INGRESS_GSO(22, "STAT_PASS_INGRESS_GSO"),
    /** Egress: source IPv4 not registered for this veth; passed untouched. */
    SPOOF_REJECTED(23, "STAT_SPOOF_REJECTED"),
    /** Ingress: to our VXLAN port but wrong VNI/flags/lengths/dst MAC/dst IP. */
    HEADER_INVALID(24, "STAT_HEADER_INVALID"),
    /** A helper failed while rewriting the packet. */
    REDIRECT_ERROR(25, "STAT_REDIRECT_ERROR"),
    /** An endpoint's MACs were filled or changed. */
    LEARN_ENDPOINT_MACS(26, "STAT_LEARN_ENDPOINT_MACS"),
    /** Level-1 entry inserted or refreshed. */
    LEARN_EGRESS_HOST(27, "STAT_LEARN_EGRESS_HOST"),
    /** Level-2 entry inserted or refreshed. */
    LEARN_EGRESS_HEADER(28, "STAT_LEARN_EGRESS_HEADER"),
    /** Filter entry written with its egress bit. */
    LEARN_FILTER_EGRESS(29, "STAT_LEARN_FILTER_EGRESS"),
    /** Filter entry written with its ingress bit. */
    LEARN_FILTER_INGRESS(30, "STAT_LEARN_FILTER_INGRESS"),
    /** A learning map update failed. */
    LEARN_FAILED(31, "STAT_LEARN_FAILED"),
    /** A marked packet the learner could not learn from. */
    LEARN_IGNORED(32, "STAT_LEARN_IGNORED");

    /** STAT_COUNT: the number of counters, the {@code stats} map's max_entries. */
    public static final int COUNT = 33;

    private static final List<Stat> BY_INDEX = List.of(values());

    static {
        for (Stat s : BY_INDEX) {
            if (BY_INDEX.get(s.index) != s) {
                throw new ExceptionInInitializerError("Stat " + s + " is out of order");
            }
        }
    }

    private final int index;
    private final String cName;

    Stat(int index, String cName) {
        this.index = index;
        this.cName = cName;
    }

    /** The key of this counter in the {@code stats} map. */
    public int index() {
        return index;
    }

    /** The enumerator's name in the C source, e.g. {@code STAT_HIT_INGRESS}. */
    public String cName() {
        return cName;
    }

    /** The counter at {@code index}. */
    public static Stat of(int index) {
        if (index < 0 || index >= BY_INDEX.size()) {
            throw new IllegalArgumentException("no counter " + index + " (0.." + (BY_INDEX.size() - 1) + ")");
        }
        return BY_INDEX.get(index);
    }

    /** A fast-path hit: the packet was redirected. */
    public boolean isHit() {
        return index <= HIT_INGRESS.index;
    }

    /** A miss: the packet went to the overlay marked, so the learners learn from it. */
    public boolean isMiss() {
        return index >= MISS_NO_ENDPOINT.index && index <= MISS_NIC_MTU.index;
    }
}
