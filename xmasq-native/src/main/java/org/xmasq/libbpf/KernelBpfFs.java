package org.xmasq.libbpf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link BpfFs} of the running kernel: pins are files on a mounted bpf filesystem. */
final class KernelBpfFs implements BpfFs {
    static final KernelBpfFs INSTANCE = new KernelBpfFs();

    private KernelBpfFs() {
    }

    @Override
    public void checkMounted(Path path, String operation) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw BpfFs.notBpfFs(operation, abs, "no part of the path exists");
        }
        String type;
        try {
            type = Files.getFileStore(existing).type();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell the filesystem of " + existing, e);
        }
        if (!"bpf".equals(type)) {
            throw BpfFs.notBpfFs(operation, abs, existing + " is on a " + type + " filesystem");
        }
    }

    @Override
    public void createParent(Path pin) {
        Path parent = pin.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create pin directory " + parent, e);
            }
        }
    }

    @Override
    public boolean unlink(Path pin) {
        try {
            Files.delete(pin);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpin " + pin, e);
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public List<Path> list(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(abs)) {
            try (Stream<Path> s = Files.list(abs)) {
                s.filter(p -> !Files.isDirectory(p)).forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list pins in " + abs, e);
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public boolean removeEmptyDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir);
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
