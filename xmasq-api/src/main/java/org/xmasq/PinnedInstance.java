package org.xmasq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.ClsactFilter;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.Pins;
import org.xmasq.bpf.TcOptions;
import org.xmasq.bpf.TcxLink;
import org.xmasq.datapath.DatapathObject;
import org.xmasq.host.HostInterfaces;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.MapInfo;
import org.xmasq.libbpf.TcAttachPoint;

/**
 * Tears down whatever instance is pinned under a pin root, from the pins alone (no loaded object, any version whose
 * layout is ours): detaches its pinned tcx links and its clsact filters (found through the interfaces its
 * host_devices and endpoints maps name), then removes every pin (maps, programs, the record) and the directories.
 */
final class PinnedInstance {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedInstance.class);

    private PinnedInstance() {
    }

    static void teardown(LibBpf lib, Path root, HostInterfaces interfaces) {
        Path links = root.resolve("links");
        Path maps = root.resolve("maps");
        Path progs = root.resolve("progs");
        for (Path pin : Pins.list(lib, links)) {
            try {
                TcxLink link = TcxLink.fromPin(lib, pin);
                try {
                    link.unpin();
                    link.detach();
                } catch (BpfException e) {
                    LOG.debug("{}: {}", pin, e.getMessage());
                } finally {
                    link.close();
                }
            } catch (RuntimeException e) {
                LOG.debug("{}: {}", pin, e.getMessage());
            }
            Pins.unlink(lib, pin);
        }
        Set<Integer> ifindexes = new TreeSet<>();
        ifindexes.addAll(ifindexesIn(lib, maps.resolve(DatapathObject.HOST_DEVICES), true));
        ifindexes.addAll(ifindexesIn(lib, maps.resolve(DatapathObject.ENDPOINTS), false));
        TcOptions opts = TcOptions.defaults().withHandle(XMasq.CLSACT_HANDLE).withPriority(XMasq.CLSACT_PRIORITY);
        for (int ifindex : ifindexes) {
            for (TcAttachPoint point : TcAttachPoint.values()) {
                try {
                    Optional<ClsactFilter> f = ClsactFilter.find(lib, ifindex, point, opts);
                    if (f.isPresent()) {
                        String name = f.get().programInfo().name();
                        if (XMasq.programNames().stream().anyMatch(p -> XMasq.isProgram(name, p))) {
                            f.get().close();
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.debug("clsact filter on ifindex {} {}: {}", ifindex, point, e.getMessage());
                }
            }
        }
        for (Path pin : Pins.list(lib, maps)) {
            Pins.unlink(lib, pin);
        }
        for (Path pin : Pins.list(lib, progs)) {
            Pins.unlink(lib, pin);
        }
        Pins.unlink(lib, root.resolve("meta"));
        Pins.removeEmptyDirectory(lib, links);
        Pins.removeEmptyDirectory(lib, maps);
        Pins.removeEmptyDirectory(lib, progs);
        Pins.removeEmptyDirectory(lib, root);
    }

    /** The ifindexes a pinned host_devices (keys) or endpoints (first u32 of each value) map names. */
    private static Set<Integer> ifindexesIn(LibBpf lib, Path pin, boolean inKey) {
        Set<Integer> out = new TreeSet<>();
        if (!Pins.exists(lib, pin)) {
            return out;
        }
        try {
            int fd = BpfException.check(lib.objGet(Pins.pathString(pin)), "bpf_obj_get(" + pin + ")");
            MapInfo info;
            try {
                info = lib.mapInfo(fd);
            } finally {
                lib.close(fd);
            }
            if (info.keySize() < 4 || info.valueSize() < 4) {
                return out;
            }
            try (BpfMap<byte[], byte[]> m = BpfMap.open(lib, pin, Codecs.bytes(info.keySize()),
                    Codecs.bytes(info.valueSize()))) {
                m.entries().forEach((k, v) -> out.add(ByteBuffer.wrap(inKey ? k : v).order(ByteOrder.nativeOrder())
                        .getInt(0)));
            }
        } catch (RuntimeException e) {
            LOG.debug("reading {}: {}", pin, e.getMessage());
        }
        return out;
    }
}
