package org.xmasq.datapath;

import java.util.Objects;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.Codec;
import org.xmasq.bpf.Codecs;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.net.Ipv4Address;

/**
 * The datapath object shipped in xmasq-bpf ({@value #RESOURCE}): the names of its programs and maps, the key codecs
 * of its maps, and {@link #open} to get a spec with a configuration written into {@code .rodata}. Loading, pinning
 * and attaching are up to the caller.
 */
public final class DatapathObject {
    /** Classpath resource of the compiled object. */
    public static final String RESOURCE = "org/xmasq/bpf/xmasq.bpf.o";

    /** Host-side veth of each container, TC ingress: intra-host redirect or encapsulate and redirect to the NIC. */
    public static final String EGRESS_FAST_PATH = "xmasq_egress_fast_path";
    /** Host-side veth of each container, TC egress: learns from marked slow-path deliveries into the container. */
    public static final String INGRESS_LEARNER = "xmasq_ingress_learner";
    /** Host NIC, TC ingress: decapsulate and redirect into the container. */
    public static final String INGRESS_FAST_PATH = "xmasq_ingress_fast_path";
    /** Host NIC, TC egress: learns the egress caches from marked VXLAN packets of the overlay. */
    public static final String EGRESS_LEARNER = "xmasq_egress_learner";

    /** HASH: container IPv4 ({@link #IPV4_KEY}) -> {@link Endpoint}. */
    public static final String ENDPOINTS = "endpoints";
    /** LRU_HASH, level 1: remote container IPv4 ({@link #IPV4_KEY}) -> {@link EgressHost}. */
    public static final String EGRESS_HOSTS = "egress_hosts";
    /** LRU_HASH, level 2: remote host IPv4 ({@link #IPV4_KEY}) -> {@link EgressHeader}. */
    public static final String EGRESS_HEADERS = "egress_headers";
    /** LRU_HASH: {@link FlowKey} -> {@link FilterEntry}. */
    public static final String FILTER_CACHE = "filter_cache";
    /** HASH: NIC ifindex ({@link #IFINDEX_KEY}) -> {@link HostDevice}. */
    public static final String HOST_DEVICES = "host_devices";
    /** PERCPU_ARRAY: {@link Stat#index()} ({@link #STAT_KEY}) -> u64 per CPU ({@link #COUNTER}). */
    public static final String STATS = "stats";

    /** Key of endpoints, egress_hosts and egress_headers: an IPv4 address in network byte order. */
    public static final Codec<Ipv4Address> IPV4_KEY = Codecs.ipv4();
    /** Key of host_devices: an ifindex, host byte order. */
    public static final Codec<Integer> IFINDEX_KEY = Codecs.u32();
    /** Key of stats: a counter index. */
    public static final Codec<Integer> STAT_KEY = Codecs.u32();
    /** Value of stats, per CPU. */
    public static final Codec<Long> COUNTER = Codecs.u64();

    private DatapathObject() {
    }

    /** Opens the object through {@link LibBpfs#get()} with {@code config} in its .rodata. */
    public static BpfObjectSpec open(DatapathConfig config) {
        return open(LibBpfs.get(), config);
    }

    /** Opens the object with {@code config} in its .rodata; close the spec if it is not loaded. */
    public static BpfObjectSpec open(LibBpf lib, DatapathConfig config) {
        Objects.requireNonNull(config, "config");
        BpfObjectSpec spec = BpfObjectSpec.fromResource(lib, RESOURCE);
        try {
            int size = spec.rodataSize();
            if (size != DatapathConfig.RODATA.size()) {
                throw new IllegalStateException(RESOURCE + ": .rodata is " + size + " bytes but this SDK writes "
                        + DatapathConfig.RODATA.size() + "; the object and the SDK are from different versions");
            }
            spec.setRodata(config.rodata());
            return spec;
        } catch (RuntimeException e) {
            spec.close();
            throw e;
        }
    }
}
