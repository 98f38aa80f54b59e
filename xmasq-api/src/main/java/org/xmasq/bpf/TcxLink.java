package org.xmasq.bpf;

import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.LinkInfo;
import org.xmasq.libbpf.TcAttachPoint;

/**
 * A tcx attachment: a bpf_link that the kernel detaches when its last fd closes, unless it is pinned. Pin it to
 * keep the program attached across a restart of this process, and re-adopt it with {@link #fromPin}.
 */
public final class TcxLink implements TcAttachment {
    private static final Logger LOG = LoggerFactory.getLogger(TcxLink.class);

    private final LibBpf lib;
    private final int fd;
    private final int linkId;
    private final int ifindex;
    private final TcAttachPoint point;
    private final int programId;
    private final BpfObject owner;
    private Path pinPath;
    private boolean closed;
    private final LeakWatch.Token leak;

    TcxLink(LibBpf lib, int fd, LinkInfo info, TcAttachPoint point, BpfObject owner, Path pinPath) {
        this.lib = lib;
        this.fd = fd;
        this.linkId = info.id();
        this.ifindex = info.ifindex();
        this.point = point;
        this.programId = info.progId();
        this.owner = owner;
        this.pinPath = pinPath;
        this.leak = LeakWatch.watch(this, "tcx link " + linkId + " on ifindex " + ifindex);
    }

    /** Adopts the tcx link pinned at {@code pin}, through {@link LibBpfs#get()}. */
    public static TcxLink fromPin(Path pin) {
        return fromPin(LibBpfs.get(), pin);
    }

    /** Adopts the tcx link pinned at {@code pin} (e.g. after a restart); closing it later leaves it attached. */
    public static TcxLink fromPin(LibBpf lib, Path pin) {
        Objects.requireNonNull(pin, "pin");
        int fd = BpfException.check(lib.objGet(BpfFs.pathString(pin)), "bpf_obj_get(" + pin + ")");
        try {
            LinkInfo info = lib.linkInfo(fd);
            if (info.type() != LinkInfo.TYPE_TCX) {
                throw new IllegalArgumentException(pin + " holds a bpf link of type " + info.type() + ", not tcx ("
                        + LinkInfo.TYPE_TCX + ")");
            }
            return new TcxLink(lib, fd, info, pointOf(info.attachType()), null, pin.toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            lib.close(fd);
            throw e;
        }
    }

    static TcAttachPoint pointOf(int attachType) {
        for (TcAttachPoint p : TcAttachPoint.values()) {
            if (p.tcxAttachType() == attachType) {
                return p;
            }
        }
        throw new IllegalArgumentException("attach type " + attachType + " is not a tcx attach type");
    }

    @Override
    public int ifindex() {
        return ifindex;
    }

    @Override
    public TcAttachPoint point() {
        return point;
    }

    @Override
    public int programId() {
        return programId;
    }

    public int linkId() {
        return linkId;
    }

    public synchronized int fd() {
        ensureOpen("fd");
        return fd;
    }

    /** The kernel's current view of the link (ifindex 0 once it was detached, e.g. its interface went away). */
    public synchronized LinkInfo info() {
        ensureOpen("bpf_obj_get_info_by_fd");
        return lib.linkInfo(fd);
    }

    /** Pins the link at {@code path} (on bpffs), so it stays attached after close and can be re-adopted. */
    public synchronized void pin(Path path) {
        Objects.requireNonNull(path, "path");
        ensureOpen("bpf_obj_pin");
        lib.bpfFs().checkMounted(path, "pin tcx link");
        lib.bpfFs().createParent(path);
        BpfException.check(lib.objPin(fd, BpfFs.pathString(path)), "bpf_obj_pin(tcx link " + linkId + ", " + path + ")");
        pinPath = path.toAbsolutePath().normalize();
    }

    /** Removes the pin; the link then lives only as long as open fds. @return false when it was not pinned */
    public synchronized boolean unpin() {
        if (pinPath == null) {
            return false;
        }
        boolean removed = lib.bpfFs().unlink(pinPath);
        pinPath = null;
        return removed;
    }

    public synchronized Path pinPath() {
        return pinPath;
    }

    @Override
    public TcMode mode() {
        return TcMode.TCX;
    }

    /** Pins the link at {@code pin} (see {@link #pin}). */
    @Override
    public void persist(Path pin) {
        pin(pin);
    }

    /** Closes our fd: a pinned link stays attached, an unpinned one is detached by the kernel. */
    @Override
    public void release() {
        close();
    }

    /**
     * Removes the pin, detaches the program, pinned or not, and closes the fd. Idempotent; when the interface is gone
     * the kernel has detached the link already, which counts as detached.
     */
    @Override
    public void detach() {
        try {
            synchronized (this) {
                if (closed) {
                    return;
                }
                unpin();
                int rc = lib.linkDetach(fd);
                if (rc < 0 && lib.linkInfo(fd).ifindex() != 0) {
                    throw BpfException.of("bpf_link_detach(tcx link " + linkId + ")", rc);
                }
            }
        } finally {
            close();
        }
    }

    @Override
    public synchronized boolean isAttached() {
        if (closed) {
            return false;
        }
        try {
            return lib.linkInfo(fd).ifindex() == ifindex;
        } catch (RuntimeException e) {
            LOG.debug("{}: {}", this, e.toString());
            return false;
        }
    }

    /** Closes our fd: an unpinned link is detached by the kernel, a pinned one stays attached. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            leak.closed = true;
            lib.close(fd);
        }
        LOG.debug("closed tcx link {} on ifindex {} {}", linkId, ifindex, point);
        if (owner != null) {
            owner.unregister(this);
        }
    }

    private void ensureOpen(String what) {
        if (closed) {
            throw new ClosedResourceException(what + "(tcx link " + linkId + ")", 0, "tcx link " + linkId + " is closed");
        }
    }

    @Override
    public String toString() {
        return "TcxLink[id " + linkId + ", ifindex " + ifindex + " " + point + ", prog " + programId
                + (pinPath == null ? "" : ", pinned at " + pinPath) + "]";
    }
}
