package org.xmasq.datapath;

import java.util.EnumMap;
import java.util.Map;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.bpf.PerCpuMap;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.TestRunResult;
import org.xmasq.net.Ipv4Address;
import org.xmasq.testing.Netns;

/**
 * The real datapath object loaded through this JVM's backend, with typed handles on its maps, and a throwaway
 * namespace holding the devices the programs look up by ifindex: the host NIC ({@link #nic}), the host-side veths
 * of two local containers ({@link #veth1}, {@link #veth2}) and a third veth no endpoint is registered on
 * ({@link #vethOther}). Programs run through BPF_PROG_TEST_RUN on that namespace's thread. The addresses are
 * those of {@link Topology}.
 */
final class KernelDatapath implements AutoCloseable {
    final LibBpf lib;
    final DatapathConfig config;
    final Netns ns;
    final int nic;
    final int veth1;
    final int veth2;
    final int vethOther;
    final BpfObject object;
    final BpfMap<Ipv4Address, Endpoint> endpoints;
    final BpfMap<Ipv4Address, EgressHost> egressHosts;
    final BpfMap<Ipv4Address, EgressHeader> egressHeaders;
    final BpfMap<FlowKey, FilterEntry> filter;
    final BpfMap<Integer, HostDevice> hostDevices;
    final PerCpuMap<Integer, Long> stats;

    private KernelDatapath(LibBpf lib, DatapathConfig config, Netns ns, BpfObject object) {
        this.lib = lib;
        this.config = config;
        this.ns = ns;
        this.object = object;
        ns.ip("link", "add", "nic0", "type", "veth", "peer", "name", "underlay0");
        ns.ip("link", "add", "veth1", "type", "veth", "peer", "name", "ctr1");
        ns.ip("link", "add", "veth2", "type", "veth", "peer", "name", "ctr2");
        ns.ip("link", "add", "veth3", "type", "veth", "peer", "name", "ctr3");
        ns.ip("link", "set", "nic0", "address", Topology.NIC_MAC.toString(), "mtu", "1500", "up");
        for (String dev : new String[] {"underlay0", "veth1", "veth2", "veth3", "ctr1", "ctr2", "ctr3"}) {
            ns.ip("link", "set", dev, "up");
        }
        nic = ns.call(() -> lib.ifNameToIndex("nic0"));
        veth1 = ns.call(() -> lib.ifNameToIndex("veth1"));
        veth2 = ns.call(() -> lib.ifNameToIndex("veth2"));
        vethOther = ns.call(() -> lib.ifNameToIndex("veth3"));
        if (nic <= 1 || veth1 <= 1 || veth2 <= 1 || vethOther <= 1) {
            throw new IllegalStateException("devices not found in " + ns.name());
        }
        endpoints = object.map(DatapathObject.ENDPOINTS, DatapathObject.IPV4_KEY, Endpoint.CODEC);
        egressHosts = object.map(DatapathObject.EGRESS_HOSTS, DatapathObject.IPV4_KEY, EgressHost.CODEC);
        egressHeaders = object.map(DatapathObject.EGRESS_HEADERS, DatapathObject.IPV4_KEY, EgressHeader.CODEC);
        filter = object.map(DatapathObject.FILTER_CACHE, FlowKey.CODEC, FilterEntry.CODEC);
        hostDevices = object.map(DatapathObject.HOST_DEVICES, DatapathObject.IFINDEX_KEY, HostDevice.CODEC);
        stats = object.perCpuMap(DatapathObject.STATS, DatapathObject.STAT_KEY, DatapathObject.COUNTER);
    }

    static KernelDatapath start() {
        return start(DatapathConfig.DEFAULTS);
    }

    static KernelDatapath start(DatapathConfig config) {
        LibBpf lib = LibBpfs.get();
        Netns ns = Netns.create(lib);
        BpfObject object = null;
        try {
            BpfObjectSpec spec = DatapathObject.open(lib, config);
            object = spec.load();
            return new KernelDatapath(lib, config, ns, object);
        } catch (RuntimeException | Error e) {
            if (object != null) {
                object.close();
            }
            ns.close();
            throw e;
        }
    }

    BpfProgram program(String name) {
        return object.program(name);
    }

    /** Empties every cache and zeroes the counters. */
    void reset() {
        endpoints.clear();
        egressHosts.clear();
        egressHeaders.clear();
        filter.clear();
        hostDevices.clear();
        for (Stat s : Stat.values()) {
            stats.putOnAllCpus(s.index(), 0L);
        }
    }

    Verdict run(String program, byte[] frame, Skb skb) {
        return run(program, frame, skb, 1);
    }

    /** Sees every verdict (the figures main uses it to read the kernel's timing). */
    interface Observer {
        void seen(Verdict v);
    }

    Observer observer = v -> { };

    Verdict run(String program, byte[] frame, Skb skb, int repeat) {
        BpfProgram p = program(program);
        TestRunRequest req = new TestRunRequest(frame, frame.length + 256, skb.bytes(), Skb.SIZE, repeat);
        TestRunResult r = ns.call(() -> p.testRun(req));
        Verdict v = new Verdict(r.retval(), r.dataOut(), Skb.parse(r.ctxOut()), r.durationNs());
        observer.seen(v);
        return v;
    }

    /** The egress fast path on a packet a container sent through {@code veth}. */
    Verdict egress(byte[] frame, int veth) {
        return run(DatapathObject.EGRESS_FAST_PATH, frame, new Skb(0, veth, 0));
    }

    /** The ingress fast path on a packet arriving at the NIC. */
    Verdict ingress(byte[] frame) {
        return run(DatapathObject.INGRESS_FAST_PATH, frame, new Skb(0, nic, 0));
    }

    /** The ingress learner on a packet the slow path delivers through {@code veth}, carrying {@code mark}. */
    Verdict ingressLearner(byte[] frame, int mark, int veth) {
        return run(DatapathObject.INGRESS_LEARNER, frame, new Skb(mark, veth, 0));
    }

    /** The egress learner on a packet the overlay sends out of the NIC, carrying {@code mark}. */
    Verdict egressLearner(byte[] frame, int mark) {
        return run(DatapathObject.EGRESS_LEARNER, frame, new Skb(mark, nic, 0));
    }

    long count(Stat stat) {
        return stats.lookupCombined(stat.index(), Long::sum).orElseThrow();
    }

    /** Every non-zero counter, summed over the CPUs. */
    Map<Stat, Long> counts() {
        Map<Stat, Long> out = new EnumMap<>(Stat.class);
        stats.lookupAll().forEach((index, perCpu) -> {
            long c = perCpu.stream().mapToLong(Long::longValue).sum();
            if (c != 0) {
                out.put(Stat.of(index), c);
            }
        });
        return out;
    }

    // ---------------------------------------------------------------- cache contents for the tests

    /** Registers this host's NIC in host_devices (default port and VNI). */
    void registerNic() {
        hostDevices.put(nic, HostDevice.of(Topology.LOCAL_HOST, Topology.NIC_MAC));
    }

    /** Registers both local containers on their veths with both MACs known (as after a remote delivery). */
    void registerContainersLearned() {
        endpoints.put(Topology.C1, new Endpoint(veth1, Topology.C1_MAC, Topology.GATEWAY_MAC, Endpoint.MACS_KNOWN));
        endpoints.put(Topology.C2, new Endpoint(veth2, Topology.C2_MAC, Topology.GATEWAY_MAC, Endpoint.MACS_KNOWN));
    }

    /** What the egress learner would hold for the remote host: the overlay's header and the NIC. */
    void cacheRemoteHost() {
        egressHosts.put(Topology.R, new EgressHost(Topology.REMOTE_HOST));
        egressHeaders.put(Topology.REMOTE_HOST, new EgressHeader(Topology.overlayHeader(), nic));
    }

    /** Everything an inter-host flow needs for both fast paths: NIC, endpoints, level 1 and 2, both filter bits. */
    void cacheInterHostFlow(FlowKey flow) {
        registerNic();
        registerContainersLearned();
        cacheRemoteHost();
        filter.put(flow, FilterEntry.BOTH);
    }

    @Override
    public void close() {
        try {
            object.close();
        } finally {
            ns.close();
        }
    }
}
