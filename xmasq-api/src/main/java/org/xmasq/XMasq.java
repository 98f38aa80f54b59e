package org.xmasq;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.bpf.ClsactFilter;
import org.xmasq.bpf.Pins;
import org.xmasq.bpf.Tc;
import org.xmasq.bpf.TcAttachment;
import org.xmasq.bpf.TcMode;
import org.xmasq.bpf.TcOptions;
import org.xmasq.bpf.TcxLink;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.datapath.DatapathObject;
import org.xmasq.datapath.EgressHeaderCache;
import org.xmasq.datapath.EgressHostCache;
import org.xmasq.datapath.Endpoint;
import org.xmasq.datapath.EndpointTable;
import org.xmasq.datapath.FilterCache;
import org.xmasq.datapath.FlowKey;
import org.xmasq.datapath.HostDevice;
import org.xmasq.datapath.HostDeviceTable;
import org.xmasq.datapath.Statistics;
import org.xmasq.datapath.StatisticsTable;
import org.xmasq.host.CommandRunner;
import org.xmasq.host.EstMarkRule;
import org.xmasq.host.HostInterfaces;
import org.xmasq.host.InterfaceInfo;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.IncompatibleMapException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.UnknownInterfaceException;
import org.xmasq.net.Ipv4Address;

/**
 * One XMasq datapath instance: the eBPF fast path of one host, its caches and its attachments.
 *
 * <p>{@link #builder()}...{@link Builder#open() open()} loads the embedded object with its maps pinned under the pin
 * root, or, when an instance is pinned there already, re-adopts it: its maps (no cache flushed), its attachments
 * (nothing detached) and its registrations. Everything lives under the pin root:
 * <pre>
 *   &lt;pin root&gt;/meta                          the instance record (layout version, object digest, config, sizes)
 *   &lt;pin root&gt;/maps/&lt;map&gt;                    every map of the datapath
 *   &lt;pin root&gt;/progs/&lt;program&gt;               its four programs, so that re-adopting loads nothing
 *   &lt;pin root&gt;/links/&lt;ifname&gt;-&lt;ingress|egress&gt; tcx links (with clsact, filters at a fixed handle/priority)
 * </pre>
 * Two instances on one kernel (two "hosts" in two namespaces) use two pin roots; nothing is global to the kernel.
 *
 * <p>The datapath runs in the network namespace of the thread that opens and drives the instance (the host's):
 * interface names are resolved, programs attached and the netfilter rule installed there. Map views work from any
 * thread.
 *
 * <p>{@link #close()} releases Java resources only: the datapath keeps running and a later {@code open()} re-adopts
 * it. {@link #down()} takes it away: detaches everything, removes the netfilter rule and the pins.
 */
public final class XMasq implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(XMasq.class);

    /** Where instances are pinned unless told otherwise. */
    public static final Path DEFAULT_PIN_ROOT = Path.of("/sys/fs/bpf/xmasq");
    /** The clsact filter handle and priority of our programs (tcx needs none). */
    public static final int CLSACT_HANDLE = TcOptions.DEFAULT_HANDLE;
    public static final int CLSACT_PRIORITY = 0x584d & 0x7fff;

    private enum State { OPEN, CLOSED, DOWN }

    /** The two programs on one interface. */
    private static final class Hook {
        final String name;
        final int ifindex;
        final InterfaceRole role;
        TcAttachment ingress;
        TcAttachment egress;

        Hook(String name, int ifindex, InterfaceRole role) {
            this.name = name;
            this.ifindex = ifindex;
            this.role = role;
        }

        TcMode mode() {
            TcAttachment a = ingress != null ? ingress : egress;
            return a instanceof ClsactFilter ? TcMode.CLSACT : TcMode.TCX;
        }

        AttachedInterface describe() {
            return new AttachedInterface(name, ifindex, role, mode());
        }
    }

    private final LibBpf lib;
    private final Path pinRoot;
    private final DatapathConfig config;
    private final MapSizes sizes;
    private final TcMode attachMode;
    private final HostInterfaces interfaces;
    private final CommandRunner commands;
    private final EstMarkRule estRule;
    private final boolean readopted;
    private final BpfObject object;
    private final EndpointTable endpoints;
    private final EgressHostCache egressHosts;
    private final EgressHeaderCache egressHeaders;
    private final FilterCache filterCache;
    private final HostDeviceTable hostDevices;
    private final StatisticsTable statistics;
    private final Map<Integer, Hook> hooks = new LinkedHashMap<>();
    private volatile State state = State.OPEN;

    private XMasq(Builder b, BpfObject object, boolean readopted) {
        this.lib = b.lib;
        this.pinRoot = b.pinRoot;
        this.config = b.config;
        this.sizes = b.sizes;
        this.attachMode = b.attachMode;
        this.interfaces = b.interfaces;
        this.commands = b.commands;
        this.estRule = estRule(b.commands, b.pinRoot, b.config);
        this.readopted = readopted;
        this.object = object;
        Runnable guard = this::ensureUp;
        endpoints = new EndpointTable(object.map(DatapathObject.ENDPOINTS, DatapathObject.IPV4_KEY,
                Endpoint.CODEC), guard);
        egressHosts = new EgressHostCache(object.map(DatapathObject.EGRESS_HOSTS, DatapathObject.IPV4_KEY,
                org.xmasq.datapath.EgressHost.CODEC), guard);
        egressHeaders = new EgressHeaderCache(object.map(DatapathObject.EGRESS_HEADERS, DatapathObject.IPV4_KEY,
                org.xmasq.datapath.EgressHeader.CODEC), guard);
        filterCache = new FilterCache(object.map(DatapathObject.FILTER_CACHE, FlowKey.CODEC,
                org.xmasq.datapath.FilterEntry.CODEC), guard);
        hostDevices = new HostDeviceTable(object.map(DatapathObject.HOST_DEVICES, DatapathObject.IFINDEX_KEY,
                HostDevice.CODEC), guard);
        statistics = new StatisticsTable(object.perCpuMap(DatapathObject.STATS, DatapathObject.STAT_KEY,
                DatapathObject.COUNTER), guard);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ opening

    private static XMasq open(Builder b) {
        LibBpf lib = b.lib;
        Path root = b.pinRoot;
        Path metaPin = root.resolve("meta");
        List<String> problems = new ArrayList<>();
        Optional<InstanceRecord> pinned = readRecord(lib, root, problems);
        InstanceRecord wanted = new InstanceRecord(InstanceRecord.FORMAT, objectDigest(), b.config, b.sizes);
        if (pinned.isPresent()) {
            if (!pinned.get().sameAs(wanted)) {
                problems.addAll(pinned.get().differencesFrom(wanted));
            }
        } else if (problems.isEmpty() && (!Pins.list(lib, root.resolve("maps")).isEmpty()
                || !Pins.list(lib, root.resolve("links")).isEmpty()
                || !Pins.list(lib, root.resolve("progs")).isEmpty())) {
            problems.add("pins under " + root + " without an instance record (" + metaPin + " is missing)");
        }
        if (!problems.isEmpty()) {
            if (!b.replaceIncompatible) {
                throw new IncompatibleInstanceException(root, problems);
            }
            LOG.warn("replacing the incompatible XMasq instance at {}: {}", root, String.join("; ", problems));
            PinnedInstance.teardown(lib, root, b.interfaces);
            pinned = Optional.empty();
        }
        boolean fresh = pinned.isEmpty();
        if (fresh) {
            wanted.create(lib, metaPin);
        }
        BpfObject object = null;
        XMasq x = null;
        try {
            object = fresh ? loadAndPinPrograms(b) : adopt(b);
            x = new XMasq(b, object, !fresh);
            x.adoptAttachments();
            if (b.installEstRule) {
                x.estRule.install();
            }
            LOG.info("XMasq {} at {} ({}, {} attachments)", fresh ? "loaded" : "re-adopted", root, b.config,
                    x.hooks.size());
            return x;
        } catch (RuntimeException | Error e) {
            if (x != null) {
                x.closeQuietly();
            } else if (object != null) {
                object.close();
            }
            if (fresh) {
                // a first start that failed leaves nothing behind
                try {
                    PinnedInstance.teardown(lib, root, b.interfaces);
                } catch (RuntimeException t) {
                    e.addSuppressed(t);
                }
            }
            throw e;
        }
    }

    /**
     * The instance record pinned at {@code <root>/meta}, if any. A record read from the root proves it is on bpffs;
     * otherwise that is checked, so that a root elsewhere fails with {@link org.xmasq.libbpf.BpfFsException}.
     */
    private static Optional<InstanceRecord> readRecord(LibBpf lib, Path root, List<String> problems) {
        Path metaPin = root.resolve("meta");
        if (!Pins.exists(lib, metaPin)) {
            Pins.checkBpfFs(lib, root, "XMasq pin root");
            return Optional.empty();
        }
        Optional<InstanceRecord> r = InstanceRecord.read(lib, metaPin, problems);
        if (r.isEmpty()) {
            Pins.checkBpfFs(lib, root, "XMasq pin root");
        }
        return r;
    }

    /** Loads the object (over the pinned maps, if any) and pins its programs under progs/. */
    private static BpfObject loadAndPinPrograms(Builder b) {
        BpfObject object = load(b);
        try {
            for (Map.Entry<String, Path> e : programPins(b.pinRoot).entrySet()) {
                Pins.unlink(b.lib, e.getValue()); // a stale pin (of an object that is no longer ours to adopt)
                object.program(e.getKey()).pin(e.getValue());
            }
            return object;
        } catch (RuntimeException | Error e) {
            object.close();
            throw e;
        }
    }

    /**
     * The pinned instance's object: its pinned maps and programs, so nothing is loaded or verified (the instance
     * record said it is this SDK's object with this configuration). An instance whose programs are not (all) pinned
     * -- pinned by an SDK that did not pin them, or with pins removed -- is loaded again over its pinned maps, and
     * its programs pinned for the next time.
     */
    private static BpfObject adopt(Builder b) {
        Map<String, Path> programs = programPins(b.pinRoot);
        Map<String, Path> maps = new LinkedHashMap<>();
        for (String m : mapNames()) {
            maps.put(m, b.pinRoot.resolve("maps").resolve(m));
        }
        boolean pinned = programs.values().stream().allMatch(p -> Pins.exists(b.lib, p))
                && maps.values().stream().allMatch(p -> Pins.exists(b.lib, p));
        if (pinned) {
            try {
                return BpfObject.fromPins(b.lib, "xmasq", maps, programs);
            } catch (BpfException | IllegalArgumentException e) {
                LOG.info("the pinned programs under {} cannot be re-adopted ({}); loading the object again",
                        b.pinRoot, e.getMessage());
            }
        } else {
            LOG.info("{}: the programs are not pinned; loading the object again over the pinned maps", b.pinRoot);
        }
        return loadAndPinPrograms(b);
    }

    private static Map<String, Path> programPins(Path root) {
        Map<String, Path> pins = new LinkedHashMap<>();
        for (String p : programNames()) {
            pins.put(p, root.resolve("progs").resolve(p));
        }
        return pins;
    }

    private static BpfObject load(Builder b) {
        BpfObjectSpec spec = DatapathObject.open(b.lib, b.config);
        try {
            spec.setMaxEntries(DatapathObject.ENDPOINTS, b.sizes.endpoints());
            spec.setMaxEntries(DatapathObject.EGRESS_HOSTS, b.sizes.egressHosts());
            spec.setMaxEntries(DatapathObject.EGRESS_HEADERS, b.sizes.egressHeaders());
            spec.setMaxEntries(DatapathObject.FILTER_CACHE, b.sizes.filterCache());
            spec.setMaxEntries(DatapathObject.HOST_DEVICES, b.sizes.hostDevices());
            spec.pinMapsIn(b.pinRoot.resolve("maps"));
            return spec.load();
        } catch (IncompatibleMapException e) {
            throw new IncompatibleInstanceException(b.pinRoot, e.differences());
        } finally {
            spec.close();
        }
    }

    /**
     * The SHA-256 of the datapath object: from the digest the build ships next to it ({@code .sha256}, checked by a
     * test), or computed when there is none.
     */
    static byte[] objectDigest() {
        ClassLoader cl = XMasq.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(DatapathObject.RESOURCE + ".sha256")) {
            if (in != null) {
                String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
                if (hex.length() == 64) {
                    return HexFormat.of().parseHex(hex);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("{}.sha256: {}; hashing the object", DatapathObject.RESOURCE, e.toString());
        }
        return computedObjectDigest();
    }

    static byte[] computedObjectDigest() {
        ClassLoader cl = XMasq.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(DatapathObject.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no classpath resource " + DatapathObject.RESOURCE
                        + " (is xmasq-bpf on the classpath?)");
            }
            return MessageDigest.getInstance("SHA-256").digest(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EstMarkRule estRule(CommandRunner commands, Path root, DatapathConfig config) {
        return new EstMarkRule(commands, ruleTag(root), config.markEst() == 0 ? 1 : config.markEst());
    }

    /** "xmasq-" and 8 hex digits of the pin root's hash: one rule per instance. */
    static String ruleTag(Path root) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest(root.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return "xmasq-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes over the attachments a previous instance left: pinned tcx links, and our clsact filters. */
    private synchronized void adoptAttachments() {
        Map<Integer, HostDevice> devices = hostDevices.entries();
        Map<Ipv4Address, Endpoint> eps = endpoints.entries();
        for (Path pin : Pins.list(lib, linksDir())) {
            TcxLink link;
            try {
                link = TcxLink.fromPin(lib, pin);
            } catch (RuntimeException e) {
                LOG.warn("{}: not a tcx link ({}); removing the pin", pin, e.getMessage());
                Pins.unlink(lib, pin);
                continue;
            }
            int ifindex = link.info().ifindex();
            InterfaceRole role = devices.containsKey(ifindex) ? InterfaceRole.HOST
                    : eps.values().stream().anyMatch(ep -> ep.ifindex() == ifindex) ? InterfaceRole.CONTAINER : null;
            if (ifindex == 0 || role == null) {
                LOG.info("{}: {}; removing it", pin, ifindex == 0 ? "its interface is gone"
                        : "its interface is neither a host NIC nor a registered container's veth");
                detachQuietly(link);
                continue;
            }
            Hook h = hooks.computeIfAbsent(ifindex, i -> new Hook(nameOf(i, pin), i, role));
            if (link.point() == TcAttachPoint.INGRESS) {
                h.ingress = link;
            } else {
                h.egress = link;
            }
        }
        if (attachMode != TcMode.TCX) {
            for (int ifindex : devices.keySet()) {
                adoptClsact(ifindex, InterfaceRole.HOST);
            }
            for (Endpoint ep : eps.values()) {
                adoptClsact(ep.ifindex(), InterfaceRole.CONTAINER);
            }
        }
    }

    private void adoptClsact(int ifindex, InterfaceRole role) {
        for (TcAttachPoint point : TcAttachPoint.values()) {
            Hook h = hooks.get(ifindex);
            if (h != null && (point == TcAttachPoint.INGRESS ? h.ingress : h.egress) != null) {
                continue;
            }
            Optional<ClsactFilter> f = findOurFilter(ifindex, point, programFor(role, point));
            if (f.isEmpty()) {
                continue;
            }
            h = hooks.computeIfAbsent(ifindex, i -> new Hook(nameOf(i, null), i, role));
            if (point == TcAttachPoint.INGRESS) {
                h.ingress = f.get();
            } else {
                h.egress = f.get();
            }
        }
    }

    private String nameOf(int ifindex, Path pin) {
        String n = lib.ifIndexToName(ifindex);
        if (n != null) {
            return n;
        }
        if (pin != null) {
            String f = pin.getFileName().toString();
            return f.substring(0, Math.max(0, f.lastIndexOf('-')));
        }
        return "ifindex " + ifindex;
    }

    static String programFor(InterfaceRole role, TcAttachPoint point) {
        if (role == InterfaceRole.HOST) {
            return point == TcAttachPoint.INGRESS ? DatapathObject.INGRESS_FAST_PATH : DatapathObject.EGRESS_LEARNER;
        }
        return point == TcAttachPoint.INGRESS ? DatapathObject.EGRESS_FAST_PATH : DatapathObject.INGRESS_LEARNER;
    }

    /** Whether a kernel program name is that of {@code program} (the kernel keeps 15 characters). */
    static boolean isProgram(String kernelName, String program) {
        return kernelName != null && (kernelName.equals(program)
                || kernelName.equals(program.substring(0, Math.min(15, program.length()))));
    }

    private static TcOptions clsactOptions() {
        return TcOptions.defaults().withHandle(CLSACT_HANDLE).withPriority(CLSACT_PRIORITY);
    }

    /** Our filter at our handle/priority running {@code program}, if there is one. */
    private Optional<ClsactFilter> findOurFilter(int ifindex, TcAttachPoint point, String program) {
        Optional<ClsactFilter> f = ClsactFilter.find(lib, ifindex, point, clsactOptions());
        if (f.isEmpty()) {
            return f;
        }
        try {
            if (isProgram(f.get().programInfo().name(), program)) {
                return f;
            }
        } catch (BpfException e) {
            LOG.debug("filter on ifindex {} {}: {}", ifindex, point, e.getMessage());
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ state

    private void ensureUp() {
        State s = state;
        if (s != State.OPEN) {
            throw new InstanceDownException("the XMasq instance at " + pinRoot + " is "
                    + (s == State.DOWN ? "down" : "closed") + (s == State.CLOSED
                    ? "; open it again to re-adopt the datapath" : ""));
        }
    }

    /** Whether {@link #open} found this instance pinned and re-adopted it (false: loaded afresh). */
    public boolean readopted() {
        return readopted;
    }

    public Path pinRoot() {
        return pinRoot;
    }

    public DatapathConfig config() {
        return config;
    }

    public MapSizes mapSizes() {
        return sizes;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    // ------------------------------------------------------------------ interfaces

    private int resolve(String ifName, String what) {
        Objects.requireNonNull(ifName, what);
        if (ifName.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        int ifindex = lib.ifNameToIndex(ifName);
        if (ifindex == 0) {
            throw new UnknownInterfaceException("resolve " + what + " " + ifName, Errno.ENODEV,
                    "no interface named '" + ifName + "' in network namespace " + interfaces.namespace()
                            + ", where this XMasq instance runs (the " + what + " must be in the host's namespace)");
        }
        return ifindex;
    }

    private InterfaceInfo inspect(String ifName, int ifindex, String what) {
        return interfaces.find(ifName).filter(i -> i.ifindex() == ifindex).orElseThrow(() ->
                new UnknownInterfaceException("inspect " + what + " " + ifName, Errno.ENODEV, "interface '" + ifName
                        + "' (ifindex " + ifindex + ") vanished or changed in network namespace "
                        + interfaces.namespace()));
    }

    /** The hook we hold for {@code ifindex}, if its programs are still attached there; a dead one is dropped. */
    private Hook liveHook(int ifindex) {
        Hook h = hooks.get(ifindex);
        if (h == null) {
            return null;
        }
        if (isLive(h.ingress, ifindex) && isLive(h.egress, ifindex)) {
            return h;
        }
        LOG.info("{} (ifindex {}): its attachments are gone (interface deleted?); forgetting them", h.name, ifindex);
        hooks.remove(ifindex);
        detachQuietly(h.ingress);
        detachQuietly(h.egress);
        return null;
    }

    private boolean isLive(TcAttachment a, int ifindex) {
        try {
            if (a instanceof TcxLink l) {
                return l.info().ifindex() == ifindex;
            }
            if (a instanceof ClsactFilter f) {
                return ClsactFilter.find(lib, ifindex, f.point(), clsactOptions())
                        .map(now -> now.programId() == f.programId()).orElse(false);
            }
        } catch (RuntimeException e) {
            LOG.debug("checking {}: {}", a, e.toString());
        }
        return false;
    }

    private Path linksDir() {
        return pinRoot.resolve("links");
    }

    private Path linkPin(String ifName, TcAttachPoint point) {
        return linksDir().resolve(ifName + "-" + (point == TcAttachPoint.INGRESS ? "ingress" : "egress"));
    }

    /** Attaches {@code program}; with tcx the link is pinned under links/. Undone entirely when it fails. */
    private TcAttachment attachProgram(String program, String ifName, int ifindex, TcAttachPoint point) {
        BpfProgram p = object.program(program);
        Path pin = linkPin(ifName, point);
        if (Pins.exists(lib, pin)) {
            LOG.info("removing the stale link pin {}", pin);
            try {
                detachQuietly(TcxLink.fromPin(lib, pin));
            } catch (RuntimeException e) {
                Pins.unlink(lib, pin);
            }
        }
        TcAttachment a;
        try {
            a = Tc.attach(p, ifindex, point, clsactOptions().withMode(attachMode));
        } catch (BpfException e) {
            // our handle/priority is taken: by a filter of ours no hook holds (its registration went away while no
            // instance ran)? Then it is stale: replace it. Anybody else's filter is left alone.
            Optional<ClsactFilter> stale = e.errno() == Errno.EEXIST && attachMode != TcMode.TCX
                    ? findOurFilter(ifindex, point, program) : Optional.empty();
            if (stale.isEmpty()) {
                throw e;
            }
            LOG.info("replacing a stale filter of ours on {} {}", ifName, point);
            a = Tc.attach(p, ifindex, point, clsactOptions().withMode(attachMode).withReplace(true));
        }
        if (a instanceof TcxLink link) {
            try {
                link.pin(pin);
            } catch (RuntimeException e) {
                link.close(); // unpinned: the kernel detaches it with its last fd
                throw e;
            }
        }
        return a;
    }

    private static void release(TcAttachment a) {
        if (a instanceof TcxLink l) {
            l.close();
        } else if (a instanceof ClsactFilter f) {
            f.abandon();
        }
    }

    private void detach(TcAttachment a) {
        if (a instanceof TcxLink l) {
            try {
                l.unpin();
                l.detach();
            } catch (BpfException e) {
                // the interface went away: the kernel detached it already
                LOG.debug("detaching {}: {}", l, e.getMessage());
            } finally {
                l.close();
            }
        } else if (a instanceof ClsactFilter f) {
            f.close();
        }
    }

    private void detachQuietly(TcAttachment a) {
        if (a == null) {
            return;
        }
        try {
            detach(a);
        } catch (RuntimeException e) {
            LOG.warn("detaching {} failed: {}", a, e.toString());
        }
    }

    /** Attaches both programs of {@code role}; nothing stays attached when either fails. */
    private Hook attachBoth(String ifName, int ifindex, InterfaceRole role) {
        Hook h = new Hook(ifName, ifindex, role);
        try {
            h.ingress = attachProgram(programFor(role, TcAttachPoint.INGRESS), ifName, ifindex, TcAttachPoint.INGRESS);
            h.egress = attachProgram(programFor(role, TcAttachPoint.EGRESS), ifName, ifindex, TcAttachPoint.EGRESS);
            return h;
        } catch (RuntimeException | Error e) {
            detachQuietly(h.egress);
            detachQuietly(h.ingress);
            throw e;
        }
    }

    /**
     * Attaches the host NIC: the ingress fast path on its TC ingress, the egress learner on its TC egress, and its
     * IPv4 address and MAC (read now in this namespace) into {@code host_devices}. Attaching an attached NIC again
     * refreshes its address and MAC. Transactional: when it fails nothing is attached or registered.
     *
     * @throws UnknownInterfaceException when there is no such interface in this namespace
     * @throws UnsuitableInterfaceException when it has no IPv4 address, or is a container's veth already
     */
    public synchronized AttachedInterface attachHost(String nic) {
        ensureUp();
        int ifindex = resolve(nic, "host NIC");
        InterfaceInfo info = inspect(nic, ifindex, "host NIC");
        Ipv4Address address = info.primaryIpv4().orElseThrow(() -> new UnsuitableInterfaceException(nic,
                "host NIC " + nic + " has no IPv4 address in network namespace " + interfaces.namespace()
                        + "; the datapath needs the NIC's underlay address"));
        HostDevice device = HostDevice.of(address, info.mac());
        Hook h = liveHook(ifindex);
        if (h != null && h.role != InterfaceRole.HOST) {
            throw new UnsuitableInterfaceException(nic, nic + " is attached as a container veth, not a host NIC");
        }
        Optional<HostDevice> before = hostDevices.lookup(ifindex);
        boolean attachedNow = h == null;
        if (attachedNow) {
            h = attachBoth(nic, ifindex, InterfaceRole.HOST);
        }
        try {
            hostDevices.put(ifindex, device);
        } catch (RuntimeException | Error e) {
            if (attachedNow) {
                detachQuietly(h.egress);
                detachQuietly(h.ingress);
            }
            restore(before, ifindex);
            throw e;
        }
        hooks.put(ifindex, h);
        LOG.info("attached host NIC {} (ifindex {}, {} {})", nic, ifindex, address, info.mac());
        return h.describe();
    }

    private void restore(Optional<HostDevice> before, int ifindex) {
        try {
            if (before.isPresent()) {
                hostDevices.put(ifindex, before.get());
            } else {
                hostDevices.delete(ifindex);
            }
        } catch (RuntimeException e) {
            LOG.warn("restoring host_devices[{}] failed: {}", ifindex, e.toString());
        }
    }

    /** Detaches a host NIC and removes it from {@code host_devices}. @return false when it was not attached */
    public synchronized boolean detachHost(String nic) {
        ensureUp();
        Objects.requireNonNull(nic, "nic");
        Hook h = hooks.values().stream().filter(k -> k.role == InterfaceRole.HOST && k.name.equals(nic)).findFirst()
                .orElse(null);
        if (h == null) {
            int ifindex = lib.ifNameToIndex(nic);
            return ifindex != 0 && hostDevices.delete(ifindex);
        }
        hostDevices.delete(h.ifindex);
        hooks.remove(h.ifindex);
        detach(h.egress);
        detach(h.ingress);
        LOG.info("detached host NIC {}", nic);
        return true;
    }

    private static void validateContainerAddress(Ipv4Address ip) {
        Objects.requireNonNull(ip, "ipv4");
        int first = ip.value() >>> 24;
        String why = null;
        if (ip.value() == 0) {
            why = "the unspecified address";
        } else if (ip.value() == -1) {
            why = "the broadcast address";
        } else if (first == 127) {
            why = "a loopback address";
        } else if (first >= 224 && first < 240) {
            why = "a multicast address";
        } else if (first >= 240) {
            why = "a reserved (class E) address";
        } else if (first == 0) {
            why = "in 0.0.0.0/8 (this network)";
        }
        if (why != null) {
            throw new IllegalArgumentException("invalid container IP " + ip + ": " + why);
        }
    }

    private String describeIfindex(int ifindex) {
        Hook h = hooks.get(ifindex);
        String name = h != null ? h.name : lib.ifIndexToName(ifindex);
        return (name == null ? "a veth that no longer exists" : "veth " + name) + " (ifindex " + ifindex + ")";
    }

    private InterfaceInfo containerVeth(String hostVeth, int ifindex) {
        InterfaceInfo info = inspect(hostVeth, ifindex, "container veth");
        if (!info.isVeth()) {
            throw new UnsuitableInterfaceException(hostVeth, hostVeth + " is "
                    + (info.kind().isEmpty() ? "a physical device" : "a " + info.kind() + " device")
                    + ", not a veth: attachContainer wants the host-side end of a container's veth pair");
        }
        return info;
    }

    private Hook containerHook(String hostVeth, int ifindex) {
        Hook h = liveHook(ifindex);
        if (h != null && h.role != InterfaceRole.CONTAINER) {
            throw new UnsuitableInterfaceException(hostVeth, hostVeth + " is attached as a host NIC");
        }
        return h;
    }

    /**
     * Container added: attaches the egress fast path (TC ingress) and the ingress learner (TC egress) to the
     * container's host-side veth and registers {@code ipv4} on it; the learners fill its MACs from the slow path. A
     * veth may carry several addresses. Transactional: when it fails nothing is attached or registered.
     *
     * @throws IllegalArgumentException for an address no container can have
     * @throws DuplicateEndpointException when {@code ipv4} is registered already (use {@link #reassignContainer} for
     *         an address a new container took over)
     * @throws UnknownInterfaceException when there is no such interface in this namespace
     * @throws UnsuitableInterfaceException when it is not a veth, or is attached as a host NIC
     */
    public synchronized AttachedInterface attachContainer(String hostVeth, Ipv4Address ipv4) {
        ensureUp();
        validateContainerAddress(ipv4);
        int ifindex = resolve(hostVeth, "container veth");
        containerVeth(hostVeth, ifindex);
        Optional<Endpoint> current = endpoints.lookup(ipv4);
        if (current.isPresent()) {
            int on = current.get().ifindex();
            throw new DuplicateEndpointException(ipv4, on, "container IP " + ipv4 + " is already registered on "
                    + describeIfindex(on) + "; detachContainer(" + ipv4 + ") first, or reassignContainer(\""
                    + hostVeth + "\", " + ipv4 + ") if a new container took the address over");
        }
        Hook h = containerHook(hostVeth, ifindex);
        boolean attachedNow = h == null;
        if (attachedNow) {
            h = attachBoth(hostVeth, ifindex, InterfaceRole.CONTAINER);
        }
        try {
            if (!endpoints.handle().putIfAbsent(ipv4, Endpoint.registered(ifindex))) {
                int on = endpoints.lookup(ipv4).map(Endpoint::ifindex).orElse(0);
                throw new DuplicateEndpointException(ipv4, on, "container IP " + ipv4
                        + " was registered meanwhile on " + describeIfindex(on));
            }
        } catch (RuntimeException | Error e) {
            if (attachedNow) {
                detachQuietly(h.egress);
                detachQuietly(h.ingress);
            }
            throw e;
        }
        hooks.put(ifindex, h);
        LOG.info("attached container {} on {} (ifindex {})", ipv4, hostVeth, ifindex);
        return h.describe();
    }

    /**
     * Container deleted: unregisters {@code ipv4} (its fast path stops before this returns), drops its filter
     * entries (flows with it at either end), and detaches its veth unless another registered address uses it.
     *
     * @return false when {@code ipv4} was not registered
     */
    public synchronized boolean detachContainer(Ipv4Address ipv4) {
        ensureUp();
        Objects.requireNonNull(ipv4, "ipv4");
        Optional<Endpoint> ep = endpoints.lookup(ipv4);
        if (ep.isEmpty()) {
            return false;
        }
        endpoints.delete(ipv4);
        int flushed = filterCache.flushAddress(ipv4);
        int ifindex = ep.get().ifindex();
        dropVethIfUnused(ifindex);
        LOG.info("detached container {} (ifindex {}, {} filter entries dropped)", ipv4, ifindex, flushed);
        return true;
    }

    private void dropVethIfUnused(int ifindex) {
        if (!endpoints.onVeth(ifindex).isEmpty()) {
            return;
        }
        Hook h = hooks.get(ifindex);
        if (h != null && h.role == InterfaceRole.CONTAINER) {
            hooks.remove(ifindex);
            detachQuietly(h.egress);
            detachQuietly(h.ingress);
        }
    }

    /**
     * Container IP reused: {@code ipv4} now belongs to the container behind {@code hostVeth}, whatever it was
     * registered on before (even the same ifindex, reused by a new veth). The new registration wins, the address's
     * filter entries are dropped, and the old veth is detached when no other address uses it. Works also when the
     * address was not registered. Transactional like {@link #attachContainer}.
     */
    public synchronized AttachedInterface reassignContainer(String hostVeth, Ipv4Address ipv4) {
        ensureUp();
        validateContainerAddress(ipv4);
        int ifindex = resolve(hostVeth, "container veth");
        containerVeth(hostVeth, ifindex);
        Optional<Endpoint> old = endpoints.lookup(ipv4);
        Hook h = containerHook(hostVeth, ifindex);
        boolean attachedNow = h == null;
        if (attachedNow) {
            h = attachBoth(hostVeth, ifindex, InterfaceRole.CONTAINER);
        }
        try {
            endpoints.put(ipv4, Endpoint.registered(ifindex));
        } catch (RuntimeException | Error e) {
            if (attachedNow) {
                detachQuietly(h.egress);
                detachQuietly(h.ingress);
            }
            throw e;
        }
        hooks.put(ifindex, h);
        filterCache.flushAddress(ipv4);
        if (old.isPresent() && old.get().ifindex() != ifindex) {
            dropVethIfUnused(old.get().ifindex());
        }
        LOG.info("container IP {} reassigned to {} (ifindex {}){}", ipv4, hostVeth, ifindex,
                old.map(e -> ", was on ifindex " + e.ifindex()).orElse(""));
        return h.describe();
    }

    /** The interfaces this instance has programs on. */
    public synchronized List<AttachedInterface> attachedInterfaces() {
        ensureUp();
        return hooks.values().stream().map(Hook::describe).toList();
    }

    // ------------------------------------------------------------------ coherence

    /** Remote container gone or moved: evicts its level-1 entry. @return whether there was one */
    public boolean evictRemoteContainer(Ipv4Address container) {
        ensureUp();
        Objects.requireNonNull(container, "container");
        return egressHosts.delete(container);
    }

    /**
     * Remote host gone, or its MAC/IP changed: evicts its level-2 entry (first, so the fast path stops at once) and
     * every level-1 entry pointing to it. @return how many entries were evicted in all
     */
    public int evictRemoteHost(Ipv4Address host) {
        ensureUp();
        Objects.requireNonNull(host, "host");
        int n = egressHeaders.delete(host) ? 1 : 0;
        return n + egressHosts.evictHost(host);
    }

    /** Policy changed: empties the filter cache; flows relearn through the slow path. @return entries dropped */
    public int flushFilter() {
        ensureUp();
        return filterCache.flush();
    }

    /** Policy changed for some flows: drops the filter entries {@code flows} accepts. @return entries dropped */
    public int flushFilter(Predicate<? super FlowKey> flows) {
        ensureUp();
        return filterCache.flush(flows);
    }

    /**
     * Forgets everything learned: both egress cache levels, the filter cache, and the learned MACs of every endpoint
     * (registrations and attachments stay). The fast path resumes as the slow path teaches it again.
     */
    public synchronized void flushAll() {
        ensureUp();
        filterCache.flush();
        egressHeaders.clear();
        egressHosts.clear();
        endpoints.entries().forEach((ip, ep) -> endpoints.handle().replace(ip, Endpoint.registered(ep.ifindex())));
    }

    // ------------------------------------------------------------------ views and statistics

    /** The endpoints map (local container IPv4 -> veth and MACs). */
    public EndpointTable endpoints() {
        ensureUp();
        return endpoints;
    }

    /** Level 1 of the egress cache (remote container -> remote host). */
    public EgressHostCache egressHosts() {
        ensureUp();
        return egressHosts;
    }

    /** Level 2 of the egress cache (remote host -> tunnel header and output NIC). */
    public EgressHeaderCache egressHeaders() {
        ensureUp();
        return egressHeaders;
    }

    public FilterCache filterCache() {
        ensureUp();
        return filterCache;
    }

    public HostDeviceTable hostDevices() {
        ensureUp();
        return hostDevices;
    }

    /** The counters, summed over CPUs. */
    public StatisticsTable statistics() {
        ensureUp();
        return statistics;
    }

    /** A snapshot of every counter, summed over CPUs. */
    public Statistics statisticsSnapshot() {
        return statistics().snapshot();
    }

    /** The netfilter rule that sets the EST mark (installed by the builder's {@code installEstRule}). */
    public EstMarkRule estRule() {
        ensureUp();
        return estRule;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Releases this JVM's resources (fds, handles). The datapath keeps running: attachments, pins, caches and the
     * netfilter rule stay, and {@code open()} with the same pin root re-adopts them. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSED;
        for (Hook h : hooks.values()) {
            release(h.ingress);
            release(h.egress);
        }
        hooks.clear();
        object.close();
        LOG.info("XMasq at {} closed (the datapath keeps running)", pinRoot);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("closing XMasq at {}: {}", pinRoot, e.toString());
        }
    }

    /**
     * Takes the datapath away: detaches every program this instance holds (attached or re-adopted), removes the EST
     * rule, and removes every pin (caches are lost). Also works after {@link #close()}, from the pins. Call it from
     * the datapath's namespace, like the attach calls (classic filters and the netfilter rule live there). Idempotent.
     */
    public synchronized void down() {
        if (state == State.DOWN) {
            return;
        }
        List<RuntimeException> failures = new ArrayList<>();
        if (state == State.OPEN) {
            for (Hook h : hooks.values()) {
                for (TcAttachment a : new TcAttachment[] {h.egress, h.ingress}) {
                    try {
                        if (a != null) {
                            detach(a);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }
            hooks.clear();
            object.close();
        }
        state = State.DOWN;
        try {
            estRule.remove();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            PinnedInstance.teardown(lib, pinRoot, interfaces);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        LOG.info("XMasq at {} is down", pinRoot);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Override
    public String toString() {
        return "XMasq[" + pinRoot + ", " + state + "]";
    }

    // ------------------------------------------------------------------ builder

    /** Configures and opens an instance. Every setting has a default. */
    public static final class Builder {
        private LibBpf lib;
        private Path pinRoot = DEFAULT_PIN_ROOT;
        private DatapathConfig config = DatapathConfig.DEFAULTS;
        private MapSizes sizes = MapSizes.DEFAULTS;
        private TcMode attachMode = TcMode.AUTO;
        private boolean installEstRule;
        private boolean replaceIncompatible;
        private HostInterfaces interfaces;
        private CommandRunner commands;

        private Builder() {
        }

        /** Where the instance is pinned (a directory on bpffs; default {@link #DEFAULT_PIN_ROOT}). */
        public Builder pinRoot(Path root) {
            this.pinRoot = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
            return this;
        }

        /** The overlay's VXLAN UDP port (default 8472, Flannel's; 4789 is IANA's). */
        public Builder vxlanPort(int port) {
            config = config.withVxlan(port, config.vni());
            return this;
        }

        /** The overlay's VNI (default 1). */
        public Builder vni(int vni) {
            config = config.withVxlan(config.vxlanPort(), vni);
            return this;
        }

        public Builder mapSizes(MapSizes s) {
            this.sizes = Objects.requireNonNull(s, "sizes");
            return this;
        }

        /** The skb->mark bits the datapath owns (defaults 0x01000000, 0x02000000, 0x04000000). */
        public Builder marks(int miss, int remote, int est) {
            config = config.withMarks(miss, remote, est);
            return this;
        }

        /** Learners also require the EST mark (set by the netfilter rule, see {@link #installEstRule}). */
        public Builder requireEst(boolean require) {
            config = config.withRequireEst(require);
            return this;
        }

        /** Container-to-container traffic on this host goes veth to veth (default on). */
        public Builder intraHost(boolean enabled) {
            config = config.withIntraHost(enabled);
            return this;
        }

        /**
         * The ingress fast path also decapsulates GSO packets (default off): see {@link DatapathConfig#ingressGso()}
         * for when that is safe on kernels older than {@code BPF_F_ADJ_ROOM_DECAP_L4_UDP}.
         */
        public Builder ingressGso(boolean enabled) {
            config = config.withIngressGso(enabled);
            return this;
        }

        /** The outer UDP source port range, as the kernel's VXLAN device uses (default 32768..60999). */
        public Builder sourcePortRange(int min, int max) {
            config = config.withSourcePortRange(min, max);
            return this;
        }

        /** The whole datapath configuration at once. */
        public Builder config(DatapathConfig c) {
            this.config = Objects.requireNonNull(c, "config");
            return this;
        }

        /** Install the netfilter rule that sets the EST mark on established connections (iptables or nft). */
        public Builder installEstRule(boolean install) {
            this.installEstRule = install;
            return this;
        }

        /** tcx (pinned links), clsact (filters at our handle/priority) or AUTO (tcx where the kernel has it). */
        public Builder attachMode(TcMode mode) {
            this.attachMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** When the pinned instance is incompatible, tear it down and start afresh instead of failing. */
        public Builder replaceIncompatible(boolean replace) {
            this.replaceIncompatible = replace;
            return this;
        }

        /** The native backend (default {@link LibBpfs#get()}). */
        public Builder libBpf(LibBpf l) {
            this.lib = Objects.requireNonNull(l, "lib");
            return this;
        }

        /** How interfaces are read (default rtnetlink in the calling thread's namespace, {@link HostInterfaces#netlink}). */
        public Builder hostInterfaces(HostInterfaces hi) {
            this.interfaces = Objects.requireNonNull(hi, "interfaces");
            return this;
        }

        /** How iptables/nft are run (default: as processes from the calling thread). */
        public Builder commandRunner(CommandRunner runner) {
            this.commands = Objects.requireNonNull(runner, "runner");
            return this;
        }

        /**
         * Loads the datapath, or re-adopts the instance pinned under the pin root (nothing flushed or detached).
         *
         * @throws IncompatibleInstanceException when the pinned instance differs (unless {@link #replaceIncompatible})
         * @throws org.xmasq.libbpf.BpfFsException when the pin root is not on bpffs
         */
        public XMasq open() {
            if (config.requireEst() && !installEstRule) {
                LOG.info("requireEst without installEstRule: something else must set the EST mark 0x{}",
                        Integer.toHexString(config.markEst()));
            }
            if (lib == null) {
                lib = LibBpfs.get();
            }
            if (commands == null) {
                commands = CommandRunner.system();
            }
            if (interfaces == null) {
                interfaces = HostInterfaces.netlink(lib);
            }
            return XMasq.open(this);
        }

        /**
         * Re-adopts the instance pinned under the pin root with the configuration and map sizes it was started with,
         * whatever this builder says about them: for a later process (a CLI, an inspector) that manages an instance
         * without knowing how it was configured. Nothing is flushed or detached.
         *
         * @throws InstanceDownException when no instance is pinned there
         * @throws IncompatibleInstanceException when the pinned instance cannot be re-adopted by this SDK
         */
        public XMasq openPinned() {
            if (lib == null) {
                lib = LibBpfs.get();
            }
            List<String> problems = new ArrayList<>();
            Optional<InstanceRecord> pinned = readRecord(lib, pinRoot, problems);
            if (pinned.isEmpty() && problems.isEmpty()) {
                throw new InstanceDownException("no XMasq instance at " + pinRoot);
            }
            if (pinned.isEmpty() || pinned.get().config() == null || pinned.get().sizes() == null) {
                problems.add("unreadable instance record at " + pinRoot.resolve("meta"));
                throw new IncompatibleInstanceException(pinRoot, problems);
            }
            config = pinned.get().config();
            sizes = pinned.get().sizes();
            replaceIncompatible = false;
            return open();
        }
    }

    static Collection<String> programNames() {
        return List.of(DatapathObject.EGRESS_FAST_PATH, DatapathObject.INGRESS_LEARNER,
                DatapathObject.INGRESS_FAST_PATH, DatapathObject.EGRESS_LEARNER);
    }

    static Collection<String> mapNames() {
        return List.of(DatapathObject.ENDPOINTS, DatapathObject.EGRESS_HOSTS, DatapathObject.EGRESS_HEADERS,
                DatapathObject.FILTER_CACHE, DatapathObject.HOST_DEVICES, DatapathObject.STATS);
    }
}
