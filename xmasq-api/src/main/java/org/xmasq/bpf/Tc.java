package org.xmasq.bpf;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LinkInfo;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.UnknownInterfaceException;

/**
 * Attaches TC programs. With {@link TcMode#AUTO} the first attach tries tcx; when the kernel does not know it
 * (EINVAL, EOPNOTSUPP, ENOTSUPP from bpf_link_create) that is remembered for the backend and every attach uses a
 * clsact filter. Nothing already on the interface is removed or replaced (unless {@link TcOptions#withReplace} asks
 * for our own handle/priority).
 */
public final class Tc {
    private static final Logger LOG = LoggerFactory.getLogger(Tc.class);
    /** Per backend instance: does the kernel have tcx? Absent until the first AUTO attach found out. */
    private static final Map<LibBpf, Boolean> TCX_SUPPORT = Collections.synchronizedMap(new WeakHashMap<>());

    private Tc() {
    }

    public static TcAttachment attach(BpfProgram program, String ifName, TcAttachPoint point) {
        return attach(program, ifName, point, TcOptions.defaults());
    }

    /** Attaches to the interface named {@code ifName} (resolved in the options' namespace, if any). */
    public static TcAttachment attach(BpfProgram program, String ifName, TcAttachPoint point, TcOptions options) {
        Objects.requireNonNull(ifName, "ifName");
        return run(program, options, () -> {
            int ifindex = program.lib().ifNameToIndex(ifName);
            if (ifindex == 0) {
                throw new UnknownInterfaceException("attach " + program.name() + " to " + ifName, Errno.ENODEV,
                        "no network interface named '" + ifName + "'"
                                + (options.netns() == null ? "" : " in " + options.netns()));
            }
            return attachNow(program, ifindex, point, options);
        });
    }

    public static TcAttachment attach(BpfProgram program, int ifindex, TcAttachPoint point) {
        return attach(program, ifindex, point, TcOptions.defaults());
    }

    public static TcAttachment attach(BpfProgram program, int ifindex, TcAttachPoint point, TcOptions options) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex must be > 0, not " + ifindex);
        }
        return run(program, options, () -> attachNow(program, ifindex, point, options));
    }

    /** Forgets what was learned about tcx support (tests). */
    static void forgetProbe(LibBpf lib) {
        TCX_SUPPORT.remove(lib);
    }

    private interface Attach {
        TcAttachment run();
    }

    private static TcAttachment run(BpfProgram program, TcOptions options, Attach attach) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(options, "options");
        program.owner().ensureOpen("attach " + program.name());
        TcAttachment a = options.netns() == null ? attach.run() : program.lib().inNetns(options.netns(), attach::run);
        try {
            program.owner().register(a);
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        return a;
    }

    private static boolean tcxMissing(int rc) {
        return rc == -Errno.EINVAL || rc == -Errno.EOPNOTSUPP || rc == -Errno.ENOTSUPP;
    }

    private static TcAttachment attachNow(BpfProgram program, int ifindex, TcAttachPoint point, TcOptions options) {
        Objects.requireNonNull(point, "point");
        LibBpf lib = program.lib();
        TcMode mode = options.mode();
        if (mode == TcMode.AUTO && Boolean.FALSE.equals(TCX_SUPPORT.get(lib))) {
            mode = TcMode.CLSACT;
        }
        if (mode != TcMode.CLSACT) {
            int fd = lib.linkCreate(program.fd(), ifindex, point.tcxAttachType());
            if (fd >= 0) {
                TCX_SUPPORT.put(lib, Boolean.TRUE);
                try {
                    LinkInfo info = lib.linkInfo(fd);
                    TcxLink link = new TcxLink(lib, fd, info, point, program.owner(), null);
                    LOG.debug("attached {} as {}", program.name(), link);
                    return link;
                } catch (RuntimeException e) {
                    lib.close(fd);
                    throw e;
                }
            }
            String op = "bpf_link_create(" + program.name() + ", ifindex " + ifindex + ", tcx " + point + ")";
            if (mode == TcMode.TCX || !tcxMissing(fd)) {
                throw BpfException.of(op, fd);
            }
            if (program.type() == BpfProgram.TYPE_SCHED_CLS) {
                TCX_SUPPORT.put(lib, Boolean.FALSE);
            }
            LOG.info("tcx is not available ({}); attaching {} as a clsact filter", Errno.describe(-fd), program.name());
        }
        return attachClsact(lib, program, ifindex, point, options);
    }

    private static ClsactFilter attachClsact(LibBpf lib, BpfProgram program, int ifindex, TcAttachPoint point,
                                             TcOptions options) {
        int created = lib.tcHookCreate(ifindex, point);
        if (created < 0 && created != -Errno.EEXIST) {
            throw BpfException.of("bpf_tc_hook_create(ifindex " + ifindex + ", clsact)", created);
        }
        int id = lib.tcAttach(ifindex, point, options.handle(), options.priority(), program.fd(), options.replace());
        if (id < 0) {
            String where = "ifindex " + ifindex + " " + point + " handle 0x" + Integer.toHexString(options.handle())
                    + " priority " + options.priority();
            String hint = id == -Errno.EEXIST ? " (taken: choose another handle/priority or TcOptions.withReplace)" : "";
            throw BpfException.of("bpf_tc_attach(" + program.name() + ", " + where + ")" + hint, id);
        }
        ClsactFilter f = new ClsactFilter(lib, options.netns(), ifindex, point, options.handle(), options.priority(),
                id, created == 1, program.owner());
        LOG.debug("attached {} as {}", program.name(), f);
        return f;
    }
}
