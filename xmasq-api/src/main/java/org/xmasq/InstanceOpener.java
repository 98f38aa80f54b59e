package org.xmasq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmasq.bpf.BpfMap;
import org.xmasq.bpf.BpfObject;
import org.xmasq.bpf.BpfObjectSpec;
import org.xmasq.bpf.Codecs;
import org.xmasq.bpf.TcxLink;
import org.xmasq.datapath.DatapathConfig;
import org.xmasq.datapath.DatapathObject;
import org.xmasq.host.CommandRunner;
import org.xmasq.host.EstMarkRule;
import org.xmasq.libbpf.BpfFs;
import org.xmasq.libbpf.BpfException;
import org.xmasq.libbpf.IncompatibleMapException;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.MapInfo;

/**
 * Finds what is pinned under a pin root and makes it an object to run: re-adopts a compatible instance (its pinned
 * maps and programs: nothing loaded or verified), loads a fresh one, or refuses (or, when asked, replaces) an
 * incompatible one; and tears an instance down from its pins alone.
 */
final class InstanceOpener {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceOpener.class);

    /** The object to run and whether it was re-adopted (false: loaded afresh, its record just written). */
    record Opened(BpfObject object, boolean readopted) {
    }

    private InstanceOpener() {
    }

    static Opened open(Settings s) {
        LibBpf lib = s.lib();
        PinLayout pins = s.pins();
        List<String> problems = new ArrayList<>();
        Optional<InstanceRecord> pinned = readRecord(lib, pins, problems);
        InstanceRecord wanted = new InstanceRecord(InstanceRecord.FORMAT, DatapathObject.digest(), s.config(),
                s.sizes());
        if (pinned.isPresent()) {
            if (!pinned.get().sameAs(wanted)) {
                problems.addAll(pinned.get().differencesFrom(wanted));
            }
        } else if (problems.isEmpty() && hasPins(lib, pins)) {
            problems.add("pins under " + pins.root() + " without an instance record (" + pins.record()
                    + " is missing)");
        }
        if (!problems.isEmpty()) {
            if (!s.replaceIncompatible()) {
                throw new IncompatibleInstanceException(pins.root(), problems);
            }
            LOG.warn("replacing the incompatible XMasq instance at {}: {}", pins.root(), String.join("; ", problems));
            teardown(lib, pins);
            pinned = Optional.empty();
        }
        if (pinned.isPresent()) {
            return new Opened(adopt(s), true);
        }
        wanted.create(lib, pins.record());
        try {
            return new Opened(loadAndPinPrograms(s), false);
        } catch (RuntimeException | Error e) {
            discardFresh(s, e);
            throw e;
        }
    }

    /** The netfilter rule of the instance under {@code pins}, setting {@code config}'s EST mark. */
    static EstMarkRule estRule(CommandRunner commands, PinLayout pins, DatapathConfig config) {
        return new EstMarkRule(commands, pins.ruleTag(), config.markEst() == 0 ? 1 : config.markEst());
    }

    /**
     * {@link #teardown} plus the instance's netfilter rule (its mark read from the record, the default's when the
     * record is unreadable). @return whether an instance record was there
     */
    static boolean teardownWithRule(LibBpf lib, PinLayout pins, CommandRunner commands) {
        boolean pinned = isPinned(lib, pins);
        DatapathConfig config = DatapathConfig.DEFAULTS;
        if (pinned) {
            try {
                config = pinnedRecord(lib, pins).config();
            } catch (XMasqException e) {
                LOG.debug("{}: {}; removing the rule of the default mark", pins.root(), e.getMessage());
            }
        }
        estRule(commands, pins, config).remove();
        teardown(lib, pins);
        return pinned;
    }

    /** A first start that failed leaves nothing behind: takes away what it pinned (failures join {@code cause}). */
    static void discardFresh(Settings s, Throwable cause) {
        try {
            teardown(s.lib(), s.pins());
        } catch (RuntimeException t) {
            cause.addSuppressed(t);
        }
    }

    /** Whether an instance record is pinned under the layout's root. */
    static boolean isPinned(LibBpf lib, PinLayout pins) {
        return lib.bpfFs().exists(pins.record());
    }

    /**
     * The record of the instance pinned there, with its configuration and sizes readable.
     *
     * @throws InstanceDownException when nothing is pinned there
     * @throws IncompatibleInstanceException when the record cannot be read by this SDK
     */
    static InstanceRecord pinnedRecord(LibBpf lib, PinLayout pins) {
        List<String> problems = new ArrayList<>();
        Optional<InstanceRecord> pinned = readRecord(lib, pins, problems);
        if (pinned.isEmpty() && problems.isEmpty()) {
            throw new InstanceDownException("no XMasq instance at " + pins.root());
        }
        if (pinned.isEmpty() || pinned.get().config() == null || pinned.get().sizes() == null) {
            problems.add("unreadable instance record at " + pins.record());
            throw new IncompatibleInstanceException(pins.root(), problems);
        }
        return pinned.get();
    }

    private static boolean hasPins(LibBpf lib, PinLayout pins) {
        return !lib.bpfFs().list(pins.mapsDir()).isEmpty() || !lib.bpfFs().list(pins.linksDir()).isEmpty()
                || !lib.bpfFs().list(pins.programsDir()).isEmpty();
    }

    /**
     * The instance record, if one is pinned. A record read from the root proves it is on bpffs; otherwise that is
     * checked, so that a root elsewhere fails with {@link org.xmasq.libbpf.BpfFsException}.
     */
    private static Optional<InstanceRecord> readRecord(LibBpf lib, PinLayout pins, List<String> problems) {
        Optional<InstanceRecord> r = lib.bpfFs().exists(pins.record())
                ? InstanceRecord.read(lib, pins.record(), problems) : Optional.empty();
        if (r.isEmpty()) {
            lib.bpfFs().checkMounted(pins.root(), "XMasq pin root");
        }
        return r;
    }

    /** Loads the object (over the pinned maps, if any) and pins its programs. */
    private static BpfObject loadAndPinPrograms(Settings s) {
        BpfObject object = load(s);
        try {
            for (String p : DatapathObject.programNames()) {
                Path pin = s.pins().program(p);
                s.lib().bpfFs().unlink(pin); // a stale pin (of an object that is no longer ours to adopt)
                object.program(p).pin(pin);
            }
            return object;
        } catch (RuntimeException | Error e) {
            object.close();
            throw e;
        }
    }

    /**
     * The pinned instance's object: its pinned maps and programs, so nothing is loaded or verified (the instance
     * record said it is this SDK's object with this configuration). An instance whose programs are not (all) pinned
     * -- pinned by an SDK that did not pin them, or with pins removed -- is loaded again over its pinned maps, and
     * its programs pinned for the next time.
     */
    private static BpfObject adopt(Settings s) {
        Map<String, Path> programs = new LinkedHashMap<>();
        DatapathObject.programNames().forEach(p -> programs.put(p, s.pins().program(p)));
        Map<String, Path> maps = new LinkedHashMap<>();
        DatapathObject.mapNames().forEach(m -> maps.put(m, s.pins().map(m)));
        boolean pinned = programs.values().stream().allMatch(p -> s.lib().bpfFs().exists(p))
                && maps.values().stream().allMatch(p -> s.lib().bpfFs().exists(p));
        if (pinned) {
            try {
                return BpfObject.fromPins(s.lib(), "xmasq", maps, programs);
            } catch (BpfException | IllegalArgumentException e) {
                LOG.info("the pinned programs under {} cannot be re-adopted ({}); loading the object again",
                        s.pins().root(), e.getMessage());
            }
        } else {
            LOG.info("{}: the programs are not pinned; loading the object again over the pinned maps",
                    s.pins().root());
        }
        return loadAndPinPrograms(s);
    }

    private static BpfObject load(Settings s) {
        BpfObjectSpec spec = DatapathObject.open(s.lib(), s.config(), s.sizes());
        try {
            spec.pinMapsIn(s.pins().mapsDir());
            return spec.load();
        } catch (IncompatibleMapException e) {
            throw new IncompatibleInstanceException(s.pins().root(), e.differences());
        } finally {
            spec.close();
        }
    }

    /**
     * Tears down whatever instance is pinned under the layout's root, from the pins alone (no loaded object, any
     * version whose layout is ours): detaches its pinned tcx links and its clsact filters (found through the
     * interfaces its host_devices and endpoints maps name), then removes every pin and the directories.
     */
    static void teardown(LibBpf lib, PinLayout pins) {
        for (Path pin : lib.bpfFs().list(pins.linksDir())) {
            try {
                TcxLink.fromPin(lib, pin).detach();
            } catch (RuntimeException e) {
                LOG.debug("{}: {}", pin, e.getMessage());
            }
            lib.bpfFs().unlink(pin);
        }
        Set<Integer> ifindexes = new TreeSet<>();
        ifindexes.addAll(ifindexesIn(lib, pins.map(DatapathObject.HOST_DEVICES), true));
        ifindexes.addAll(ifindexesIn(lib, pins.map(DatapathObject.ENDPOINTS), false));
        Attachments.detachOurFilters(lib, ifindexes);
        for (Path pin : lib.bpfFs().list(pins.mapsDir())) {
            lib.bpfFs().unlink(pin);
        }
        for (Path pin : lib.bpfFs().list(pins.programsDir())) {
            lib.bpfFs().unlink(pin);
        }
        lib.bpfFs().unlink(pins.record());
        for (Path dir : pins.directories()) {
            lib.bpfFs().removeEmptyDirectory(dir);
        }
    }

    /** The ifindexes a pinned host_devices (keys) or endpoints (first u32 of each value) map names. */
    private static Set<Integer> ifindexesIn(LibBpf lib, Path pin, boolean inKey) {
        Set<Integer> out = new TreeSet<>();
        if (!lib.bpfFs().exists(pin)) {
            return out;
        }
        try {
            int fd = BpfException.check(lib.objGet(BpfFs.pathString(pin)), "bpf_obj_get(" + pin + ")");
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
