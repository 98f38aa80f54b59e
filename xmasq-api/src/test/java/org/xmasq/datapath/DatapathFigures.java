package org.xmasq.datapath;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.xmasq.bpf.BpfProgram;
import org.xmasq.libbpf.LibBpfs;
import org.xmasq.libbpf.ProgInfo;
import org.xmasq.testing.Netns;

/**
 * Not a test: prints the datapath's figures for the report (program sizes, verifier work, PROG_TEST_RUN time per
 * packet on the hit paths). Run as root with the test classpath; "-Dxmasq.libbpf=ffm|jna" picks the backend.
 *
 * <p>A test run with {@code repeat} runs the program again and again on the same skb. Paths that leave the frame
 * as it was (intra-host bridged, misses, passes) are measured that way; the encapsulation and decapsulation paths
 * change the frame, so their later repetitions would measure something else; they are measured as the median of
 * many single runs instead (which includes a few tens of ns of timer overhead).
 */
public final class DatapathFigures {
    private DatapathFigures() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.println("backend: " + LibBpfs.get().getClass().getSimpleName() + ", java "
                + System.getProperty("java.version"));
        try (KernelDatapath dp = KernelDatapath.start()) {
            for (String name : new String[] {DatapathObject.EGRESS_FAST_PATH, DatapathObject.INGRESS_LEARNER,
                    DatapathObject.INGRESS_FAST_PATH, DatapathObject.EGRESS_LEARNER}) {
                BpfProgram p = dp.program(name);
                ProgInfo info = p.info();
                System.out.printf(Locale.ROOT, "%-24s xlated %5d B  jited %5d B  verified_insns %6d%n", name,
                        info.xlatedLen(), info.jitedLen(), info.verifiedInsns());
                System.out.print("    bpftool: " + Netns.run("bpftool", "prog", "show", "id",
                        Integer.toString(info.id())).lines().filter(l -> l.contains("xlated")).findFirst()
                        .orElse("").strip() + "\n");
            }
            dp.cacheInterHostFlow(Topology.C1_R);
            dp.filter.put(Topology.C1_C2, FilterEntry.BOTH);

            single(dp, "egress inter-host hit (encapsulate)", rounds, d -> d.egress(Topology.c1ToR(), d.veth1),
                    Stat.HIT_EGRESS_INTER_HOST);
            single(dp, "ingress hit (decapsulate)", rounds, d -> d.ingress(Topology.rToC1OnTheWire()),
                    Stat.HIT_INGRESS);
            single(dp, "intra-host routed hit", rounds, d -> d.egress(Topology.c1ToC2Routed(), d.veth1),
                    Stat.HIT_EGRESS_INTRA_HOST);
            single(dp, "intra-host bridged hit", rounds, d -> d.egress(Topology.c1ToC2Bridged(), d.veth1),
                    Stat.HIT_EGRESS_INTRA_HOST);
            repeated(dp, "intra-host bridged hit", rounds, DatapathObject.EGRESS_FAST_PATH, Topology.c1ToC2Bridged(),
                    new Skb(0, dp.veth1, 0), Stat.HIT_EGRESS_INTRA_HOST);
            repeated(dp, "egress miss (no filter entry)", rounds, DatapathObject.EGRESS_FAST_PATH,
                    Topology.udp(Topology.GATEWAY_MAC, Topology.C1_MAC, Topology.C1, Topology.R, 1, 2, 64,
                            Topology.PAYLOAD), new Skb(0, dp.veth1, 0), Stat.MISS_NO_FILTER_ENTRY);
            repeated(dp, "ingress pass (host traffic)", rounds, DatapathObject.INGRESS_FAST_PATH,
                    Topology.udp(Topology.NIC_MAC, Topology.REMOTE_NIC_MAC, Topology.REMOTE_HOST, Topology.LOCAL_HOST,
                            1, 2, 64, Topology.PAYLOAD), new Skb(0, dp.nic, 0), Stat.PASS_NOT_OVERLAY);
            dp.endpoints.put(Topology.C1, Endpoint.registered(dp.veth1));
            single(dp, "egress learner (learns 3 entries)", rounds,
                    d -> d.egressLearner(Topology.c1ToROnTheWire(), d.config.markMiss()), Stat.LEARN_EGRESS_HEADER);
            single(dp, "ingress learner (learns filter + MACs)", rounds,
                    d -> d.ingressLearner(Topology.rToC1Delivered(), d.config.markMiss() | d.config.markRemote(),
                            d.veth1), Stat.LEARN_FILTER_INGRESS);
        }
    }

    /** Median over rounds of the median of 20000 single runs. */
    private static void single(KernelDatapath dp, String what, int rounds, Consumer<KernelDatapath> run, Stat proof) {
        long before = dp.count(proof);
        int n = 20_000;
        double[] medians = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            int[] ns = new int[n];
            for (int i = 0; i < n; i++) {
                ns[i] = timed(dp, run);
            }
            Arrays.sort(ns);
            medians[r] = ns[n / 2];
        }
        Arrays.sort(medians);
        System.out.printf(Locale.ROOT, "%-40s %7.1f ns/packet (median of %d single runs x %d rounds; rounds %s); %s +%d%n",
                what, medians[rounds / 2], n, rounds, Arrays.toString(medians), proof, dp.count(proof) - before);
    }

    /** The kernel's own duration of the run (the helpers return the verdict; the observer catches it). */
    private static int timed(KernelDatapath dp, Consumer<KernelDatapath> run) {
        Verdict[] v = new Verdict[1];
        KernelDatapath.Observer previous = dp.observer;
        dp.observer = x -> v[0] = x;
        try {
            run.accept(dp);
        } finally {
            dp.observer = previous;
        }
        return v[0].durationNs();
    }

    /** Median over rounds of PROG_TEST_RUN with repeat 100000 (the kernel's average per run). */
    private static void repeated(KernelDatapath dp, String what, int rounds, String program, byte[] frame, Skb skb,
                                 Stat proof) {
        long before = dp.count(proof);
        double[] ns = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ns[r] = dp.run(program, frame, skb, 100_000).durationNs();
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "%-40s %7.1f ns/packet (repeat 100000 x %d rounds; rounds %s); %s +%d%n", what,
                ns[rounds / 2], rounds, Arrays.toString(ns), proof, dp.count(proof) - before);
    }
}
