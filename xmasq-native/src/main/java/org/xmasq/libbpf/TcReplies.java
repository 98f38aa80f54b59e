package org.xmasq.libbpf;

/**
 * Normalises what bpf_tc_query and bpf_tc_detach return, so that both backends keep the {@link LibBpf} contract
 * "-ENOENT when nothing is attached at that handle and priority".
 *
 * <p>The kernel answers a filter lookup with -EINVAL, not -ENOENT, when the hook has no filter chain at all (chain 0
 * goes away with its last filter) or the interface has no clsact qdisc. libbpf rejects bad arguments itself before
 * asking the kernel, so for arguments it accepts, that -EINVAL means the filter is absent.
 */
public final class TcReplies {
    private TcReplies() {
    }

    /** {@code rc}, with the kernel's "no chain / no qdisc" -EINVAL turned into -ENOENT for valid arguments. */
    public static int absentIsEnoent(int rc, int ifindex, int handle, int priority) {
        boolean validArguments = ifindex > 0 && handle != 0 && priority > 0 && priority <= 0xffff;
        return rc == -Errno.EINVAL && validArguments ? -Errno.ENOENT : rc;
    }
}
