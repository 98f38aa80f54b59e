package org.xmasq.bpf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of {@link Tc#attach}. Immutable; each {@code withX} returns a copy.
 *
 * <p>For clsact filters the handle and priority identify our filter: attach never touches another handle/priority,
 * and close removes only ours. Pick values that do not collide with other tools on the same interface.
 */
public final class TcOptions {
    /** Default clsact filter handle ("XM"). */
    public static final int DEFAULT_HANDLE = 0x584d;
    /** Default clsact filter priority. */
    public static final int DEFAULT_PRIORITY = 1;

    private static final TcOptions DEFAULTS = new TcOptions(TcMode.AUTO, DEFAULT_HANDLE, DEFAULT_PRIORITY, false, null);

    private final TcMode mode;
    private final int handle;
    private final int priority;
    private final boolean replace;
    private final Path netns;

    private TcOptions(TcMode mode, int handle, int priority, boolean replace, Path netns) {
        this.mode = mode;
        this.handle = handle;
        this.priority = priority;
        this.replace = replace;
        this.netns = netns;
    }

    public static TcOptions defaults() {
        return DEFAULTS;
    }

    public TcMode mode() {
        return mode;
    }

    public int handle() {
        return handle;
    }

    public int priority() {
        return priority;
    }

    public boolean replace() {
        return replace;
    }

    /** The network namespace (e.g. /var/run/netns/x) to attach in, or null for the caller's. */
    public Path netns() {
        return netns;
    }

    public TcOptions withMode(TcMode m) {
        return new TcOptions(Objects.requireNonNull(m, "mode"), handle, priority, replace, netns);
    }

    /** clsact filter handle (non-zero). */
    public TcOptions withHandle(int h) {
        if (h == 0) {
            throw new IllegalArgumentException("handle must not be 0 (0 lets the kernel pick, and we could not find ours)");
        }
        return new TcOptions(mode, h, priority, replace, netns);
    }

    /** clsact filter priority, 1..65535. */
    public TcOptions withPriority(int p) {
        if (p < 1 || p > 0xffff) {
            throw new IllegalArgumentException("priority must be 1..65535, not " + p);
        }
        return new TcOptions(mode, handle, p, replace, netns);
    }

    /** Replace a filter already at our handle/priority (BPF_TC_F_REPLACE) instead of failing with EEXIST. */
    public TcOptions withReplace(boolean r) {
        return new TcOptions(mode, handle, priority, r, netns);
    }

    /** Attach (and later detach) inside the network namespace at {@code path}. */
    public TcOptions withNetns(Path path) {
        return new TcOptions(mode, handle, priority, replace, path);
    }

    @Override
    public String toString() {
        return "TcOptions[mode=" + mode + ", handle=0x" + Integer.toHexString(handle) + ", priority=" + priority
                + ", replace=" + replace + (netns == null ? "" : ", netns=" + netns) + "]";
    }
}
