package org.xmasq.bpf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfLog;
import org.xmasq.libbpf.ProgInfo;
import org.xmasq.libbpf.TcAttachPoint;

/**
 * A classic cls_bpf filter (direct action) on the interface's clsact qdisc, at our own handle and priority.
 * It outlives this process unless closed. {@link #close()} removes only our handle/priority, and only while it
 * still runs our program; the qdisc and everybody else's filters are never touched.
 */
public final class ClsactFilter implements TcAttachment {
    private static final Logger LOG = LoggerFactory.getLogger(ClsactFilter.class);

    private final LibBpf lib;
    private final Path netns;
    private final int ifindex;
    private final TcAttachPoint point;
    private final int handle;
    private final int priority;
    private final int programId;
    private final boolean createdQdisc;
    private final BpfObject owner;
    private boolean closed;

    ClsactFilter(LibBpf lib, Path netns, int ifindex, TcAttachPoint point, int handle, int priority, int programId,
                 boolean createdQdisc, BpfObject owner) {
        this.lib = lib;
        this.netns = netns;
        this.ifindex = ifindex;
        this.point = point;
        this.handle = handle;
        this.priority = priority;
        this.programId = programId;
        this.createdQdisc = createdQdisc;
        this.owner = owner;
    }

    /**
     * The filter at the options' handle and priority on {@code ifindex}, whoever attached it (e.g. an earlier process
     * of ours: classic filters outlive their process), or empty when there is none. Runs in the options' namespace,
     * or the calling thread's. The caller decides from {@link #programInfo()} whether it is its own.
     */
    public static Optional<ClsactFilter> find(LibBpf lib, int ifindex, TcAttachPoint point, TcOptions options) {
        Objects.requireNonNull(lib, "lib");
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(options, "options");
        // "no such filter" is an answer here, not a warning worth libbpf's kernel error message
        Supplier<Integer> query = () -> LibBpfLog.quietly(
                () -> lib.tcQuery(ifindex, point, options.handle(), options.priority()));
        int id = options.netns() == null ? query.get() : lib.inNetns(options.netns(), query::get);
        if (id == -Errno.ENOENT || id == -Errno.ENODEV || id == -Errno.EINVAL) {
            return Optional.empty();
        }
        BpfException.check(id, "bpf_tc_query(ifindex " + ifindex + " " + point + ")");
        return Optional.of(new ClsactFilter(lib, options.netns(), ifindex, point, options.handle(), options.priority(),
                id, false, null));
    }

    /** The kernel's view of the attached program (its name tells whose it is). */
    public ProgInfo programInfo() {
        int fd = BpfException.check(lib.progFdById(programId), "bpf_prog_get_fd_by_id(" + programId + ")");
        try {
            return lib.progInfo(fd);
        } finally {
            lib.close(fd);
        }
    }

    @Override
    public TcMode mode() {
        return TcMode.CLSACT;
    }

    /** Nothing to do: a classic filter outlives its process, and {@link #find} finds it again. */
    @Override
    public void persist(Path pin) {
    }

    /**
     * Stops tracking the filter without detaching it: it stays in the kernel (a later process finds it again with
     * {@link #find}), and closing its object no longer removes it. Idempotent; {@link #close()} afterwards does nothing.
     */
    @Override
    public void release() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (owner != null) {
            owner.unregister(this);
        }
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

    public int handle() {
        return handle;
    }

    public int priority() {
        return priority;
    }

    /** Whether our attach created the clsact qdisc (it is left in place on close all the same). */
    public boolean createdQdisc() {
        return createdQdisc;
    }

    /** Detaches our filter if it still runs our program. Idempotent; a vanished interface counts as detached. */
    @Override
    public void detach() {
        close();
    }

    /** Whether our handle/priority still runs our program (queried in the filter's namespace). */
    @Override
    public boolean isAttached() {
        synchronized (this) {
            if (closed) {
                return false;
            }
        }
        try {
            Supplier<Integer> query = () -> LibBpfLog.quietly(() -> lib.tcQuery(ifindex, point, handle, priority));
            int id = netns == null ? query.get() : Files.exists(netns) ? lib.inNetns(netns, query::get) : -Errno.ENODEV;
            return id == programId;
        } catch (RuntimeException e) {
            LOG.debug("{}: {}", this, e.toString());
            return false;
        }
    }

    /** Same as {@link #detach()}: a filter is closed by taking it off the interface. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            if (netns == null) {
                detachOurs();
            } else if (!Files.exists(netns)) {
                LOG.debug("{}: namespace {} is gone, and the filter with it", this, netns);
            } else {
                lib.inNetns(netns, () -> {
                    detachOurs();
                    return null;
                });
            }
        } finally {
            if (owner != null) {
                owner.unregister(this);
            }
        }
    }

    private void detachOurs() {
        int current = LibBpfLog.quietly(() -> lib.tcQuery(ifindex, point, handle, priority));
        if (current == -Errno.ENOENT || current == -Errno.ENODEV || current == -Errno.EINVAL) {
            LOG.debug("clsact filter {} is already gone", this);
            return;
        }
        BpfException.check(current, "bpf_tc_query(" + describe() + ")");
        if (current != programId) {
            LOG.warn("{}: handle/priority now runs program {}, not ours; leaving it", this, current);
            return;
        }
        int rc = lib.tcDetach(ifindex, point, handle, priority);
        if (rc == -Errno.ENOENT || rc == -Errno.ENODEV) {
            return;
        }
        BpfException.check(rc, "bpf_tc_detach(" + describe() + ")");
        LOG.debug("detached {}", this);
    }

    private String describe() {
        return "ifindex " + ifindex + " " + point + " handle 0x" + Integer.toHexString(handle) + " priority "
                + priority;
    }

    @Override
    public String toString() {
        return "ClsactFilter[" + describe() + ", prog " + programId + "]";
    }
}
