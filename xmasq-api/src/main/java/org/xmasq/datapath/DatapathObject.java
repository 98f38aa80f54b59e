package org.xmasq.datapath;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.Codec;
import org.xmasq.bpf.Codecs;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.net.Ipv4Address;

/**
 * The datapath object shipped in xmasq-bpf ({@value #RESOURCE}): the names of its programs and maps, the key codecs
 * of its maps, its digest, and {@link #open} to get a spec with a configuration written into {@code .rodata} and the
 * map sizes set. Loading, pinning and attaching are up to the caller.
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

    private static final List<String> PROGRAMS = List.of(EGRESS_FAST_PATH, INGRESS_LEARNER, INGRESS_FAST_PATH,
            EGRESS_LEARNER);
    private static final List<String> MAPS = List.of(ENDPOINTS, EGRESS_HOSTS, EGRESS_HEADERS, FILTER_CACHE,
            HOST_DEVICES, STATS);

    private DatapathObject() {
    }

    /** The four programs. */
    public static List<String> programNames() {
        return PROGRAMS;
    }

    /** The maps the SDK pins and uses (the internal .rodata/.bss maps are not among them). */
    public static List<String> mapNames() {
        return MAPS;
    }

    /** Whether a kernel program name is that of {@code program} (the kernel keeps 15 characters). */
    public static boolean isProgram(String kernelName, String program) {
        return kernelName != null && (kernelName.equals(program)
                || kernelName.equals(program.substring(0, Math.min(15, program.length()))));
    }

    /** Whether a kernel program name is that of one of the four programs. */
    public static boolean isOurs(String kernelName) {
        return PROGRAMS.stream().anyMatch(p -> isProgram(kernelName, p));
    }

    /**
     * The SHA-256 of the object: from the digest the build ships next to it ({@code .sha256}, checked by a test), or
     * computed when there is none.
     */
    public static byte[] digest() {
        try (InputStream in = DatapathObject.class.getClassLoader().getResourceAsStream(RESOURCE + ".sha256")) {
            if (in != null) {
                String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (hex.length() == 64) {
                    return HexFormat.of().parseHex(hex);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // fall through: hash the object itself
        }
        return computedDigest();
    }

    /** The SHA-256 of the object, computed from the resource. */
    public static byte[] computedDigest() {
        try (InputStream in = DatapathObject.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no classpath resource " + RESOURCE
                        + " (is xmasq-bpf on the classpath?)");
            }
            return MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the verifier made of one program: its translated and JIT-ed size and the instructions it processed. */
    public record VerifiedProgram(String name, int xlatedBytes, int jitedBytes, int verifiedInsns) {
    }

    /**
     * Loads the object with the default configuration (nothing pinned or attached) and reports each program as this
     * kernel's verifier accepted it. A rejection throws {@link org.xmasq.libbpf.VerifierException} with the log.
     */
    public static List<VerifiedProgram> verify(LibBpf lib) {
        BpfObjectSpec spec = open(lib, DatapathConfig.DEFAULTS);
        try (spec; org.xmasq.bpf.BpfObject o = spec.load()) {
            return PROGRAMS.stream().map(p -> {
                var info = o.program(p).info();
                return new VerifiedProgram(p, info.xlatedLen(), info.jitedLen(), info.verifiedInsns());
            }).toList();
        }
    }

    /** Opens the object through {@link LibBpfs#get()} with {@code config} in its .rodata. */
    public static BpfObjectSpec open(DatapathConfig config) {
        return open(LibBpfs.get(), config);
    }

    /** Opens the object with {@code config} in its .rodata; close the spec if it is not loaded. */
    public static BpfObjectSpec open(LibBpf lib, DatapathConfig config) {
        return open(lib, config, MapSizes.DEFAULTS);
    }

    /** Opens the object with {@code config} in its .rodata and the maps sized; close the spec if it is not loaded. */
    public static BpfObjectSpec open(LibBpf lib, DatapathConfig config, MapSizes sizes) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(sizes, "sizes");
        BpfObjectSpec spec = BpfObjectSpec.fromResource(lib, RESOURCE);
        try {
            spec.setMaxEntries(ENDPOINTS, sizes.endpoints());
            spec.setMaxEntries(EGRESS_HOSTS, sizes.egressHosts());
            spec.setMaxEntries(EGRESS_HEADERS, sizes.egressHeaders());
            spec.setMaxEntries(FILTER_CACHE, sizes.filterCache());
            spec.setMaxEntries(HOST_DEVICES, sizes.hostDevices());
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
