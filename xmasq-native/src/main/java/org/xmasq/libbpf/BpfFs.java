package org.xmasq.libbpf;

import java.nio.file.Path;
import java.util.List;

/**
 * The filesystem side of pinning, on the native boundary next to {@link LibBpf}: is a path on bpffs, make a pin's
 * directory, list and unlink pins. {@link LibBpf#bpfFs()} gives the one that goes with a backend: the kernel's
 * bpffs for the real backends, the fake's own pins for the fake. Paths are taken absolute and normalised.
 */
public interface BpfFs {
    /** The mounted bpf filesystems of this machine, through java.nio (pins are files there). */
    static BpfFs kernel() {
        return KernelBpfFs.INSTANCE;
    }

    /** Throws {@link BpfFsException} unless {@code path} is (or would be) on a mounted bpf filesystem. */
    void checkMounted(Path path, String operation);

    /** Creates the directory a pin goes into (bpffs allows mkdir). */
    void createParent(Path pin);

    /** unlink(2) of a pin. @return false when nothing was there */
    boolean unlink(Path pin);

    /** Whether something is pinned (or a directory exists) at {@code path}. */
    boolean exists(Path path);

    /** The pins directly inside {@code dir}, sorted (empty when the directory does not exist). */
    List<Path> list(Path dir);

    /** Removes {@code dir} if it is an empty directory. @return whether it is gone */
    boolean removeEmptyDirectory(Path dir);

    /** A path as the kernel is given it: absolute and normalised. */
    static String pathString(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /** The message of a path that is not on bpffs, the same for every implementation. */
    static BpfFsException notBpfFs(String operation, Path path, String why) {
        return new BpfFsException(operation, Errno.EPERM, operation + ": " + path
                + " is not on a bpf filesystem (" + why + "); pins live on bpffs: mount it with"
                + " `mount -t bpf bpf /sys/fs/bpf` and use a path below it");
    }
}
