package org.xmasq.bpf;

import org.xmasq.libbpf.TcAttachPoint;

/**
 * A TC program attached to an interface: a {@link TcxLink} (bpf_link, kernel 6.6+) or a {@link ClsactFilter}
 * (classic filter on the clsact qdisc). Closing releases it: see each type for what stays behind.
 */
public sealed interface TcAttachment extends AutoCloseable permits TcxLink, ClsactFilter {
    int ifindex();

    TcAttachPoint point();

    /** The kernel id of the attached program. */
    int programId();

    @Override
    void close();
}
