package org.xmasq;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.bpf.BpfObject;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.datapath.DatapathObject;
import org.xmasq.datapath.EgressHeader;
import org.xmasq.datapath.EgressHeaderCache;
import org.xmasq.datapath.EgressHost;
import org.xmasq.datapath.EgressHostCache;
import org.xmasq.datapath.Endpoint;
import org.xmasq.datapath.EndpointTable;
import org.xmasq.datapath.FilterCache;
import org.xmasq.datapath.FilterEntry;
import org.xmasq.datapath.FlowKey;
import org.xmasq.datapath.HostDevice;
import org.xmasq.datapath.HostDeviceTable;
import org.xmasq.datapath.MapSizes;
import org.xmasq.datapath.Statistics;
import org.xmasq.datapath.StatisticsTable;
import org.xmasq.host.CommandRunner;
import org.xmasq.host.EstMarkRule;
import org.xmasq.host.InterfaceInfo;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.net.Ipv4Address;

/**
 * One XMasq datapath instance: the eBPF fast path of one host, its caches and its attachments.
 *
 * <p>{@link #builder()}...{@link XMasqBuilder#open() open()} loads the embedded object with its maps pinned under the
 * pin root, or, when an instance is pinned there already, re-adopts it: its maps (no cache flushed), its attachments
 * (nothing detached) and its registrations. {@link PinLayout} says what lives where under the pin root.
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

    private enum State { OPEN, CLOSED, DOWN }

    private final Settings settings;
    private final PinLayout pins;
    private final EstMarkRule estRule;
    private final boolean readopted;
    private final BpfObject object;
    private final Attachments attachments;
    private final EndpointTable endpoints;
    private final EgressHostCache egressHosts;
    private final EgressHeaderCache egressHeaders;
    private final FilterCache filterCache;
    private final HostDeviceTable hostDevices;
    private final StatisticsTable statistics;
    private volatile State state = State.OPEN;

    XMasq(Settings s, BpfObject object, boolean readopted) {
        this.settings = s;
        this.pins = s.pins();
        this.estRule = InstanceOpener.estRule(s.commands(), pins, s.config());
        this.readopted = readopted;
        this.object = object;
        this.attachments = new Attachments(s.lib(), pins, object, s.attachMode());
        Runnable guard = this::ensureUp;
        endpoints = new EndpointTable(object.map(DatapathObject.ENDPOINTS, DatapathObject.IPV4_KEY,
                Endpoint.CODEC), guard);
        egressHosts = new EgressHostCache(object.map(DatapathObject.EGRESS_HOSTS, DatapathObject.IPV4_KEY,
                EgressHost.CODEC), guard);
        egressHeaders = new EgressHeaderCache(object.map(DatapathObject.EGRESS_HEADERS, DatapathObject.IPV4_KEY,
                EgressHeader.CODEC), guard);
        filterCache = new FilterCache(object.map(DatapathObject.FILTER_CACHE, FlowKey.CODEC, FilterEntry.CODEC),
                guard);
        hostDevices = new HostDeviceTable(object.map(DatapathObject.HOST_DEVICES, DatapathObject.IFINDEX_KEY,
                HostDevice.CODEC), guard);
        statistics = new StatisticsTable(object.perCpuMap(DatapathObject.STATS, DatapathObject.STAT_KEY,
                DatapathObject.COUNTER), guard);
    }

    public static XMasqBuilder builder() {
        return new XMasqBuilder();
    }

    /** Whether an instance is pinned under {@code root} (through {@link LibBpfs#get()}). */
    public static boolean isPinned(Path root) {
        return InstanceOpener.isPinned(LibBpfs.get(), PinLayout.of(root));
    }

    /**
     * Takes away whatever instance is pinned under {@code root}, from its pins alone, whichever SDK version pinned
     * it: detaches its programs, removes its netfilter rule and every pin (caches are lost). Call it from the
     * datapath's namespace. Idempotent: nothing pinned is nothing to do.
     *
     * @return whether an instance (or any pin of one) was there
     */
    public static boolean teardown(Path root) {
        return InstanceOpener.teardownWithRule(LibBpfs.get(), PinLayout.of(root), CommandRunner.system());
    }

    /** Adopts what the previous instance left attached and installs the EST rule if asked. */
    void start() {
        Set<Integer> hosts = hostDevices.entries().keySet();
        Set<Integer> veths = endpoints.entries().values().stream().map(Endpoint::ifindex)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        synchronized (this) {
            attachments.adopt(hosts, veths);
        }
        if (settings.installEstRule()) {
            estRule.install();
        }
        LOG.info("XMasq {} at {} ({}, {} attachments)", readopted ? "re-adopted" : "loaded", pins.root(),
                settings.config(), attachments.size());
    }

    // ------------------------------------------------------------------ state

    private void ensureUp() {
        State s = state;
        if (s != State.OPEN) {
            throw new InstanceDownException("the XMasq instance at " + pins.root() + " is "
                    + (s == State.DOWN ? "down" : "closed") + (s == State.CLOSED
                    ? "; open it again to re-adopt the datapath" : ""));
        }
    }

    /** Whether {@code open()} found this instance pinned and re-adopted it (false: loaded afresh). */
    public boolean readopted() {
        return readopted;
    }

    public Path pinRoot() {
        return pins.root();
    }

    public PinLayout pinLayout() {
        return pins;
    }

    public DatapathConfig config() {
        return settings.config();
    }

    public MapSizes mapSizes() {
        return settings.sizes();
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    // ------------------------------------------------------------------ host and containers

    /**
     * Attaches the host NIC: the ingress fast path on its TC ingress, the egress learner on its TC egress, and its
     * IPv4 address and MAC (read now in this namespace) into {@code host_devices}. Attaching an attached NIC again
     * refreshes its address and MAC. Transactional: when it fails nothing is attached or registered.
     *
     * @throws UnknownInterfaceException when there is no such interface in this namespace
     * @throws UnsuitableInterfaceException when it has no IPv4 address, or is a container's veth already
     */
    public AttachedInterface attachHost(String nic) {
        return attachHost(nic, 0, 0);
    }

    /**
     * {@link #attachHost(String)} for a NIC whose overlay uses its own VXLAN port and VNI (a host with two overlays on
     * two NICs); 0 for either means the instance's ({@link DatapathConfig#vxlanPort()}, {@link DatapathConfig#vni()}).
     *
     * @throws IllegalArgumentException for a port outside 0..65535 or a VNI wider than 24 bits
     */
    public synchronized AttachedInterface attachHost(String nic, int vxlanPort, int vni) {
        ensureUp();
        HostDevice.checkOverlay(vxlanPort, vni);
        InterfaceInfo info = Validation.hostNic(settings.interfaces(), nic);
        Ipv4Address address = info.primaryIpv4().orElseThrow();
        int ifindex = info.ifindex();
        HostDevice device = new HostDevice(address, info.mac(), vxlanPort, vni);
        AttachedInterface a = attachments.ensureAttached(nic, ifindex, InterfaceRole.HOST, () -> {
            Optional<HostDevice> before = hostDevices.lookup(ifindex);
            try {
                hostDevices.put(ifindex, device);
            } catch (RuntimeException | Error e) {
                restore(before, ifindex);
                throw e;
            }
        });
        LOG.info("attached host NIC {} (ifindex {}, {} {})", nic, ifindex, address, info.mac());
        return a;
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
        int ifindex = attachments.hostNamed(nic);
        if (ifindex == 0) {
            Optional<InterfaceInfo> i = settings.interfaces().find(nic);
            return i.isPresent() && hostDevices.delete(i.get().ifindex());
        }
        hostDevices.delete(ifindex);
        attachments.detach(ifindex, InterfaceRole.HOST);
        LOG.info("detached host NIC {}", nic);
        return true;
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
        Validation.containerAddress(ipv4);
        int ifindex = Validation.containerVeth(settings.interfaces(), hostVeth).ifindex();
        Optional<Endpoint> current = endpoints.lookup(ipv4);
        if (current.isPresent()) {
            int on = current.get().ifindex();
            throw new DuplicateEndpointException(ipv4, on, "container IP " + ipv4 + " is already registered on "
                    + describeIfindex(on) + "; detachContainer(" + ipv4 + ") first, or reassignContainer(\""
                    + hostVeth + "\", " + ipv4 + ") if a new container took the address over");
        }
        AttachedInterface a = attachments.ensureAttached(hostVeth, ifindex, InterfaceRole.CONTAINER, () -> {
            if (!endpoints.handle().putIfAbsent(ipv4, Endpoint.registered(ifindex))) {
                int on = endpoints.lookup(ipv4).map(Endpoint::ifindex).orElse(0);
                throw new DuplicateEndpointException(ipv4, on, "container IP " + ipv4
                        + " was registered meanwhile on " + describeIfindex(on));
            }
        });
        LOG.info("attached container {} on {} (ifindex {})", ipv4, hostVeth, ifindex);
        return a;
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
        if (endpoints.onVeth(ifindex).isEmpty()) {
            attachments.detach(ifindex, InterfaceRole.CONTAINER);
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
        Validation.containerAddress(ipv4);
        int ifindex = Validation.containerVeth(settings.interfaces(), hostVeth).ifindex();
        Optional<Endpoint> old = endpoints.lookup(ipv4);
        AttachedInterface a = attachments.ensureAttached(hostVeth, ifindex, InterfaceRole.CONTAINER,
                () -> endpoints.put(ipv4, Endpoint.registered(ifindex)));
        filterCache.flushAddress(ipv4);
        if (old.isPresent() && old.get().ifindex() != ifindex) {
            dropVethIfUnused(old.get().ifindex());
        }
        LOG.info("container IP {} reassigned to {} (ifindex {}){}", ipv4, hostVeth, ifindex,
                old.map(e -> ", was on ifindex " + e.ifindex()).orElse(""));
        return a;
    }

    /** The interfaces this instance has programs on. */
    public synchronized List<AttachedInterface> attachedInterfaces() {
        ensureUp();
        return attachments.describe();
    }

    private String describeIfindex(int ifindex) {
        String name = attachments.nameOf(ifindex);
        return (name == null ? "a veth that no longer exists" : "veth " + name) + " (ifindex " + ifindex + ")";
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
        attachments.releaseAll();
        object.close();
        LOG.info("XMasq at {} closed (the datapath keeps running)", pins.root());
    }

    void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("closing XMasq at {}: {}", pins.root(), e.toString());
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
        List<RuntimeException> failures = new java.util.ArrayList<>();
        if (state == State.OPEN) {
            failures.addAll(attachments.detachAll());
            object.close();
        }
        state = State.DOWN;
        try {
            estRule.remove();
        } catch (RuntimeException e) {
            failures.add(e);
        }
        try {
            InstanceOpener.teardown(settings.lib(), pins);
        } catch (RuntimeException e) {
            failures.add(e);
        }
        LOG.info("XMasq at {} is down", pins.root());
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Override
    public String toString() {
        return "XMasq[" + pins.root() + ", " + state + "]";
    }
}
