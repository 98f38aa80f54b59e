package org.xmasq.examples.cni;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.IncompatibleInstanceException;
import org.xmasq.InstanceDownException;
import org.xmasq.InterfaceException;
import org.xmasq.InterfaceRole;
import org.xmasq.XMasq;
import org.xmasq.datapath.Endpoint;
import org.xmasq.examples.json.Json;
import org.xmasq.host.HostInterfaces;
import org.xmasq.host.InterfaceInfo;
import org.xmasq.net.Ipv4Address;

/**
 * ADD, DEL and CHECK against the node's pinned XMasq instance, run in the caller's network namespace (the host's:
 * the runtime runs the plugin there). One invocation at a time per state directory (a file lock), because a
 * re-adopting open drops attachments it cannot account for and another ADD's may be half made.
 *
 * <p>ADD notes in {@code <stateDir>/<container id>-<ifname>} what it registered (addresses, veth, ifindex), so DEL
 * can undo it without a prevResult and without touching an address a newer container has taken over.
 */
final class ContainerOps implements XMasqCni.Operations {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerOps.class);
    private static final long LOCK_TIMEOUT_MS = 20_000;

    private HostInterfaces interfaces;

    private HostInterfaces interfaces() {
        if (interfaces == null) {
            interfaces = HostInterfaces.netlink();
        }
        return interfaces;
    }

    /** What ADD registered for one container interface. */
    record Registration(List<String> ipv4, String hostVeth, int ifindex) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ipv4", new ArrayList<Object>(ipv4));
            m.put("hostVeth", hostVeth);
            m.put("ifindex", (long) ifindex);
            return m;
        }

        static Optional<Registration> fromJson(String text) {
            try {
                if (Json.parse(text) instanceof Map<?, ?> m && m.get("ipv4") instanceof List<?> l
                        && m.get("hostVeth") instanceof String veth && m.get("ifindex") instanceof Long idx) {
                    List<String> ips = new ArrayList<>();
                    for (Object o : l) {
                        ips.add(String.valueOf(o));
                    }
                    return Optional.of(new Registration(ips, veth, idx.intValue()));
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("unreadable state file: {}", e.getMessage());
            }
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ ADD

    @Override
    public Map<String, Object> add(XMasqCni.Request req) {
        NetConf conf = req.conf();
        List<String> ips = conf.containerIpv4(req.ifName());
        if (ips.isEmpty()) {
            LOG.info("ADD {}: prevResult has no IPv4 address for {}; nothing to accelerate", req.containerId(),
                    req.ifName());
            return conf.prevResult();
        }
        List<Ipv4Address> addrs = parse(ips);
        withInstance(conf, x -> {
            String veth = attach(x, req, addrs);
            int ifindex = x.endpoints().lookup(addrs.get(0)).map(Endpoint::ifindex).orElse(0);
            writeState(req, new Registration(ips, veth, ifindex));
            LOG.info("ADD {}: {} on {} (ifindex {})", req.containerId(), ips, veth, ifindex);
            return null;
        });
        return conf.prevResult();
    }

    /**
     * Registers {@code addrs} on the container's host veth and returns its name. The veth is tried among prevResult's
     * host interfaces, nearest the container's interface first (the bridge plugin lists bridge, veth, container
     * interface): the attach itself checks that an interface is a veth and leaves nothing behind when it is not, so
     * the usual case costs no extra lookup. When none fits, the peer of the container's interface is used.
     */
    private String attach(XMasq x, XMasqCni.Request req, List<Ipv4Address> addrs) {
        List<String> candidates = new ArrayList<>(req.conf().hostInterfaceNames());
        java.util.Collections.reverse(candidates);
        RuntimeException last = null;
        for (String veth : candidates) {
            try {
                attachAll(x, veth, addrs);
                return veth;
            } catch (InterfaceException e) {
                LOG.debug("{} is not the container's veth: {}", veth, e.getMessage());
                last = e;
            }
        }
        String peer = peerName(req);
        if (peer == null) {
            throw new CniError(CniError.NO_HOST_VETH, "cannot find the host-side veth of " + req.ifName(),
                    "prevResult host interfaces " + req.conf().hostInterfaceNames() + (last == null ? ""
                            : " (" + last.getMessage() + ")") + "; no veth peer of " + req.ifName() + " in "
                            + req.netns());
        }
        attachAll(x, peer, addrs);
        return peer;
    }

    private static void attachAll(XMasq x, String veth, List<Ipv4Address> addrs) {
        List<Ipv4Address> done = new ArrayList<>();
        try {
            for (Ipv4Address a : addrs) {
                // reassign: a stale registration of this address (a container whose DEL never came) loses
                x.reassignContainer(veth, a);
                done.add(a);
            }
        } catch (RuntimeException e) {
            for (Ipv4Address a : done) {
                x.detachContainer(a);
            }
            throw e;
        }
    }

    private String peerName(XMasqCni.Request req) {
        return vethPeer(req).map(InterfaceInfo::name).orElse(null);
    }

    /** The host-side end of the container's interface, read over netlink inside the container's namespace. */
    private Optional<InterfaceInfo> vethPeer(XMasqCni.Request req) {
        try {
            return interfaces().vethPeer(Path.of(req.netns()), req.ifName());
        } catch (RuntimeException e) {
            LOG.debug("peer of {} in {}: {}", req.ifName(), req.netns(), e.toString());
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ DEL

    @Override
    public void del(XMasqCni.Request req) {
        NetConf conf = req.conf();
        Path state = stateFile(req);
        Optional<Registration> noted = readState(state);
        Set<String> ips = new LinkedHashSet<>(conf.containerIpv4(req.ifName()));
        noted.ifPresent(r -> ips.addAll(r.ipv4()));
        if (ips.isEmpty()) {
            deleteState(state);
            return; // nothing was registered for this container, or it is gone already
        }
        if (!XMasq.isPinned(conf.pinRoot())) {
            LOG.info("DEL {}: no XMasq instance at {}; nothing to remove", req.containerId(), conf.pinRoot());
            deleteState(state);
            return;
        }
        List<Ipv4Address> addrs = parse(new ArrayList<>(ips));
        int notedIfindex = noted.map(Registration::ifindex).orElse(0);
        String veth = noted.map(Registration::hostVeth).orElse(null);
        if (veth == null) {
            List<String> host = conf.hostInterfaceNames();
            veth = host.isEmpty() ? null : host.get(host.size() - 1);
        }
        String vethName = veth;
        try {
            withInstance(conf, x -> {
                for (Ipv4Address a : addrs) {
                    Optional<Endpoint> ep = x.endpoints().lookup(a);
                    if (ep.isEmpty()) {
                        continue;
                    }
                    if (ours(ep.get().ifindex(), notedIfindex, vethName)) {
                        x.detachContainer(a);
                        LOG.info("DEL {}: {} detached", req.containerId(), a);
                    } else {
                        LOG.info("DEL {}: {} now belongs to ifindex {}; left alone", req.containerId(), a,
                                ep.get().ifindex());
                    }
                }
                return null;
            });
        } catch (CniError e) {
            if (e.code() != CniError.NODE_NOT_SET_UP) {
                throw e;
            }
            LOG.info("DEL {}: {}; nothing to remove", req.containerId(), e.getMessage());
        }
        deleteState(state);
    }

    /** Whether the registration on {@code ifindex} is this container's (and not a newer owner's of the address). */
    private boolean ours(int ifindex, int notedIfindex, String veth) {
        if (notedIfindex != 0) {
            return ifindex == notedIfindex;
        }
        if (veth != null) {
            Optional<InterfaceInfo> now = interfaces().find(veth);
            if (now.isPresent()) {
                return now.get().ifindex() == ifindex;
            }
        }
        return interfaces().nameOf(ifindex).isEmpty(); // its interface is gone: a stale registration
    }

    // ------------------------------------------------------------------ CHECK

    @Override
    public void check(XMasqCni.Request req) {
        NetConf conf = req.conf();
        List<String> ips = conf.containerIpv4(req.ifName());
        if (ips.isEmpty()) {
            return;
        }
        List<Ipv4Address> addrs = parse(ips);
        String veth = hostVeth(req);
        int ifindex = interfaces().find(veth).map(InterfaceInfo::ifindex).orElse(0);
        withInstance(conf, x -> {
            for (Ipv4Address a : addrs) {
                Optional<Endpoint> ep = x.endpoints().lookup(a);
                if (ep.isEmpty()) {
                    throw new CniError(CniError.NOT_ATTACHED, a + " is not registered in the XMasq endpoints map",
                            "pin root " + conf.pinRoot());
                }
                if (ep.get().ifindex() != ifindex) {
                    throw new CniError(CniError.NOT_ATTACHED, a + " is registered on ifindex " + ep.get().ifindex()
                            + ", not on " + veth + " (ifindex " + ifindex + ")");
                }
            }
            boolean attached = x.attachedInterfaces().stream()
                    .anyMatch(i -> i.ifindex() == ifindex && i.role() == InterfaceRole.CONTAINER);
            if (!attached) {
                throw new CniError(CniError.NOT_ATTACHED, "the container programs are not attached to " + veth);
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ the host veth

    /**
     * The container's host-side veth: the one veth among prevResult's host interfaces, or else the peer of the
     * container's interface (its link index read inside the container's namespace).
     */
    String hostVeth(XMasqCni.Request req) {
        List<String> veths = new ArrayList<>();
        for (String name : req.conf().hostInterfaceNames()) {
            interfaces().find(name).filter(InterfaceInfo::isVeth).ifPresent(i -> veths.add(i.name()));
        }
        if (veths.size() == 1) {
            return veths.get(0);
        }
        String name = peerName(req);
        if (name != null && (veths.isEmpty() || veths.contains(name))) {
            return name;
        }
        throw new CniError(CniError.NO_HOST_VETH, "cannot find the host-side veth of " + req.ifName(),
                "prevResult host interfaces " + req.conf().hostInterfaceNames() + ", veths among them " + veths
                        + ", veth peer of " + req.ifName() + " in " + req.netns() + ": " + name);
    }

    // ------------------------------------------------------------------ instance and state

    private <T> T withInstance(NetConf conf, Function<XMasq, T> work) {
        Path lockFile = conf.stateDir().resolve("lock");
        try {
            Files.createDirectories(conf.stateDir());
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "cannot create the state directory " + conf.stateDir(),
                    e.toString());
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lock(ch, lockFile)) {
            XMasq x;
            try {
                x = XMasq.builder().pinRoot(conf.pinRoot()).openPinned();
            } catch (InstanceDownException | IncompatibleInstanceException e) {
                throw new CniError(CniError.NODE_NOT_SET_UP, "the node's XMasq datapath is not usable at "
                        + conf.pinRoot() + " (run xmasq up)", e.getMessage());
            } catch (RuntimeException e) { // the BPF layer's: not on bpffs, no permission, no libbpf
                throw new CniError(CniError.NODE_NOT_SET_UP, "cannot open the node's XMasq datapath at "
                        + conf.pinRoot(), e.getMessage());
            }
            try {
                return work.apply(x);
            } catch (InterfaceException e) {
                throw new CniError(CniError.NO_HOST_VETH, "the host-side veth is unusable", e.getMessage());
            } finally {
                x.close();
            }
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "cannot lock " + lockFile, e.toString());
        }
    }

    private static FileLock lock(FileChannel ch, Path file) throws IOException {
        long deadline = System.currentTimeMillis() + LOCK_TIMEOUT_MS;
        while (true) {
            FileLock l = ch.tryLock();
            if (l != null) {
                return l;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new CniError(CniError.TRY_AGAIN_LATER, "another xmasq-cni holds " + file);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CniError(CniError.TRY_AGAIN_LATER, "interrupted waiting for " + file);
            }
        }
    }

    static Path stateFile(XMasqCni.Request req) {
        return req.conf().stateDir().resolve(req.containerId() + "-" + req.ifName());
    }

    private static void writeState(XMasqCni.Request req, Registration r) {
        Path f = stateFile(req);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, Json.write(r.toJson()), StandardCharsets.UTF_8);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "cannot write " + f, e.toString());
        }
    }

    private static Optional<Registration> readState(Path f) {
        try {
            return Files.exists(f) ? Registration.fromJson(Files.readString(f, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "cannot read " + f, e.toString());
        }
    }

    private static void deleteState(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "cannot delete " + f, e.toString());
        }
    }

    private static List<Ipv4Address> parse(List<String> ips) {
        List<Ipv4Address> out = new ArrayList<>();
        for (String s : ips) {
            try {
                out.add(Ipv4Address.parse(s));
            } catch (IllegalArgumentException e) {
                throw new CniError(CniError.INVALID_NETWORK_CONFIG, "prevResult has a bad IPv4 address " + s,
                        e.getMessage());
            }
        }
        return out;
    }
}
