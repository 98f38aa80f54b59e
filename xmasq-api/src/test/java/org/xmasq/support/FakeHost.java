package org.xmasq.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xmasq.XMasq;
import org.xmasq.XMasqBuilder;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.host.CommandRunner;
import org.xmasq.host.HostInterfaces;
import org.xmasq.host.InterfaceInfo;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.fake.FakeLibBpf;
import org.xmasq.libbpf.fake.FakeObjectSpec;
import org.xmasq.net.Ipv4Address;
import org.xmasq.net.MacAddress;

/**
 * A fake kernel that knows an object shaped like xmasq.bpf.o (same maps, sizes and programs), a host with a NIC
 * "eth0" (10.1.0.1), container veths "veth1".."veth3", a NIC without IPv4 "eth9" and a bridge "cni0"; a fake
 * iproute2 view of them, and a recording command runner for iptables/nft.
 */
public final class FakeHost {
    public static final Path PIN_ROOT = Path.of("/sys/fs/bpf/xmt-unit");
    public static final int ETH0 = 2;
    public static final int VETH1 = 11;
    public static final int VETH2 = 12;
    public static final int VETH3 = 13;
    public static final int ETH9 = 9;
    public static final int CNI0 = 5;
    public static final Ipv4Address NIC_IP = Ipv4Address.parse("10.1.0.1");
    public static final MacAddress NIC_MAC = MacAddress.parse("02:00:00:00:01:01");

    public final FakeLibBpf lib = new FakeLibBpf();
    public final Map<String, InterfaceInfo> interfaces = new LinkedHashMap<>();
    public final List<List<String>> commands = new ArrayList<>();
    /** Answers the recorded commands; default: no iptables, no nft. */
    public Function<List<String>, CommandRunner.Result> answer = c -> new CommandRunner.Result(-1, "not installed");

    public FakeHost() {
        lib.registerObject("xmasq", xmasqObject());
        add("eth0", ETH0, "", NIC_MAC, List.of(NIC_IP));
        add("eth9", ETH9, "", MacAddress.parse("02:00:00:00:09:09"), List.of());
        add("cni0", CNI0, "bridge", MacAddress.parse("02:00:00:00:05:05"), List.of(Ipv4Address.parse("10.244.1.1")));
        add("veth1", VETH1, "veth", MacAddress.parse("02:00:00:00:00:11"), List.of());
        add("veth2", VETH2, "veth", MacAddress.parse("02:00:00:00:00:12"), List.of());
        add("veth3", VETH3, "veth", MacAddress.parse("02:00:00:00:00:13"), List.of());
    }

    public static FakeObjectSpec xmasqObject() {
        return FakeObjectSpec.builder()
                .map("endpoints", FakeLibBpf.MAP_HASH, 4, 20, 1024)
                .map("egress_hosts", FakeLibBpf.MAP_LRU_HASH, 4, 4, 16384)
                .map("egress_headers", FakeLibBpf.MAP_LRU_HASH, 4, 68, 1024)
                .map("filter_cache", FakeLibBpf.MAP_LRU_HASH, 16, 4, 65536)
                .map("host_devices", FakeLibBpf.MAP_HASH, 4, 16, 16)
                .map("stats", FakeLibBpf.MAP_PERCPU_ARRAY, 4, 8, 33)
                .rodata(DatapathConfig.RODATA.size())
                .program("xmasq_egress_fast_path", "tc", FakeLibBpf.PROG_SCHED_CLS)
                .program("xmasq_ingress_learner", "tc", FakeLibBpf.PROG_SCHED_CLS)
                .program("xmasq_ingress_fast_path", "tc", FakeLibBpf.PROG_SCHED_CLS)
                .program("xmasq_egress_learner", "tc", FakeLibBpf.PROG_SCHED_CLS)
                .build();
    }

    public void add(String name, int ifindex, String kind, MacAddress mac, List<Ipv4Address> ips) {
        lib.addInterface(name, ifindex);
        interfaces.put(name, new InterfaceInfo(name, ifindex, kind, mac, ips));
    }

    public void remove(String name) {
        lib.removeInterface(name);
        interfaces.remove(name);
    }

    public HostInterfaces hostInterfaces() {
        return new HostInterfaces() {
            @Override
            public Optional<InterfaceInfo> find(String name) {
                return Optional.ofNullable(interfaces.get(name));
            }

            @Override
            public Optional<InterfaceInfo> find(int ifindex) {
                return interfaces.values().stream().filter(i -> i.ifindex() == ifindex).findFirst();
            }

            @Override
            public Optional<InterfaceInfo> vethPeer(java.nio.file.Path netns, String ifName) {
                return Optional.empty(); // the fake host has no container namespaces
            }

            @Override
            public String namespace() {
                return "net:[fake]";
            }
        };
    }

    public CommandRunner runner() {
        return c -> {
            synchronized (commands) {
                commands.add(List.copyOf(c));
            }
            return answer.apply(c);
        };
    }

    /** A builder wired to this fake host (pins under {@link #PIN_ROOT}). */
    public XMasqBuilder builder() {
        return XMasq.builder().libBpf(lib).pinRoot(PIN_ROOT).hostInterfaces(hostInterfaces()).commandRunner(runner());
    }

    /** tcx links plus classic filters on {@code ifindex}, both directions. */
    public int attachmentsOn(int ifindex) {
        int n = 0;
        for (TcAttachPoint p : TcAttachPoint.values()) {
            n += lib.tcxLinks(ifindex, p).size() + lib.tcFilters(ifindex, p).size();
        }
        return n;
    }

    public List<String> pinsUnderRoot() {
        return lib.pinnedPaths().stream().filter(p -> p.startsWith(PIN_ROOT.toString() + "/")).sorted().toList();
    }
}
