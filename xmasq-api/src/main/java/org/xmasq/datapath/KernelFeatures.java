package org.xmasq.datapath;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfVersion;
import org.xmasq.libbpf.TcAttachPoint;
import org.xmasq.libbpf.TestRunRequest;
import org.xmasq.libbpf.VerifierException;

/**
 * What the running kernel offers the datapath, found by trying it (the datapath's own probe, so it lives here): the probe object
 * ({@code org/xmasq/bpf/xmasq_probe.bpf.o}) is loaded and run through BPF_PROG_TEST_RUN; nothing is attached.
 *
 * @param backend        the native backend in use ("ffm", "jna")
 * @param libbpf         libbpf's version
 * @param kernel         the kernel release
 * @param btf            the kernel exposes its BTF (/sys/kernel/btf/vmlinux)
 * @param bpffs          /sys/fs/bpf is a mounted bpf filesystem (pins need it)
 * @param tcx            bpf_link based TC attachment (Linux 6.6+); otherwise clsact filters are used
 * @param redirectPeer   the verifier knows bpf_redirect_peer (Linux 5.10+)
 * @param adjustRoomEncap bpf_skb_adjust_room accepts the VXLAN encapsulation flags the egress fast path uses
 */
public record KernelFeatures(String backend, LibBpfVersion libbpf, String kernel, boolean btf, boolean bpffs,
                             boolean tcx, boolean redirectPeer, boolean adjustRoomEncap) {

    /** Classpath resource of the probe object. */
    public static final String PROBE_OBJECT = "org/xmasq/bpf/xmasq_probe.bpf.o";

    /** Whether the fast paths can run here (tcx is optional: clsact is the fallback; bpffs can be mounted later). */
    public boolean datapathSupported() {
        return redirectPeer && adjustRoomEncap;
    }

    /** Probes through the given backend. Needs CAP_BPF (PermissionException otherwise). */
    public static KernelFeatures probe(LibBpf lib) {
        boolean btf = Files.isReadable(Path.of("/sys/kernel/btf/vmlinux"));
        boolean bpffs = isBpfFs(Path.of("/sys/fs/bpf"));
        BpfObject obj;
        try {
            obj = BpfObjectSpec.fromResource(lib, PROBE_OBJECT).load();
        } catch (VerifierException e) {
            // an unknown helper fails the whole object: neither fast path can run
            return new KernelFeatures(lib.backend(), lib.version(), kernelRelease(), btf, bpffs, false, false, false);
        }
        try (obj) {
            boolean adjust = obj.program("probe_adjust_room_encap").testRun(TestRunRequest.of(udpFrame())).retval() == 0;
            return new KernelFeatures(lib.backend(), lib.version(), kernelRelease(), btf, bpffs,
                    tcx(lib, obj.program("probe_redirect_peer").fd()), true, adjust);
        }
    }

    /**
     * A tcx attach to an interface index that cannot exist: a kernel with tcx looks the device up and answers
     * ENODEV, one without refuses the attach type with EINVAL.
     */
    private static boolean tcx(LibBpf lib, int progFd) {
        int rc = lib.linkCreate(progFd, Integer.MAX_VALUE, TcAttachPoint.INGRESS.tcxAttachType());
        if (rc >= 0) {
            lib.close(rc); // cannot happen for a missing device, but never leak a link
            return true;
        }
        if (rc == -Errno.EPERM) {
            throw BpfException.of("probe tcx", rc);
        }
        return rc == -Errno.ENODEV;
    }

    private static boolean isBpfFs(Path p) {
        try {
            return Files.isDirectory(p) && "bpf".equals(Files.getFileStore(p).type());
        } catch (IOException e) {
            return false;
        }
    }

    private static String kernelRelease() {
        return System.getProperty("os.version");
    }

    /** Ethernet + IPv4 + UDP, 32 bytes of payload: what the egress fast path encapsulates. */
    private static byte[] udpFrame() {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 32);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put(new byte[] {0x45, 0, 0, 60, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2});
        b.putShort((short) 40000).putShort((short) 9).putShort((short) 40).putShort((short) 0);
        return b.array();
    }
}
