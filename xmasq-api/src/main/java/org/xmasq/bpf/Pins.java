package org.xmasq.bpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.xmasq.libbpf.BpfFsException;
import org.xmasq.libbpf.Errno;
import org.xmasq.libbpf.LibBpf;
import org.xmasq.libbpf.fake.FakeLibBpf;

/**
 * The filesystem side of pinning: is a path on bpffs, make its directory, unlink a pin. Pins of the in-memory
 * {@link FakeLibBpf} are not files, so for it these go to the fake instead. Public so that the layer above can manage
 * a directory of pins (list, unlink, remove) the same way against the kernel and the fake.
 */
public final class Pins {
    private Pins() {
    }

    /** Throws {@link BpfFsException} unless {@code path} is (or would be) on a mounted bpf filesystem. */
    public static void checkBpfFs(LibBpf lib, Path path, String operation) {
        Path abs = path.toAbsolutePath().normalize();
        if (lib instanceof FakeLibBpf fake) {
            if (!fake.isOnBpfFs(abs.toString())) {
                throw notBpfFs(operation, abs, "not under the fake's bpffs root");
            }
            return;
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw notBpfFs(operation, abs, "no part of the path exists");
        }
        String type;
        try {
            type = Files.getFileStore(existing).type();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell the filesystem of " + existing, e);
        }
        if (!"bpf".equals(type)) {
            throw notBpfFs(operation, abs, existing + " is on a " + type + " filesystem");
        }
    }

    private static BpfFsException notBpfFs(String operation, Path path, String why) {
        return new BpfFsException(operation, Errno.EPERM, operation + ": " + path
                + " is not on a bpf filesystem (" + why + "); pins live on bpffs: mount it with"
                + " `mount -t bpf bpf /sys/fs/bpf` and use a path below it");
    }

    /** Creates the directory a pin goes into (bpffs allows mkdir). */
    public static void createParent(LibBpf lib, Path pin) {
        if (lib instanceof FakeLibBpf) {
            return;
        }
        Path parent = pin.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create pin directory " + parent, e);
            }
        }
    }

    /** unlink(2) of a pin. @return false when nothing was there */
    public static boolean unlink(LibBpf lib, Path pin) {
        if (lib instanceof FakeLibBpf fake) {
            return fake.unlink(pin.toAbsolutePath().normalize().toString());
        }
        try {
            Files.delete(pin);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpin " + pin, e);
        }
    }

    public static String pathString(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** Whether something is pinned (or a directory exists) at {@code path}. */
    public static boolean exists(LibBpf lib, Path path) {
        if (lib instanceof FakeLibBpf fake) {
            return fake.isPinned(pathString(path));
        }
        return Files.exists(path);
    }

    /** The pins directly inside {@code dir}, sorted (empty when the directory does not exist). */
    public static List<Path> list(LibBpf lib, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        if (lib instanceof FakeLibBpf fake) {
            for (String p : fake.pinnedPaths()) {
                Path pin = Path.of(p);
                if (abs.equals(pin.getParent())) {
                    out.add(pin);
                }
            }
        } else if (Files.isDirectory(abs)) {
            try (Stream<Path> s = Files.list(abs)) {
                s.filter(p -> !Files.isDirectory(p)).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list pins in " + abs, e);
            }
        }
        out.sort(null);
        return out;
    }

    /** Removes {@code dir} if it is an empty directory. @return whether it is gone */
    public static boolean removeEmptyDirectory(LibBpf lib, Path dir) {
        if (lib instanceof FakeLibBpf) {
            return true;
        }
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
