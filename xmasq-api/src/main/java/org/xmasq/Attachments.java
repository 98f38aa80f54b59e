package org.xmasq;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.bpf.ClsactFilter;
import org.xmasq.bpf.Tc;
import org.xmasq.bpf.TcAttachment;
import org.xmasq.bpf.TcMode;
import org.xmasq.bpf.TcOptions;
import org.xmasq.bpf.TcxLink;
import org.xmasq.datapath.DatapathObject;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.TcAttachPoint;

/**
 * The interfaces an instance has its programs on, two per interface, and the one way to change that: {@link
 * #ensureAttached} (attach if not attached, register, roll back on failure). Attachments are tcx links pinned under
 * the pin layout's links directory, or clsact filters at our handle and priority; both survive this process and are
 * taken over again by {@link #adopt}. Not thread-safe: the instance serialises its calls.
 */
final class Attachments {
    private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);

    /** The clsact filter handle and priority of our programs (tcx needs none). */
    static final int CLSACT_HANDLE = TcOptions.DEFAULT_HANDLE;
    static final int CLSACT_PRIORITY = 0x584d & 0x7fff;

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

        void set(TcAttachPoint point, TcAttachment a) {
            if (point == TcAttachPoint.INGRESS) {
                ingress = a;
            } else {
                egress = a;
            }
        }

        TcAttachment get(TcAttachPoint point) {
            return point == TcAttachPoint.INGRESS ? ingress : egress;
        }

        boolean isLive() {
            return ingress != null && egress != null && ingress.isAttached() && egress.isAttached();
        }

        AttachedInterface describe() {
            return new AttachedInterface(name, ifindex, role, (ingress != null ? ingress : egress).mode());
        }

        /** Detaches both programs, egress first; the first failure is thrown after both were tried. */
        void detach() {
            RuntimeException failure = null;
            for (TcAttachment a : new TcAttachment[] {egress, ingress}) {
                try {
                    if (a != null) {
                        a.detach();
                    }
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        void detachQuietly() {
            try {
                detach();
            } catch (RuntimeException e) {
                LOG.warn("detaching {} failed: {}", name, e.toString());
            }
        }

        void release() {
            for (TcAttachment a : new TcAttachment[] {ingress, egress}) {
                if (a != null) {
                    a.release();
                }
            }
        }
    }

    private final LibBpf lib;
    private final PinLayout pins;
    private final BpfObject object;
    private final TcMode mode;
    private final Map<Integer, Hook> hooks = new LinkedHashMap<>();

    Attachments(LibBpf lib, PinLayout pins, BpfObject object, TcMode mode) {
        this.lib = lib;
        this.pins = pins;
        this.object = object;
        this.mode = mode;
    }

    static TcOptions clsactOptions() {
        return TcOptions.defaults().withHandle(CLSACT_HANDLE).withPriority(CLSACT_PRIORITY);
    }

    /** The program of {@code role} at {@code point}. */
    static String programFor(InterfaceRole role, TcAttachPoint point) {
        if (role == InterfaceRole.HOST) {
            return point == TcAttachPoint.INGRESS ? DatapathObject.INGRESS_FAST_PATH : DatapathObject.EGRESS_LEARNER;
        }
        return point == TcAttachPoint.INGRESS ? DatapathObject.EGRESS_FAST_PATH : DatapathObject.INGRESS_LEARNER;
    }

    /**
     * Takes over the attachments a previous instance left: pinned tcx links, and our clsact filters on the
     * interfaces the maps name. A link whose interface is gone, or is neither a host NIC nor a registered veth,
     * is removed.
     */
    void adopt(Set<Integer> hostIfindexes, Set<Integer> containerIfindexes) {
        for (Path pin : lib.bpfFs().list(pins.linksDir())) {
            TcxLink link;
            try {
                link = TcxLink.fromPin(lib, pin);
            } catch (RuntimeException e) {
                LOG.warn("{}: not a tcx link ({}); removing the pin", pin, e.getMessage());
                lib.bpfFs().unlink(pin);
                continue;
            }
            int ifindex = link.info().ifindex();
            InterfaceRole role = hostIfindexes.contains(ifindex) ? InterfaceRole.HOST
                    : containerIfindexes.contains(ifindex) ? InterfaceRole.CONTAINER : null;
            if (ifindex == 0 || role == null) {
                LOG.info("{}: {}; removing it", pin, ifindex == 0 ? "its interface is gone"
                        : "its interface is neither a host NIC nor a registered container's veth");
                detachQuietly(link);
                continue;
            }
            hooks.computeIfAbsent(ifindex, i -> new Hook(nameOf(i, PinLayout.interfaceOfLink(pin)), i, role))
                    .set(link.point(), link);
        }
        if (mode != TcMode.TCX) {
            hostIfindexes.forEach(i -> adoptClsact(i, InterfaceRole.HOST));
            containerIfindexes.forEach(i -> adoptClsact(i, InterfaceRole.CONTAINER));
        }
    }

    private void adoptClsact(int ifindex, InterfaceRole role) {
        for (TcAttachPoint point : TcAttachPoint.values()) {
            Hook h = hooks.get(ifindex);
            if (h != null && h.get(point) != null) {
                continue;
            }
            Optional<ClsactFilter> f = findOurFilter(lib, ifindex, point, programFor(role, point));
            if (f.isPresent()) {
                hooks.computeIfAbsent(ifindex, i -> new Hook(nameOf(i, null), i, role)).set(point, f.get());
            }
        }
    }

    private String nameOf(int ifindex, String fallback) {
        String n = lib.ifIndexToName(ifindex);
        return n != null ? n : fallback != null ? fallback : "ifindex " + ifindex;
    }

    /** Our filter at our handle/priority running {@code program}, if there is one. */
    private static Optional<ClsactFilter> findOurFilter(LibBpf lib, int ifindex, TcAttachPoint point,
                                                        String program) {
        Optional<ClsactFilter> f = ClsactFilter.find(lib, ifindex, point, clsactOptions());
        try {
            if (f.isPresent() && DatapathObject.isProgram(f.get().programInfo().name(), program)) {
                return f;
            }
        } catch (BpfException e) {
            LOG.debug("filter on ifindex {} {}: {}", ifindex, point, e.getMessage());
        }
        return Optional.empty();
    }

    /** Removes the clsact filters of ours (any of the four programs) at our handle/priority on {@code ifindexes}. */
    static void detachOurFilters(LibBpf lib, Collection<Integer> ifindexes) {
        for (int ifindex : ifindexes) {
            for (TcAttachPoint point : TcAttachPoint.values()) {
                try {
                    Optional<ClsactFilter> f = ClsactFilter.find(lib, ifindex, point, clsactOptions());
                    if (f.isPresent() && DatapathObject.isOurs(f.get().programInfo().name())) {
                        f.get().detach();
                    }
                } catch (RuntimeException e) {
                    LOG.debug("clsact filter on ifindex {} {}: {}", ifindex, point, e.getMessage());
                }
            }
        }
    }

    /**
     * Makes sure {@code role}'s two programs are on {@code ifindex}, then runs {@code register} (which undoes its
     * own effect when it fails). Programs attached by this call are detached again when {@code register} fails;
     * programs that were attached before stay.
     *
     * @throws UnsuitableInterfaceException when the interface carries the other role's programs
     */
    AttachedInterface ensureAttached(String name, int ifindex, InterfaceRole role, Runnable register) {
        Hook h = live(ifindex);
        if (h != null && h.role != role) {
            throw new UnsuitableInterfaceException(name, name + " is attached as "
                    + (h.role == InterfaceRole.HOST ? "a host NIC" : "a container veth, not a host NIC"));
        }
        boolean attachedNow = h == null;
        if (attachedNow) {
            h = attachBoth(name, ifindex, role);
        }
        try {
            register.run();
        } catch (RuntimeException | Error e) {
            if (attachedNow) {
                h.detachQuietly();
            }
            throw e;
        }
        hooks.put(ifindex, h);
        return h.describe();
    }

    /** The hook for {@code ifindex} if its programs are still attached there; a dead one is dropped. */
    private Hook live(int ifindex) {
        Hook h = hooks.get(ifindex);
        if (h == null || h.isLive()) {
            return h;
        }
        LOG.info("{} (ifindex {}): its attachments are gone (interface deleted?); forgetting them", h.name, ifindex);
        hooks.remove(ifindex);
        h.detachQuietly();
        return null;
    }

    /** Attaches both programs of {@code role}; nothing stays attached when either fails. */
    private Hook attachBoth(String name, int ifindex, InterfaceRole role) {
        Hook h = new Hook(name, ifindex, role);
        try {
            for (TcAttachPoint point : List.of(TcAttachPoint.INGRESS, TcAttachPoint.EGRESS)) {
                h.set(point, attach(programFor(role, point), name, ifindex, point));
            }
            return h;
        } catch (RuntimeException | Error e) {
            h.detachQuietly();
            throw e;
        }
    }

    /** Attaches {@code program} and makes it outlive this process. Undone entirely when it fails. */
    private TcAttachment attach(String program, String name, int ifindex, TcAttachPoint point) {
        BpfProgram p = object.program(program);
        Path pin = pins.link(name, point);
        if (lib.bpfFs().exists(pin)) {
            LOG.info("removing the stale link pin {}", pin);
            try {
                detachQuietly(TcxLink.fromPin(lib, pin));
            } catch (RuntimeException e) {
                lib.bpfFs().unlink(pin);
            }
        }
        TcAttachment a;
        try {
            a = Tc.attach(p, ifindex, point, clsactOptions().withMode(mode));
        } catch (BpfException e) {
            // our handle/priority is taken: by a filter of ours no hook holds (its registration went away while no
            // instance ran)? Then it is stale: replace it. Anybody else's filter is left alone.
            Optional<ClsactFilter> stale = e.errno() == Errno.EEXIST && mode != TcMode.TCX
                    ? findOurFilter(lib, ifindex, point, program) : Optional.empty();
            if (stale.isEmpty()) {
                throw e;
            }
            LOG.info("replacing a stale filter of ours on {} {}", name, point);
            a = Tc.attach(p, ifindex, point, clsactOptions().withMode(mode).withReplace(true));
        }
        try {
            a.persist(pin);
        } catch (RuntimeException e) {
            a.detach();
            throw e;
        }
        return a;
    }

    private static void detachQuietly(TcAttachment a) {
        try {
            a.detach();
        } catch (RuntimeException e) {
            LOG.warn("detaching {} failed: {}", a, e.toString());
        }
    }

    /** Detaches {@code ifindex}'s programs if it carries {@code role}'s. @return whether it did */
    boolean detach(int ifindex, InterfaceRole role) {
        Hook h = hooks.get(ifindex);
        if (h == null || h.role != role) {
            return false;
        }
        hooks.remove(ifindex);
        if (role == InterfaceRole.HOST) {
            h.detach();
        } else {
            h.detachQuietly();
        }
        return true;
    }

    /** The ifindex of the host NIC attached under {@code name}, or 0. */
    int hostNamed(String name) {
        return hooks.values().stream().filter(h -> h.role == InterfaceRole.HOST && h.name.equals(name))
                .mapToInt(h -> h.ifindex).findFirst().orElse(0);
    }

    /** The name an attached interface had, or the kernel's name for it now, or null. */
    String nameOf(int ifindex) {
        Hook h = hooks.get(ifindex);
        return h != null ? h.name : lib.ifIndexToName(ifindex);
    }

    List<AttachedInterface> describe() {
        return hooks.values().stream().map(Hook::describe).toList();
    }

    int size() {
        return hooks.size();
    }

    /** Lets go of every attachment and leaves the programs attached. */
    void releaseAll() {
        hooks.values().forEach(Hook::release);
        hooks.clear();
    }

    /** Detaches every attachment. @return the failures (every hook was tried) */
    List<RuntimeException> detachAll() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Hook h : hooks.values()) {
            try {
                h.detach();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        hooks.clear();
        return failures;
    }
}
