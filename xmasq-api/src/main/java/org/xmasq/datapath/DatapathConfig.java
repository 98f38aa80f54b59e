package org.xmasq.datapath;

import java.nio.ByteBuffer;
import org.xmasq.bpf.Codec;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.StructCodec;

/**
 * The datapath's load-time configuration: the {@code const volatile} globals of config.h, written into the object's
 * {@code .rodata} before load (the verifier then treats them as constants). {@link #RODATA} encodes the whole
 * section, including the read-only {@code xmasq_stat_count}.
 *
 * @param markMiss skb->mark bit(s) a fast path sets on a miss; the learners learn only from packets carrying it
 * @param markRemote set with {@code markMiss} by the ingress fast path: the packet came from another host
 * @param markEst set by the SDK's optional netfilter rule on established conntrack entries
 * @param requireEst the learners also require {@code markEst}
 * @param vxlanPort the overlay's VXLAN UDP port where {@link HostDevice#vxlanPort()} is 0
 * @param vni the overlay's VNI where {@link HostDevice#vni()} is 0
 * @param intraHost container-to-container traffic on this host goes veth to veth
 * @param sportMin lower bound of the outer UDP source port range (inclusive), as the kernel's
 * @param sportMax upper bound as the kernel gives it (ports lie in [sportMin, sportMax), like udp_flow_src_port)
 * @param ingressGso the ingress fast path also decapsulates GSO packets (GRO aggregates). Off by default: on
 *     kernels without {@code BPF_F_ADJ_ROOM_DECAP_L4_UDP} (6.18 and older) the delivered packet keeps its UDP-tunnel
 *     GSO state, harmless for a container that consumes its traffic but wrong for one that forwards it to a NIC
 *     with UDP tunnel segmentation offload. On, bulk TCP is received without the VXLAN device.
 */
public record DatapathConfig(int markMiss, int markRemote, int markEst, boolean requireEst, int vxlanPort, int vni,
                             boolean intraHost, int sportMin, int sportMax, boolean ingressGso) {
    /** The defaults compiled into the object; the marks stay clear of kube-proxy's 0x4000 and 0x8000. */
    public static final DatapathConfig DEFAULTS = new DatapathConfig(0x01000000, 0x02000000, 0x04000000, false, 8472,
            1, true, 32768, 60999, false);

    /** The whole {@code .rodata} section (44 bytes), every variable at its offset in the object. */
    public static final StructCodec<DatapathConfig> RODATA;

    static {
        Codec<Boolean> flag = bool();
        var b = StructCodec.<DatapathConfig>builder(".rodata");
        var miss = b.field("cfg_mark_miss", Codecs.u32(), DatapathConfig::markMiss);
        var remote = b.field("cfg_mark_remote", Codecs.u32(), DatapathConfig::markRemote);
        var est = b.field("cfg_mark_est", Codecs.u32(), DatapathConfig::markEst);
        var requireEst = b.field("cfg_require_est", flag, DatapathConfig::requireEst);
        var port = b.field("cfg_vxlan_port", Codecs.u32(), DatapathConfig::vxlanPort);
        var vni = b.field("cfg_vni", Codecs.u32(), DatapathConfig::vni);
        var intra = b.field("cfg_intra_host", flag, DatapathConfig::intraHost);
        var min = b.field("cfg_sport_min", Codecs.u32(), DatapathConfig::sportMin);
        var max = b.field("cfg_sport_max", Codecs.u32(), DatapathConfig::sportMax);
        var gso = b.field("cfg_ingress_gso", flag, DatapathConfig::ingressGso);
        // Read-only in the C code: always the number of counters this SDK knows.
        b.field("xmasq_stat_count", Codecs.u32(), c -> Stat.COUNT);
        RODATA = b.build(v -> new DatapathConfig(v.get(miss), v.get(remote), v.get(est), v.get(requireEst),
                v.get(port), v.get(vni), v.get(intra), v.get(min), v.get(max), v.get(gso)));
    }

    public DatapathConfig {
        if (markMiss == 0 || markRemote == 0) {
            throw new IllegalArgumentException("the miss and remote marks need at least one bit each");
        }
        if ((markMiss & markRemote) != 0 || (markMiss & markEst) != 0 || (markRemote & markEst) != 0) {
            throw new IllegalArgumentException(String.format(
                    "the marks must not share bits: miss 0x%x, remote 0x%x, est 0x%x", markMiss, markRemote, markEst));
        }
        if (requireEst && markEst == 0) {
            throw new IllegalArgumentException("requireEst needs a non-zero est mark");
        }
        if (vxlanPort <= 0 || vxlanPort > 0xffff) {
            throw new IllegalArgumentException("VXLAN port is 1..65535, not " + vxlanPort);
        }
        if (vni < 0 || vni > 0xffffff) {
            throw new IllegalArgumentException("a VNI has 24 bits, not " + vni);
        }
        if (sportMin < 1 || sportMax > 0x10000 || sportMax < sportMin) {
            throw new IllegalArgumentException("source port range must satisfy 1 <= min <= max <= 65536, not ["
                    + sportMin + ", " + sportMax + "]");
        }
    }

    public DatapathConfig withMarks(int miss, int remote, int est) {
        return new DatapathConfig(miss, remote, est, requireEst, vxlanPort, vni,
                intraHost, sportMin, sportMax, ingressGso);
    }

    public DatapathConfig withRequireEst(boolean require) {
        return new DatapathConfig(markMiss, markRemote, markEst, require, vxlanPort, vni,
                intraHost, sportMin, sportMax, ingressGso);
    }

    public DatapathConfig withVxlan(int port, int newVni) {
        return new DatapathConfig(markMiss, markRemote, markEst, requireEst, port, newVni,
                intraHost, sportMin, sportMax, ingressGso);
    }

    public DatapathConfig withIntraHost(boolean enabled) {
        return new DatapathConfig(markMiss, markRemote, markEst, requireEst, vxlanPort, vni,
                enabled, sportMin, sportMax, ingressGso);
    }

    public DatapathConfig withSourcePortRange(int min, int max) {
        return new DatapathConfig(markMiss, markRemote, markEst, requireEst, vxlanPort, vni,
                intraHost, min, max, ingressGso);
    }

    public DatapathConfig withIngressGso(boolean enabled) {
        return new DatapathConfig(markMiss, markRemote, markEst, requireEst, vxlanPort, vni,
                intraHost, sportMin, sportMax, enabled);
    }

    /** Every mark bit the datapath owns (the learners clear these). */
    public int allMarks() {
        return markMiss | markRemote | markEst;
    }

    /**
     * The outer UDP source port the datapath (and the kernel's VXLAN device) uses for a flow hash, in
     * [sportMin, sportMax).
     */
    public int sourcePortFor(int hash) {
        if (sportMax <= sportMin) {
            return sportMin;
        }
        long h = Integer.toUnsignedLong(hash ^ (hash << 16));
        return (int) (sportMin + ((h * (sportMax - sportMin)) >>> 32));
    }

    /** The encoded .rodata section. */
    public byte[] rodata() {
        ByteBuffer buf = ByteBuffer.allocate(RODATA.size());
        RODATA.encode(this, buf, 0);
        return buf.array();
    }

    private static Codec<Boolean> bool() {
        Codec<Integer> u32 = Codecs.u32();
        return new Codec<>() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public int alignment() {
                return 4;
            }

            @Override
            public void encode(Boolean value, ByteBuffer buf, int offset) {
                u32.encode(value ? 1 : 0, buf, offset);
            }

            @Override
            public Boolean decode(ByteBuffer buf, int offset) {
                return u32.decode(buf, offset) != 0;
            }

            @Override
            public String name() {
                return "u32 (0/1)";
            }
        };
    }
}
