package org.xmasq.examples;

import java.util.Locale;
import org.xmasq.datapath.DatapathObject;
import org.xmasq.datapath.KernelFeatures;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/**
 * Loads the probe and datapath objects through the backend this JVM chose and prints what the kernel offers.
 * Exit 0 when the datapath can run here, 1 otherwise (with the reason).
 */
public final class SelfCheck {
    private SelfCheck() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run());
        } catch (RuntimeException e) { // the BPF layer's errors carry the operation and errno in their message
            System.err.println("xmasq self-check: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run() {
        LibBpf lib = LibBpfs.get();
        System.out.printf("XMasq self-check on JDK %d%n", Runtime.version().feature());
        KernelFeatures f = KernelFeatures.probe(lib);
        row("native backend", f.backend());
        row("libbpf", f.libbpf().toString());
        row("kernel", f.kernel());
        row("kernel BTF", yes(f.btf()));
        row("bpffs on /sys/fs/bpf", yes(f.bpffs()) + (f.bpffs() ? "" : "  (mount -t bpf bpf /sys/fs/bpf)"));
        row("tcx links", yes(f.tcx()) + (f.tcx() ? "" : "  (clsact filters will be used)"));
        row("bpf_redirect_peer", yes(f.redirectPeer()));
        row("adjust_room VXLAN encap", yes(f.adjustRoomEncap()));
        if (f.redirectPeer()) {
            System.out.println();
            System.out.println("datapath object " + DatapathObject.RESOURCE + ":");
            System.out.printf("  %-28s %10s %10s %14s%n", "program", "xlated B", "jited B", "verified insns");
            for (DatapathObject.VerifiedProgram p : DatapathObject.verify(lib)) {
                System.out.printf("  %-28s %10d %10d %14d%n", p.name(), p.xlatedBytes(), p.jitedBytes(),
                        p.verifiedInsns());
            }
        }
        System.out.println();
        if (f.datapathSupported()) {
            System.out.println("OK: this kernel can run the XMasq datapath.");
            return 0;
        }
        System.out.println("NOT SUPPORTED: the XMasq fast paths need bpf_redirect_peer and adjust_room"
                + " encapsulation (Linux 5.15 or newer).");
        return 1;
    }

    private static void row(String what, String value) {
        System.out.printf(Locale.ROOT, "  %-26s %s%n", what, value);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
