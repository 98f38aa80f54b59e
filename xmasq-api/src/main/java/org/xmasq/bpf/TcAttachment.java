package org.xmasq.bpf;

import java.nio.file.Path;
import org.xmasq.libbpf.TcAttachPoint;

/**
 * A TC program attached to an interface: a {@link TcxLink} (bpf_link, kernel 6.6+) or a {@link ClsactFilter}
 * (classic filter on the clsact qdisc). Each kind carries its own behaviour, so callers never ask which one they
 * hold: {@link #persist} makes it outlive this process, {@link #release} lets go of it and leaves it attached,
 * {@link #detach} takes it off the interface, {@link #isAttached} asks the kernel. {@link #close()} is each type's
 * resource close: see the type for what stays behind.
 */
public sealed interface TcAttachment extends AutoCloseable permits TcxLink, ClsactFilter {
    int ifindex();

    TcAttachPoint point();

    /** The kernel id of the attached program. */
    int programId();

    /** {@link TcMode#TCX} or {@link TcMode#CLSACT}. */
    TcMode mode();

    /**
     * Makes the attachment outlive this process, re-adoptable later: a tcx link is pinned at {@code pin}; a classic
     * filter outlives its process anyway and needs no pin.
     */
    void persist(Path pin);

    /**
     * Stops holding the attachment and leaves the program attached (a tcx link stays only if it is pinned; a classic
     * filter stays until somebody detaches it). Idempotent; closing it afterwards does nothing.
     */
    void release();

    /**
     * Takes the program off the interface now and removes a tcx link's pin. Idempotent; an interface that vanished
     * counts as detached (the kernel detached it with the interface).
     */
    void detach();

    /** Whether our program is still attached there, as the kernel sees it now (false once released or closed). */
    boolean isAttached();

    @Override
    void close();
}
