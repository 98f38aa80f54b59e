package org.xmasq.libbpf.fake;

import org.xmasq.libbpf.TcAttachPoint;

/**
 * What {@link FakeLibBpf} models of the kernel: programs and tcx links by id, and the key of a classic TC filter.
 * Maps are {@link FakeMap}s. The state lives in the fake, guarded by its lock.
 */
final class FakeKernel {
    private FakeKernel() {
    }

    static final class Prog {
        final int id;
        final String name;
        final int type;

        Prog(int id, String name, int type) {
            this.id = id;
            this.name = name;
            this.type = type;
        }
    }

    static final class Link {
        final int id;
        final Prog prog;
        int ifindex;
        final int attachType;
        int fds;
        boolean pinned;
        boolean attached = true;

        Link(int id, Prog prog, int ifindex, int attachType) {
            this.id = id;
            this.prog = prog;
            this.ifindex = ifindex;
            this.attachType = attachType;
        }
    }

    record FilterKey(int ifindex, TcAttachPoint point, int handle, int priority) {
    }
}
