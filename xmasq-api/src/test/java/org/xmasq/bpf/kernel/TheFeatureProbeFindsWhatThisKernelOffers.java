package org.xmasq.bpf.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xmasq.datapath.KernelFeatures;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.LibBpfs;

/**
 * The probe answers from what the kernel does, consistently with its release: tcx from 6.6, redirect_peer and
 * adjust_room's encapsulation flags from 5.15 (the oldest kernel the SDK supports), and leaves no link behind.
 */
class TheFeatureProbeFindsWhatThisKernelOffers {
    @Test
    void featuresMatchTheKernelRelease() {
        LibBpf lib = LibBpfs.get();
        KernelFeatures f = KernelFeatures.probe(lib);
        int[] v = release(f.kernel());
        boolean atLeast66 = v[0] > 6 || (v[0] == 6 && v[1] >= 6);
        assertEquals(lib.backend(), f.backend());
        assertEquals(lib.version(), f.libbpf());
        assertEquals(atLeast66, f.tcx(), "tcx on " + f.kernel());
        assertTrue(f.redirectPeer(), "redirect_peer on " + f.kernel());
        assertTrue(f.adjustRoomEncap(), "adjust_room encap flags on " + f.kernel());
        assertTrue(f.datapathSupported());
        assertTrue(f.btf(), "kernel BTF");
        assertTrue(f.bpffs(), "bin/setup mounts bpffs");
    }

    @Test
    void probingTwiceGivesTheSameAnswer() {
        LibBpf lib = LibBpfs.get();
        assertEquals(KernelFeatures.probe(lib), KernelFeatures.probe(lib));
    }

    private static int[] release(String r) {
        String[] p = r.split("[.-]");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
    }
}
