package org.xmasq.libbpf;

/** Missing privileges: not root, or no CAP_BPF / CAP_NET_ADMIN. */
public final class PermissionException extends BpfException {
    public PermissionException(String operation, int errno, String message) {
        super(operation, errno, message);
    }
}
