package org.xmasq.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xmasq.XMasq;
import org.xmasq.bpf.TcMode;
import org.xmasq.bpf.TcxLink;
import org.xmasq.datapath.DatapathObject;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.net.Ipv4Address;

/**
 * Re-adopting a running instance takes its pinned programs (progs/): nothing is opened, loaded or verified again,
 * and what gets attached afterwards is the very program the first start loaded (same kernel program id). An instance
 * whose programs are not pinned (as an SDK that did not pin them left it) is loaded again over its maps, once, and
 * its programs pinned; down() removes those pins with the rest.
 */
class ReadoptingUsesThePinnedProgramsAndLoadsNothing {
    static final Ipv4Address C1 = Ipv4Address.parse("10.244.1.2");
    static final Set<String> LOADING = Set.of("objectOpenMem", "objectOpenFile", "objectLoad");
    static final String[] PROGRAMS = {DatapathObject.EGRESS_FAST_PATH, DatapathObject.INGRESS_LEARNER,
            DatapathObject.INGRESS_FAST_PATH, DatapathObject.EGRESS_LEARNER};

    /** The backend under test, counting the calls that open or load an object. */
    static final class Counting {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final LibBpf lib;

        Counting(LibBpf real) {
            lib = (LibBpf) Proxy.newProxyInstance(LibBpf.class.getClassLoader(), new Class<?>[] {LibBpf.class},
                    (proxy, m, args) -> {
                        calls.computeIfAbsent(m.getName(), k -> new AtomicInteger()).incrementAndGet();
                        try {
                            return m.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        int loads() {
            return LOADING.stream().mapToInt(n -> calls.getOrDefault(n, new AtomicInteger()).get()).sum();
        }
    }

    @Test
    void aReadoptedInstanceAttachesThePinnedProgramsWithoutLoadingAny() {
        try (HostNamespace host = new HostNamespace()) {
            XMasq first = host.call(() -> host.builder().attachMode(TcMode.TCX).open());
            XMasq second = null;
            try {
                host.call(() -> first.attachHost("nic0"));
                Map<String, Integer> loaded = pinnedProgramIds(host);
                assertEquals(Set.of(PROGRAMS), loaded.keySet(), "the first start pins its four programs");
                first.close();

                Counting counting = new Counting(host.lib);
                second = host.call(() -> XMasq.builder().libBpf(counting.lib).pinRoot(host.pinRoot()).attachMode(TcMode.TCX).openPinned());
                XMasq x = second;
                assertTrue(x.readopted());
                assertEquals(0, counting.loads(), "re-adoption opened or loaded an object: " + counting.calls);
                host.call(() -> x.attachContainer("veth1", C1));
                assertEquals(0, counting.loads(), "attaching loaded an object: " + counting.calls);
                assertEquals(loaded.get(DatapathObject.EGRESS_FAST_PATH), linkProgramId(host, "veth1-ingress"));
                assertEquals(loaded.get(DatapathObject.INGRESS_LEARNER), linkProgramId(host, "veth1-egress"));
                assertEquals(loaded.get(DatapathObject.INGRESS_FAST_PATH), linkProgramId(host, "nic0-ingress"));
                assertEquals(loaded, pinnedProgramIds(host), "the program pins changed");

                host.call(() -> {
                    x.down();
                    return null;
                });
                assertFalse(host.pinRootExists(), "down() leaves no pin behind, program pins included");
            } finally {
                KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(host, first);
                KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(host, second);
            }
        }
    }

    @Test
    void anInstanceWithoutProgramPinsIsLoadedOnceMoreAndPinned() throws Exception {
        try (HostNamespace host = new HostNamespace()) {
            XMasq first = host.call(() -> host.builder().attachMode(TcMode.TCX).open());
            XMasq second = null;
            XMasq third = null;
            try {
                host.call(() -> first.attachHost("nic0"));
                int nicProgram = linkProgramId(host, "nic0-ingress");
                first.close();
                for (String p : PROGRAMS) {
                    Files.delete(host.pinRoot().resolve("progs").resolve(p)); // as an SDK that pinned none left it
                }

                Counting counting = new Counting(host.lib);
                second = host.call(() -> XMasq.builder().libBpf(counting.lib).pinRoot(host.pinRoot()).attachMode(TcMode.TCX).openPinned());
                assertTrue(second.readopted());
                assertEquals(1, counting.calls.get("objectLoad").get(), "loaded once over the pinned maps");
                Map<String, Integer> repinned = pinnedProgramIds(host);
                assertEquals(Set.of(PROGRAMS), repinned.keySet(), "the programs are pinned again");
                assertEquals(nicProgram, linkProgramId(host, "nic0-ingress"), "the NIC's attachment was kept");
                second.close();

                Counting again = new Counting(host.lib);
                third = host.call(() -> XMasq.builder().libBpf(again.lib).pinRoot(host.pinRoot()).attachMode(TcMode.TCX).openPinned());
                XMasq x = third;
                assertEquals(0, again.loads(), "the next re-adoption loads nothing: " + again.calls);
                host.call(() -> x.attachContainer("veth1", C1));
                assertEquals(repinned.get(DatapathObject.EGRESS_FAST_PATH), linkProgramId(host, "veth1-ingress"));
                host.call(() -> {
                    x.down();
                    return null;
                });
                assertFalse(host.pinRootExists(), "down() leaves no pin behind");
            } finally {
                KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(host, first);
                KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(host, second);
                KernelRestartKeepsCachesRegistrationsAndAttachments.downQuietly(host, third);
            }
        }
    }

    /** program name -> kernel program id, from the pins under progs/. */
    static Map<String, Integer> pinnedProgramIds(HostNamespace host) {
        Map<String, Integer> out = new TreeMap<>();
        Path dir = host.pinRoot().resolve("progs");
        for (String p : PROGRAMS) {
            Path pin = dir.resolve(p);
            if (Files.exists(pin)) {
                int fd = BpfException.check(host.lib.objGet(pin.toString()), "bpf_obj_get(" + pin + ")");
                try {
                    out.put(p, host.lib.progInfo(fd).id());
                } finally {
                    host.lib.close(fd);
                }
            }
        }
        return out;
    }

    /** The program id of the tcx link pinned as links/{@code name}. */
    static int linkProgramId(HostNamespace host, String name) {
        try (TcxLink l = TcxLink.fromPin(host.lib, host.pinRoot().resolve("links").resolve(name))) {
            return l.info().progId();
        }
    }
}
