package org.xmasq.examples.testbed;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two nodes and four containers in network namespaces, joined by a Flannel-style VXLAN overlay, programmed the way
 * Flannel's VXLAN backend programs a node (no flanneld: the testbed writes what flanneld would).
 *
 * <pre>
 *   PREFIX-h1c1  PREFIX-h1c2                                   PREFIX-h2c1  PREFIX-h2c2
 *   10.244.1.2   10.244.1.3                                    10.244.2.2   10.244.2.3
 *       eth0       eth0                                            eth0       eth0
 *        |          |                                               |          |
 *     vethc1     vethc2                                          vethc1     vethc2
 *   +--- cni0 10.244.1.1/24 ---+                               +--- cni0 10.244.2.1/24 ---+
 *   |  flannel.1 10.244.1.0/32 |  VXLAN VNI 1, UDP 8472        |  flannel.1 10.244.2.0/32 |
 *   |  eth0 10.250.0.1/24 =====|======== veth underlay ========|= eth0 10.250.0.2/24      |
 *   +------- PREFIX-h1 --------+          MTU 1500             +------- PREFIX-h2 --------+
 * </pre>
 *
 * Per node, as Flannel does: a VXLAN device {@code flannel.1} (VNI 1, port 8472, local = the underlay address,
 * {@code nolearning}, MTU 1450) carrying the .0 of the node's /24 as a /32; for each remote node a route to its /24
 * via its .0 {@code onlink} on flannel.1, a permanent neighbour entry (remote .0 -> remote VTEP MAC) and a permanent
 * FDB entry (remote VTEP MAC -> remote underlay IP). The bridge {@code cni0} holds the .1 (MTU 1450) as the
 * bridge CNI plugin configures it; each container gets a veth (MTU 1450) with a default route via the bridge. When
 * iptables is installed, Flannel's forward-accept and masquerade rules are installed too, so the overlay pays for
 * netfilter and conntrack like a real node. IPv6 is disabled in every namespace so no background traffic
 * (router solicitations, MLD) disturbs counters.
 *
 * <p>Everything lives in namespaces this class made, all named {@code PREFIX-*} with {@code PREFIX = "xmb" + 4 hex
 * digits}; nothing is created in the caller's namespace. {@link #close()} (or {@link #cleanup(String)} after a
 * crash) deletes them. A live testbed holds a lock file under /run/lock, so {@link #sweepStale()} deletes only
 * testbeds whose owning process is gone.
 *
 * <p>Host network for comparison ({@link #hostNetwork(Scope)}): inter-host, the two node namespaces talk over their
 * underlay addresses directly. Intra-host, two processes in one node namespace talk over that node's underlay
 * address: the kernel delivers any local address through the loopback device, which is exactly what two
 * host-network pods on one node get (a veth in a single namespace would be bypassed the same way).
 */
public final class Testbed implements AutoCloseable {
    /** What this code generates as a prefix; only names matching it are ever swept. */
    public static final Pattern PREFIX = Pattern.compile("xmb[0-9a-f]{4}");
    /** Overlay MTU: the underlay's 1500 minus the 50 bytes of VXLAN encapsulation, as Flannel computes it. */
    public static final int OVERLAY_MTU = 1450;
    public static final int UNDERLAY_MTU = 1500;
    public static final int VXLAN_PORT = 8472;
    public static final int VNI = 1;
    public static final String CLUSTER_CIDR = "10.244.0.0/16";
    public static final String NIC = "eth0";
    public static final String VXLAN = "flannel.1";
    public static final String BRIDGE = "cni0";
    public static final int HOSTS = 2;
    public static final int CONTAINERS_PER_HOST = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Testbed.class);
    private static final Path LOCK_DIR = Path.of("/run/lock");
    private static final Pattern NETNS_NAME = Pattern.compile("^(" + PREFIX.pattern() + ")-[A-Za-z0-9]+$");
    private static final Pattern MAC = Pattern.compile("\"address\"\\s*:\\s*\"([0-9a-f:]{17})\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Host> hosts = new ArrayList<>();
    private final List<Container> containers = new ArrayList<>();
    private final boolean netfilter;
    private boolean closed;

    private Testbed(String prefix, FileChannel lockChannel, FileLock lock, boolean netfilter) {
        this.prefix = prefix;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.netfilter = netfilter;
    }

    /** A fresh random prefix, {@code "xmb" + 4 hex digits}, not used by any namespace now. */
    public static String newPrefix() {
        Set<String> used = prefixesInUse();
        while (true) {
            byte[] b = new byte[2];
            RANDOM.nextBytes(b);
            String p = "xmb" + HexFormat.of().formatHex(b);
            if (!used.contains(p)) {
                return p;
            }
        }
    }

    /** Builds a testbed under a fresh prefix; on any failure what was built is removed before the exception leaves. */
    public static Testbed create() {
        for (int attempt = 1; ; attempt++) {
            String prefix = newPrefix();
            if (attempt < 5 && isHeld(prefix)) {
                continue; // another process is just building a testbed under the same random prefix
            }
            return create(prefix);
        }
    }

    /** Builds a testbed under {@code prefix} (which must match {@link #PREFIX} and be unused). */
    public static Testbed create(String prefix) {
        requirePrefix(prefix);
        if (prefixesInUse().contains(prefix)) {
            throw new TestbedException("prefix " + prefix + " is in use");
        }
        FileChannel ch = null;
        FileLock lock;
        try {
            Files.createDirectories(LOCK_DIR);
            ch = FileChannel.open(lockFile(prefix), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = ch.tryLock();
            if (lock == null) {
                throw new TestbedException("prefix " + prefix + " is in use by another process");
            }
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new TestbedException("prefix " + prefix + " is in use in this process", e);
        } catch (TestbedException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new TestbedException("cannot lock " + lockFile(prefix) + ": " + e.getMessage(), e);
        }
        Testbed tb = new Testbed(prefix, ch, lock, Commands.available("iptables"));
        try {
            tb.build();
            return tb;
        } catch (RuntimeException e) {
            try {
                tb.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public String prefix() {
        return prefix;
    }

    public List<Host> hosts() {
        return List.copyOf(hosts);
    }

    public List<Container> containers() {
        return List.copyOf(containers);
    }

    /** Node {@code i}, counted from 1 like the names. */
    public Host host(int i) {
        return hosts.get(i - 1);
    }

    /** Container {@code c} of node {@code h}, both counted from 1. */
    public Container container(int h, int c) {
        return containers.get((h - 1) * CONTAINERS_PER_HOST + (c - 1));
    }

    public List<Container> containersOf(Host host) {
        return containers.stream().filter(c -> c.host().equals(host)).toList();
    }

    /** Pings {@code ip} from {@code from} (three echoes, 200 ms apart, one second to answer). */
    public static boolean ping(Netns from, String ip) {
        return from.run(java.time.Duration.ofSeconds(10), "ping", "-q", "-c", "3", "-i", "0.2", "-W", "1", ip).ok();
    }

    /** Whether Flannel's iptables rules were installed (iptables was found). */
    public boolean netfilter() {
        return netfilter;
    }

    /** Every namespace of this testbed, nodes first. */
    public List<Netns> namespaces() {
        List<Netns> all = new ArrayList<>();
        hosts.forEach(h -> all.add(h.netns()));
        containers.forEach(c -> all.add(c.netns()));
        return all;
    }

    /** Host-network flow ends for {@code scope}: see the class comment. */
    public Route hostNetwork(Scope scope) {
        Host h1 = host(1);
        return switch (scope) {
            case INTER_HOST -> new Route(h1.netns(), host(2).netns(), host(2).underlayIp(),
                    "h1 -> h2 over the underlay veth");
            case INTRA_HOST -> new Route(h1.netns(), h1.netns(), h1.underlayIp(),
                    "h1 -> h1's own address (loopback)");
        };
    }

    /** Overlay flow ends for {@code scope}: container h1c1 to h2c1 (across VXLAN) or to h1c2 (over the bridge). */
    public Route overlay(Scope scope) {
        Container from = container(1, 1);
        Container to = scope == Scope.INTER_HOST ? container(2, 1) : container(1, 2);
        String how = scope == Scope.INTER_HOST ? "h1c1 -> h2c1 over cni0, flannel.1, underlay"
                : "h1c1 -> h1c2 over cni0";
        return new Route(from.netns(), to.netns(), to.ip(), how);
    }

    private void build() {
        long t0 = System.nanoTime();
        for (int h = 1; h <= HOSTS; h++) {
            addNamespace(prefix + "-h" + h);
        }
        Netns n1 = new Netns(prefix + "-h1");
        Netns n2 = new Netns(prefix + "-h2");
        // The underlay: one veth whose ends are the two nodes' NICs.
        n1.ip("link", "add", NIC, "mtu", String.valueOf(UNDERLAY_MTU), "type", "veth", "peer", "name", NIC,
                "mtu", String.valueOf(UNDERLAY_MTU), "netns", n2.name());
        List<Netns> nodeNs = List.of(n1, n2);
        Map<Integer, String> vtepMacs = new LinkedHashMap<>();
        for (int h = 1; h <= HOSTS; h++) {
            Netns ns = nodeNs.get(h - 1);
            String underlay = underlayIp(h);
            ns.ip("link", "set", "lo", "up");
            ns.ip("addr", "add", underlay + "/24", "dev", NIC);
            ns.ip("link", "set", NIC, "up");
            ns.check("sysctl", "-qw", "net.ipv4.ip_forward=1");
            // flannel.1, as the VXLAN backend creates it.
            ns.ip("link", "add", VXLAN, "type", "vxlan", "id", String.valueOf(VNI), "local", underlay, "dev", NIC,
                    "dstport", String.valueOf(VXLAN_PORT), "nolearning");
            ns.ip("link", "set", VXLAN, "mtu", String.valueOf(OVERLAY_MTU));
            ns.ip("addr", "add", vtepIp(h) + "/32", "dev", VXLAN);
            ns.ip("link", "set", VXLAN, "up");
            vtepMacs.put(h, mac(ns, VXLAN));
            // cni0, as the bridge CNI plugin creates it with Flannel's subnet.env.
            ns.ip("link", "add", BRIDGE, "type", "bridge");
            ns.ip("link", "set", BRIDGE, "mtu", String.valueOf(OVERLAY_MTU));
            ns.ip("addr", "add", bridgeIp(h) + "/24", "dev", BRIDGE);
            ns.ip("link", "set", BRIDGE, "up");
            if (netfilter) {
                flannelRules(ns, h);
            }
            hosts.add(new Host("h" + h, ns, NIC, underlay, VXLAN, vtepIp(h), vtepMacs.get(h), BRIDGE, bridgeIp(h),
                    subnet(h)));
        }
        // What flanneld programs on each node for every other node's lease.
        for (Host local : hosts) {
            for (int r = 1; r <= HOSTS; r++) {
                Host remote = hosts.get(r - 1);
                if (remote == local) {
                    continue;
                }
                Netns ns = local.netns();
                ns.ip("route", "replace", remote.subnet(), "via", remote.vtepIp(), "dev", VXLAN, "onlink");
                ns.ip("neigh", "replace", remote.vtepIp(), "lladdr", remote.vtepMac(), "dev", VXLAN, "nud",
                        "permanent");
                ns.bridge("fdb", "replace", remote.vtepMac(), "dev", VXLAN, "dst", remote.underlayIp(), "self",
                        "permanent");
            }
        }
        for (Host host : hosts) {
            int h = hosts.indexOf(host) + 1;
            for (int c = 1; c <= CONTAINERS_PER_HOST; c++) {
                containers.add(addContainer(host, h, c));
            }
        }
        LOG.info("testbed {} up in {} ms ({} namespaces, netfilter rules {})", prefix,
                (System.nanoTime() - t0) / 1_000_000, namespaces().size(), netfilter ? "on" : "off (no iptables)");
    }

    private Container addContainer(Host host, int h, int c) {
        String name = "h" + h + "c" + c;
        Netns ns = addNamespace(prefix + "-" + name);
        String hostVeth = "vethc" + c;
        String ip = "10.244." + h + "." + (c + 1);
        String mtu = String.valueOf(OVERLAY_MTU);
        host.netns().ip("link", "add", hostVeth, "mtu", mtu, "type", "veth", "peer", "name", "eth0", "mtu", mtu,
                "netns", ns.name());
        host.netns().ip("link", "set", hostVeth, "master", BRIDGE, "up");
        ns.ip("link", "set", "lo", "up");
        ns.ip("addr", "add", ip + "/24", "dev", "eth0");
        ns.ip("link", "set", "eth0", "up");
        ns.ip("route", "add", "default", "via", host.bridgeIp(), "dev", "eth0");
        return new Container(name, ns, host, ip, mac(ns, "eth0"), hostVeth);
    }

    private Netns addNamespace(String name) {
        Netns ns = new Netns(name);
        Commands.check("ip", "netns", "add", name);
        ns.check("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        return ns;
    }

    /** Flannel's rules (its FLANNEL-FWD and FLANNEL-POSTRTG chains): accept pod traffic, masquerade what leaves. */
    private static void flannelRules(Netns ns, int h) {
        ns.check("iptables", "-w", "5", "-N", "FLANNEL-FWD");
        ns.check("iptables", "-w", "5", "-A", "FORWARD", "-j", "FLANNEL-FWD");
        ns.check("iptables", "-w", "5", "-A", "FLANNEL-FWD", "-s", CLUSTER_CIDR, "-j", "ACCEPT");
        ns.check("iptables", "-w", "5", "-A", "FLANNEL-FWD", "-d", CLUSTER_CIDR, "-j", "ACCEPT");
        ns.check("iptables", "-w", "5", "-t", "nat", "-N", "FLANNEL-POSTRTG");
        ns.check("iptables", "-w", "5", "-t", "nat", "-A", "POSTROUTING", "-j", "FLANNEL-POSTRTG");
        ns.check("iptables", "-w", "5", "-t", "nat", "-A", "FLANNEL-POSTRTG", "-s", subnet(h), "-d", CLUSTER_CIDR,
                "-j", "RETURN");
        ns.check("iptables", "-w", "5", "-t", "nat", "-A", "FLANNEL-POSTRTG", "-s", CLUSTER_CIDR, "-d",
                CLUSTER_CIDR, "-j", "RETURN");
        ns.check("iptables", "-w", "5", "-t", "nat", "-A", "FLANNEL-POSTRTG", "-s", CLUSTER_CIDR, "!", "-d",
                "224.0.0.0/4", "-j", "MASQUERADE", "--random-fully");
        ns.check("iptables", "-w", "5", "-t", "nat", "-A", "FLANNEL-POSTRTG", "!", "-s", CLUSTER_CIDR, "-d",
                subnet(h), "-j", "RETURN");
        ns.check("iptables", "-w", "5", "-t", "nat", "-A", "FLANNEL-POSTRTG", "!", "-s", CLUSTER_CIDR, "-d",
                CLUSTER_CIDR, "-j", "MASQUERADE", "--random-fully");
    }

    private static String mac(Netns ns, String dev) {
        String json = ns.ip("-j", "link", "show", "dev", dev).stdout();
        Matcher m = MAC.matcher(json);
        if (!m.find()) {
            throw new TestbedException("no MAC for " + dev + " in " + ns.name() + ": " + json);
        }
        return m.group(1);
    }

    static String underlayIp(int h) {
        return "10.250.0." + h;
    }

    static String vtepIp(int h) {
        return "10.244." + h + ".0";
    }

    static String bridgeIp(int h) {
        return "10.244." + h + ".1";
    }

    static String subnet(int h) {
        return "10.244." + h + ".0/24";
    }

    /** Deletes this testbed's namespaces (stopping whatever still runs in them) and its pins; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cleanup(prefix);
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.debug("releasing {}", lockFile(prefix), e);
            }
            closeQuietly(lockChannel);
            try {
                Files.deleteIfExists(lockFile(prefix));
            } catch (IOException e) {
                LOG.debug("deleting {}", lockFile(prefix), e);
            }
        }
    }

    /**
     * Removes everything a testbed with {@code prefix} made, whether or not its process is alive: stops the
     * processes inside its namespaces (all of them were started by the testbed or the benchmark), deletes the
     * namespaces and any bpffs pin directory {@code /sys/fs/bpf/PREFIX-*}. Idempotent.
     *
     * @return the namespaces deleted
     */
    public static List<String> cleanup(String prefix) {
        requirePrefix(prefix);
        List<String> deleted = new ArrayList<>();
        for (String name : namespaceNames()) {
            Matcher m = NETNS_NAME.matcher(name);
            if (!m.matches() || !m.group(1).equals(prefix)) {
                continue;
            }
            stopProcessesIn(name);
            CommandResult r = Commands.run(Commands.CONFIG_TIMEOUT, List.of("ip", "netns", "delete", name));
            if (r.ok()) {
                deleted.add(name);
            } else {
                LOG.warn("cannot delete namespace {}: {}", name, r.stderr().strip());
            }
        }
        deletePins(prefix);
        if (!deleted.isEmpty()) {
            LOG.info("testbed {}: deleted {} namespaces", prefix, deleted.size());
        }
        return deleted;
    }

    /**
     * Cleans up every testbed left behind by a process that is gone (crashed or killed): prefixes matching
     * {@link #PREFIX} whose lock file is not held. Live testbeds, in this process or another, are left alone.
     *
     * @return the prefixes cleaned up
     */
    public static List<String> sweepStale() {
        List<String> swept = new ArrayList<>();
        for (String p : prefixesInUse()) {
            if (isHeld(p)) {
                continue;
            }
            LOG.info("sweeping stale testbed {}", p);
            cleanup(p);
            try {
                Files.deleteIfExists(lockFile(p));
            } catch (IOException e) {
                LOG.debug("deleting {}", lockFile(p), e);
            }
            swept.add(p);
        }
        return swept;
    }

    /** Prefixes (matching {@link #PREFIX}) that have at least one namespace now. */
    public static Set<String> prefixesInUse() {
        Set<String> found = new TreeSet<>();
        for (String name : namespaceNames()) {
            Matcher m = NETNS_NAME.matcher(name);
            if (m.matches()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    /** The names in /run/netns that belong to testbed {@code prefix}. */
    public static List<String> namespacesOf(String prefix) {
        requirePrefix(prefix);
        return namespaceNames().stream().filter(n -> n.startsWith(prefix + "-")).toList();
    }

    private static boolean isHeld(String prefix) {
        Path f = lockFile(prefix);
        if (!Files.exists(f)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this JVM
        } catch (IOException e) {
            return true; // cannot tell: leave it alone
        }
    }

    private static void stopProcessesIn(String netns) {
        CommandResult r = Commands.run(Commands.CONFIG_TIMEOUT, List.of("ip", "netns", "pids", netns));
        if (!r.ok()) {
            return;
        }
        for (String line : r.stdout().split("\\s+")) {
            if (line.isBlank()) {
                continue;
            }
            long pid = Long.parseLong(line.strip());
            ProcessHandle.of(pid).ifPresent(ph -> {
                LOG.info("stopping pid {} ({}) left in {}", pid, ph.info().command().orElse("?"), netns);
                ph.destroyForcibly();
                try {
                    ph.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("pid {} in {} did not exit", pid, netns);
                }
            });
        }
    }

    private static void deletePins(String prefix) {
        Path bpffs = Path.of("/sys/fs/bpf");
        if (!Files.isDirectory(bpffs)) {
            return;
        }
        try (Stream<Path> top = Files.list(bpffs)) {
            for (Path dir : top.filter(p -> p.getFileName().toString().startsWith(prefix + "-")).toList()) {
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                LOG.info("deleted pins {}", dir);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete pins of {}: {}", prefix, e.toString());
        }
    }

    private static List<String> namespaceNames() {
        if (!Files.isDirectory(Netns.RUN_NETNS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(Netns.RUN_NETNS)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new TestbedException("cannot list " + Netns.RUN_NETNS + ": " + e.getMessage(), e);
        }
    }

    private static Path lockFile(String prefix) {
        return LOCK_DIR.resolve("xmasq-testbed-" + prefix + ".lock");
    }

    private static void requirePrefix(String prefix) {
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("not a testbed prefix (xmb + 4 hex digits): " + prefix);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
