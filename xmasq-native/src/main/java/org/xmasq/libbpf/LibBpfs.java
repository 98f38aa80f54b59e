package org.xmasq.libbpf;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses and holds the process-wide {@link LibBpf}: FFM on JDK 22+, JNA otherwise. The system property
 * {@code xmasq.libbpf} ({@code ffm}, {@code jna} or {@code auto}, the default) overrides the choice.
 */
public final class LibBpfs {
    public static final String PROPERTY = "xmasq.libbpf";
    private static final Logger LOG = LoggerFactory.getLogger(LibBpfs.class);
    private static volatile LibBpf instance;

    private LibBpfs() {
    }

    /** The backend for this process, loaded on first use. */
    public static LibBpf get() {
        LibBpf lib = instance;
        if (lib == null) {
            synchronized (LibBpfs.class) {
                lib = instance;
                if (lib == null) {
                    lib = load(System.getProperty(PROPERTY, "auto"));
                    instance = lib;
                }
            }
        }
        return lib;
    }

    /** The backend that {@code choice} ("ffm", "jna", "auto") names on this JVM. */
    public static String resolve(String choice) {
        String c = choice == null ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        return switch (c) {
            case "auto", "" -> Runtime.version().feature() >= 22 ? "ffm" : "jna";
            case "ffm", "jna" -> c;
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be ffm, jna or auto, not '" + choice + "'");
        };
    }

    /** Loads a new backend instance (tests use this to compare backends in one JVM). */
    public static LibBpf load(String choice) {
        String backend = resolve(choice);
        if (backend.equals("ffm") && Runtime.version().feature() < 22) {
            throw new LibBpfUnavailableException("load ffm backend",
                    "the FFM backend needs JDK 22 or newer; this is JDK " + Runtime.version().feature()
                            + " (use -D" + PROPERTY + "=jna)", null);
        }
        String cls = backend.equals("ffm") ? "org.xmasq.libbpf.ffm.FfmLibBpf" : "org.xmasq.libbpf.jna.JnaLibBpf";
        LibBpf lib;
        try {
            lib = (LibBpf) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof BpfException be) {
                throw be;
            }
            throw new LibBpfUnavailableException("load " + backend + " backend",
                    "cannot load libbpf.so.1 through " + backend + ": " + e.getCause()
                            + " (install it: apt-get install libbpf1)", e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new LibBpfUnavailableException("load " + backend + " backend",
                    "cannot load libbpf.so.1 through " + backend + ": " + e + " (install it: apt-get install libbpf1)", e);
        }
        LibBpfVersion v = lib.version();
        if (!v.atLeast(LibBpfVersion.MINIMUM)) {
            throw new LibBpfUnavailableException("load " + backend + " backend",
                    "libbpf " + v + " is too old: XMasq needs " + LibBpfVersion.MINIMUM + " or newer", null);
        }
        LOG.debug("libbpf {} through the {} backend", v, backend);
        return lib;
    }
}
