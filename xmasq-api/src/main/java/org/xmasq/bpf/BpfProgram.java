package org.xmasq.bpf;

import java.nio.file.Path;
import java.util.Objects;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.ClosedResourceException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.ProgInfo;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.TestRunResult;

/** A loaded program of a {@link BpfObject}; valid until the object is closed. Attach TC programs with {@link Tc}. */
public final class BpfProgram {
    /** BPF_PROG_TYPE_SCHED_CLS: what SEC("tc") programs are. */
    public static final int TYPE_SCHED_CLS = 3;

    private final LibBpf lib;
    private final String name;
    private final String section;
    private final int type;
    private final int fd;
    private final BpfObject owner;

    BpfProgram(LibBpf lib, String name, String section, int type, int fd, BpfObject owner) {
        this.lib = lib;
        this.name = name;
        this.section = section;
        this.type = type;
        this.fd = fd;
        this.owner = owner;
    }

    public String name() {
        return name;
    }

    /** The ELF section, e.g. "tc". */
    public String section() {
        return section;
    }

    /** enum bpf_prog_type ({@link #TYPE_SCHED_CLS} for TC programs). */
    public int type() {
        return type;
    }

    public int fd() {
        ensureOpen("fd");
        return fd;
    }

    LibBpf lib() {
        return lib;
    }

    BpfObject owner() {
        return owner;
    }

    private void ensureOpen(String what) {
        if (owner.isClosed()) {
            throw new ClosedResourceException(what + "(" + name + ")", 0,
                    "program " + name + " belongs to closed object " + owner.name());
        }
    }

    /** The kernel's view (id, verified instruction count, run statistics). */
    public ProgInfo info() {
        ensureOpen("bpf_obj_get_info_by_fd");
        return lib.progInfo(fd);
    }

    /** Runs the program once (or {@code repeat} times) on a packet with BPF_PROG_TEST_RUN. */
    public TestRunResult testRun(TestRunRequest request) {
        Objects.requireNonNull(request, "request");
        ensureOpen("bpf_prog_test_run_opts");
        return lib.progTestRun(fd, request);
    }

    /** Pins the program at {@code path} (on bpffs). */
    public void pin(Path path) {
        Objects.requireNonNull(path, "path");
        ensureOpen("bpf_obj_pin");
        lib.bpfFs().checkMounted(path, "pin program " + name);
        lib.bpfFs().createParent(path);
        BpfException.check(lib.objPin(fd, BpfFs.pathString(path)), "bpf_obj_pin(" + name + ", " + path + ")");
    }

    /** Removes a pin made with {@link #pin}. @return false when nothing was pinned there */
    public boolean unpin(Path path) {
        return lib.bpfFs().unlink(path);
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name + ", section " + section + ", type " + type + "]";
    }
}
